// Test kit under construction.
