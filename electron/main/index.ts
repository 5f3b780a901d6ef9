// Electron main process entry (composition root). Implemented in the Electron issue.
