// JPEG quality in people's words (Low / Medium / High) and the bandwidth each viewer will need (pure).

export type QualityLevel = 'low' | 'medium' | 'high';

export const qualityLevels: readonly QualityLevel[] = ['low', 'medium', 'high'];

export const qualityLabels: Readonly<Record<QualityLevel, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

/** The JPEG quality each level encodes with (inside settings-limits' 0.5–0.95). */
export const qualityValues: Readonly<Record<QualityLevel, number>> = {
  low: 0.6,
  medium: 0.8,
  high: 0.92,
};

/**
 * Rough bits per pixel of a webcam JPEG at each level (a typical 720p frame at 0.8 is ~100 KB, ~0.9 bpp).
 * An estimate to compare choices by: busy or noisy scenes need up to about twice as much, flat ones less.
 */
const bitsPerPixel: Readonly<Record<QualityLevel, number>> = {
  low: 0.45,
  medium: 0.9,
  high: 1.6,
};

/** The level a saved quality belongs to: the nearest one. */
export function qualityLevelOf(jpegQuality: number): QualityLevel {
  let best: QualityLevel = 'medium';
  for (const level of qualityLevels) {
    if (Math.abs(qualityValues[level] - jpegQuality) < Math.abs(qualityValues[best] - jpegQuality))
      best = level;
  }
  return best;
}

/** Estimated Mbit/s one viewer receives for this output size, frame rate and level (MJPEG: no inter-frame saving). */
export function estimateMbpsPerViewer(
  width: number,
  height: number,
  fps: number,
  level: QualityLevel,
): number {
  if (!(width > 0 && height > 0 && fps > 0)) return 0;
  return (width * height * bitsPerPixel[level] * fps) / 1_000_000;
}

/** "≈ 25 Mbit/s per viewer", rounded so it does not look more exact than it is. */
export function formatEstimate(mbps: number): string {
  const rounded = mbps >= 10 ? Math.round(mbps) : Math.round(mbps * 10) / 10;
  return `≈ ${rounded} Mbit/s per viewer`;
}
