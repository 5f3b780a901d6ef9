// lancam CLI entry. Implemented in the server issue.
