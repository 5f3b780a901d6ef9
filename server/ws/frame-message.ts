// The binary layout of one frame on the viewer page's WebSocket channel. The page (server/assets/viewer.js)
// reads the same layout; a version byte lets either side refuse a layout it does not know.

/** Bytes before the image data. */
export const FRAME_HEADER_BYTES = 24;
export const FRAME_LAYOUT_VERSION = 1;
/** What follows the header. H.264 gets its own kind on the same channel. */
export const FRAME_KIND_JPEG = 1;

export interface FrameMessageFields {
  readonly kind: number;
  readonly seq: number;
  readonly captureTimeMs: number;
  readonly width: number;
  readonly height: number;
  readonly isPlaceholder: boolean;
}

/**
 * Header + payload in one Buffer, built once per frame and sent to every channel viewer as is.
 * Layout (little-endian): u8 version, u8 kind, u8 flags (bit 0 placeholder), u8 reserved, u32 seq,
 * f64 captureTimeMs, u16 width, u16 height, u32 payload length.
 */
export function encodeFrameMessage(fields: FrameMessageFields, payload: Uint8Array): Buffer {
  const message = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  message.writeUInt8(FRAME_LAYOUT_VERSION, 0);
  message.writeUInt8(fields.kind, 1);
  message.writeUInt8(fields.isPlaceholder ? 1 : 0, 2);
  message.writeUInt8(0, 3);
  message.writeUInt32LE(fields.seq >>> 0, 4);
  message.writeDoubleLE(fields.captureTimeMs, 8);
  message.writeUInt16LE(Math.min(fields.width, 0xffff), 16);
  message.writeUInt16LE(Math.min(fields.height, 0xffff), 18);
  message.writeUInt32LE(payload.length, 20);
  message.set(payload, FRAME_HEADER_BYTES);
  return message;
}

export interface DecodedFrameMessage extends FrameMessageFields {
  readonly payload: Uint8Array;
}

/** The inverse of encodeFrameMessage; null for anything that is not a whole frame message of our layout. */
export function decodeFrameMessage(message: Uint8Array): DecodedFrameMessage | null {
  if (message.length < FRAME_HEADER_BYTES) return null;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  if (view.getUint8(0) !== FRAME_LAYOUT_VERSION) return null;
  const length = view.getUint32(20, true);
  if (FRAME_HEADER_BYTES + length !== message.length) return null;
  return {
    kind: view.getUint8(1),
    isPlaceholder: (view.getUint8(2) & 1) === 1,
    seq: view.getUint32(4, true),
    captureTimeMs: view.getFloat64(8, true),
    width: view.getUint16(16, true),
    height: view.getUint16(18, true),
    payload: message.subarray(FRAME_HEADER_BYTES),
  };
}
