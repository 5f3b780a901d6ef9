// Re-renders the live stats on a timer: capture fps and ages move even when main pushes nothing.

/** Calls `render` every `intervalMs`; returns the function that stops it. */
export function startStatsTicker(render: () => void, intervalMs = 1000): () => void {
  const timer = setInterval(render, intervalMs);
  return () => {
    clearInterval(timer);
  };
}
