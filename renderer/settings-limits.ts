// The ranges the control window offers; values from storage or inputs are clamped to them.

export const FPS_MIN = 5;
export const FPS_MAX = 60;
export const QUALITY_MIN = 0.5;
export const QUALITY_MAX = 0.95;

function clamp(value: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

export function clampFps(value: number): number {
  return Math.round(clamp(value, FPS_MIN, FPS_MAX, 30));
}

export function clampQuality(value: number): number {
  return Math.round(clamp(value, QUALITY_MIN, QUALITY_MAX, 0.8) * 100) / 100;
}

/** Fixed ports below 1024 need admin rights on macOS/Linux, so the form does not offer them. */
export const PORT_MIN = 1024;
export const PORT_MAX = 65_535;

export type PortInput =
  { readonly ok: true; readonly port: number } | { readonly ok: false; readonly message: string };

/** Reads the port field: a whole number in PORT_MIN–PORT_MAX, or a sentence saying what is wrong. */
export function parsePort(text: string): PortInput {
  const trimmed = text.trim();
  const port = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (port >= PORT_MIN && port <= PORT_MAX) return { ok: true, port };
  return { ok: false, message: `Enter a whole number from ${PORT_MIN} to ${PORT_MAX}.` };
}
