// Reads the control window's setting inputs into values main accepts: clamped to the shared ranges, or refused.
import {
  fpsRange,
  h264BitrateRange,
  jpegQualityRange,
  portRange,
  settingDefaults,
} from '../electron/settings-limits.ts';

function clamp(value: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

export function clampFps(value: number): number {
  return Math.round(clamp(value, fpsRange.min, fpsRange.max, settingDefaults.fps));
}

export function clampQuality(value: number): number {
  const { min, max } = jpegQualityRange;
  return Math.round(clamp(value, min, max, settingDefaults.jpegQuality) * 100) / 100;
}

/** Mbit/s at 720p30, to a tenth. */
export function clampBitrateMbps(value: number): number {
  const { min, max } = h264BitrateRange;
  return Math.round(clamp(value, min, max, settingDefaults.h264BitrateMbps) * 10) / 10;
}

export type PortInput =
  { readonly ok: true; readonly port: number } | { readonly ok: false; readonly message: string };

/** Reads the port field: a whole number in the shared port range, or a sentence saying what is wrong. */
export function parsePort(text: string): PortInput {
  const trimmed = text.trim();
  const port = /^\d{1,5}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (port >= portRange.min && port <= portRange.max) return { ok: true, port };
  return { ok: false, message: `Enter a whole number from ${portRange.min} to ${portRange.max}.` };
}
