// Control window entry. Implemented in the capture issue.
