// Viewer page script. Implemented in the server issue.
