// JPEG byte checks the server needs: "is this a whole JPEG" and "how big is it", without decoding.

/** True when the bytes start with SOI (FF D8) and end with EOI (FF D9). */
export function isJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return (
    n >= 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[n - 2] === 0xff &&
    bytes[n - 1] === 0xd9
  );
}

/**
 * Width and height from the first start-of-frame marker, or null if none is found. Used by `lancam serve`,
 * whose frames come from files rather than from a camera that knows its size.
 */
export function jpegDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] ?? 0;
    // Fill bytes (FF FF …) may pad between segments.
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const length = ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0);
    // SOF0…SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = ((bytes[i + 5] ?? 0) << 8) | (bytes[i + 6] ?? 0);
      const width = ((bytes[i + 7] ?? 0) << 8) | (bytes[i + 8] ?? 0);
      return { width, height };
    }
    i += 2 + length;
  }
  return null;
}
