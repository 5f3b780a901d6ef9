// Where the time & name overlay goes on an output frame (pure): the worker draws it, the preview copies it.
// Sized from the frame's shorter side and shrunk to fit its width, so portrait (90°/270°) frames show it whole.
import type { Size } from './frame-geometry.ts';

export interface OverlayLayout {
  readonly fontPx: number;
  /** Box from (pad, pad), text at (textX, textY) with textBaseline 'top'. */
  readonly pad: number;
  readonly boxWidth: number;
  readonly boxHeight: number;
  readonly textX: number;
  readonly textY: number;
}

const minFontPx = 8;

/** `textWidthPerPx`: the text's width at a 1 px font (measureText width ÷ the font size it was measured at). */
export function overlayLayout(size: Size, textWidthPerPx: number): OverlayLayout {
  let fontPx = Math.max(12, Math.round(Math.min(size.width, size.height) / 30));
  const fits = (px: number): boolean =>
    textWidthPerPx * px + 2 * Math.round(px / 2) * 2 <= size.width;
  while (fontPx > minFontPx && !fits(fontPx)) fontPx -= 1;
  const pad = Math.round(fontPx / 2);
  return {
    fontPx,
    pad,
    boxWidth: textWidthPerPx * fontPx + pad * 2,
    boxHeight: fontPx + pad * 1.5,
    textX: pad * 2,
    textY: pad * 1.75,
  };
}

export function overlayFont(fontPx: number): string {
  return `600 ${fontPx}px system-ui, sans-serif`;
}
