// The text burnt into frames when the overlay is on: camera name and local date/time.

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** `Name · 2026-11-24 14:05:09` (local time; just the timestamp when the name is empty). */
export function overlayText(name: string, at: Date): string {
  const stamp =
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ` +
    `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const trimmed = name.trim();
  return trimmed ? `${trimmed} · ${stamp}` : stamp;
}
