// The messages between the capture worker and its encode workers (types only).
import type { Size } from '../shared/frame-geometry.ts';
import type { EncodeOptions } from '../shared/worker-protocol.ts';

/** One frame to encode; the image is transferred and closed by the encode worker. */
export interface EncodeJob {
  readonly type: 'encode';
  readonly seq: number;
  readonly image: VideoFrame | ImageBitmap;
  readonly size: Size;
  readonly options: EncodeOptions;
  /** Set while H.264 is wanted: the drawn picture comes back as a VideoFrame with this timestamp. */
  readonly videoTimestampUs: number | null;
  /** False: draw only (for H.264), no JPEG of this frame. */
  readonly wantsJpeg: boolean;
}

export type FromEncoder =
  | {
      readonly type: 'encoded';
      readonly seq: number;
      readonly jpeg: ArrayBuffer | null;
      readonly videoFrame: VideoFrame | null;
      readonly width: number;
      readonly height: number;
      readonly encodeMs: number;
    }
  | { readonly type: 'failed'; readonly seq: number; readonly message: string };
