// Capture worker entry. Implemented in the capture issue.
