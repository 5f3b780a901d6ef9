// Preload bridge for the control window. Implemented in the Electron issue.
