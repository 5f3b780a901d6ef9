// JPEG byte checks the server needs without decoding: is this a well-formed whole JPEG, and how big is it.
// The walk follows the marker segments of ITU-T T.81 Annex B from SOI to the first SOS, so it costs one step
// per segment (about ten for an encoder's output), never one per byte of image data.

/** A JPEG that passed the structure check. */
export interface JpegInfo {
  readonly width: number;
  readonly height: number;
  /** False for "abbreviated" MJPEG frames that rely on the standard Huffman tables (many USB cameras). */
  readonly hasHuffmanTables: boolean;
}

/** Why bytes were refused; short and stable, for counters and log lines. */
export type JpegProblem =
  | 'too-short'
  | 'no-soi'
  | 'no-eoi'
  | 'bad-marker'
  | 'bad-segment-length'
  | 'bad-frame-header'
  | 'no-frame-header'
  | 'bad-scan-header'
  | 'no-scan';

export type JpegCheck =
  | { readonly isValid: true; readonly info: JpegInfo }
  | { readonly isValid: false; readonly problem: JpegProblem };

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DHT = 0xc4;
const TEM = 0x01;

// SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size (T.81 Table B.1).
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== DHT && marker !== 0xc8 && marker !== 0xcc;

// RSTn and TEM stand alone (no length field).
const isStandalone = (marker: number): boolean =>
  marker === TEM || (marker >= 0xd0 && marker <= 0xd7);

const refuse = (problem: JpegProblem): JpegCheck => ({ isValid: false, problem });

/**
 * Checks SOI, then marker segments whose lengths fit, exactly one SOF with a non-zero size before the SOS,
 * a well-formed SOS header followed by entropy-coded data, and EOI as the last two bytes. The entropy-coded
 * data itself is not read: the decoder copes with damage there, not with a broken header.
 */
export function checkJpeg(bytes: Uint8Array): JpegCheck {
  const n = bytes.length;
  // SOI + SOF + SOS headers + EOI cannot fit in fewer bytes than this.
  if (n < 4 + 10 + 8) return refuse('too-short');
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return refuse('no-soi');
  if (bytes[n - 2] !== 0xff || bytes[n - 1] !== EOI) return refuse('no-eoi');
  let size: { width: number; height: number } | null = null;
  let hasHuffmanTables = false;
  let i = 2;
  // The EOI at the end is not part of the header walk.
  const end = n - 2;
  while (i + 1 < end) {
    if (bytes[i] !== 0xff) return refuse('bad-marker');
    const marker = bytes[i + 1] ?? 0;
    // Fill bytes (FF FF …) may pad between segments (T.81 B.1.1.2).
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    if (isStandalone(marker)) {
      i += 2;
      continue;
    }
    if (marker === SOI || marker === EOI || marker === 0x00) return refuse('bad-marker');
    if (i + 3 >= end) return refuse('bad-segment-length');
    const length = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    const segmentEnd = i + 2 + length;
    if (length < 2 || segmentEnd > end) return refuse('bad-segment-length');
    if (isStartOfFrame(marker)) {
      // P, Y, X, Nf, then 3 bytes per component.
      const components = bytes[i + 9] ?? 0;
      const height = ((bytes[i + 5] ?? 0) << 8) | (bytes[i + 6] ?? 0);
      const width = ((bytes[i + 7] ?? 0) << 8) | (bytes[i + 8] ?? 0);
      const isWellFormed =
        size === null &&
        length === 8 + 3 * components &&
        components >= 1 &&
        components <= 4 &&
        width > 0 &&
        height > 0;
      if (!isWellFormed) return refuse('bad-frame-header');
      size = { width, height };
    } else if (marker === DHT) {
      hasHuffmanTables = true;
    } else if (marker === SOS) {
      if (size === null) return refuse('no-frame-header');
      // Ns, then 2 bytes per component, then Ss, Se, Ah/Al.
      const components = bytes[i + 4] ?? 0;
      const isWellFormed = components >= 1 && components <= 4 && length === 6 + 2 * components;
      if (!isWellFormed) return refuse('bad-scan-header');
      // Image data must follow the scan header.
      if (segmentEnd >= end) return refuse('no-scan');
      return { isValid: true, info: { ...size, hasHuffmanTables } };
    }
    i = segmentEnd;
  }
  return refuse('no-scan');
}

/** True when the bytes pass checkJpeg. */
export function isJpeg(bytes: Uint8Array): boolean {
  return checkJpeg(bytes).isValid;
}

/**
 * Width and height from the frame header of a well-formed JPEG, or null. Used by `lancam serve`, whose
 * frames come from files rather than from a camera that knows its size.
 */
export function jpegDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  const check = checkJpeg(bytes);
  return check.isValid ? { width: check.info.width, height: check.info.height } : null;
}
