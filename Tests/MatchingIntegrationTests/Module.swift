// Tests are being written; see the open issue.
