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
