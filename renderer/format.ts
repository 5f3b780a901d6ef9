// Number formatting for the stats panel (one decimal where it helps, fixed width where it jitters).

export function formatFps(fps: number): string {
  return fps >= 10 ? fps.toFixed(0) : fps.toFixed(1);
}

export function formatMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms.toFixed(1);
}

export function formatKb(bytes: number): string {
  const kb = bytes / 1024;
  return kb >= 100 ? kb.toFixed(0) : kb.toFixed(1);
}

export function formatMbps(mbps: number): string {
  return mbps >= 10 ? mbps.toFixed(0) : mbps.toFixed(1);
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${sec} s`;
  return `${sec} s`;
}
