// The executable is being written; see the open issue for its service.
