// The messages between the control window and the capture worker (types only; both libs compile it).
import type { FrameMeta, Settings } from '../../electron/ipc.ts';

/**
 * What the worker needs to turn camera frames into JPEGs; changes apply from the next frame.
 * The picture fields are the user's Settings (same names, same ranges), so they are picked, not restated.
 */
export interface EncodeOptions extends Pick<
  Settings,
  'fps' | 'jpegQuality' | 'mirror' | 'rotation' | 'overlay' | 'overlayText'
> {
  /** H.264 bitrate at 720p30 in bit/s (the encoder scales it with size and fps). */
  readonly h264BitrateBps: number;
  /** Nobody watches: encode at most one frame per second (keeps /snapshot.jpg fresh). */
  readonly isIdle: boolean;
  /** H.264 consumers (RTSP clients, H.264 page viewers): the H.264 encoder runs only while this is ≥ 1. */
  readonly videoConsumers: number;
  /**
   * No JPEG viewer, though H.264 consumers may run the pacer at full rate: JPEG at most once a second (keeps
   * /snapshot.jpg fresh), so an NVR recording around the clock costs no JPEG encoding.
   */
  readonly isJpegIdle: boolean;
}

/** One encoded H.264 access unit on its way to main (the contract's VideoChunkMeta plus its bytes). */
export interface WorkerVideoChunk {
  /** Annex B bytes; a keyframe opens with SPS and PPS. */
  readonly data: ArrayBuffer;
  readonly isKey: boolean;
  readonly timestampUs: number;
  readonly durationUs: number;
  readonly encodeMs: number;
}

/** Whether this platform encodes H.264, told once per configured size. */
export type H264Support =
  | { readonly kind: 'supported'; readonly hardwareAcceleration: string; readonly codec: string }
  | { readonly kind: 'unsupported'; readonly message: string };

/**
 * The frames a worker reads: either a MediaStreamTrackProcessor readable transferred from the page, or,
 * where that API is missing, ImageBitmaps the page grabs from the preview <video> when the worker asks.
 */
export type ToWorker =
  | {
      readonly type: 'start-stream';
      readonly readable: ReadableStream<VideoFrame>;
      readonly options: EncodeOptions;
      /** How many encode workers the capture worker runs (see encode-order.ts); default 1. */
      readonly encodeWorkers?: number;
    }
  | {
      readonly type: 'start-bitmaps';
      readonly options: EncodeOptions;
      readonly encodeWorkers?: number;
    }
  | { readonly type: 'bitmap'; readonly bitmap: ImageBitmap; readonly captureTimeMs: number }
  | { readonly type: 'no-bitmap' }
  | { readonly type: 'options'; readonly options: EncodeOptions }
  /** A new H.264 consumer joined: make the next frame a keyframe. */
  | { readonly type: 'keyframe' }
  | { readonly type: 'stop' };

export type FromWorker =
  | {
      readonly type: 'frame';
      readonly jpeg: ArrayBuffer;
      readonly meta: FrameMeta;
      /** Draw + encode + copy-out time of this frame in the worker. */
      readonly encodeMs: number;
    }
  | { readonly type: 'video-chunk'; readonly chunk: WorkerVideoChunk }
  | { readonly type: 'h264-support'; readonly support: H264Support }
  | { readonly type: 'want-bitmap' }
  | { readonly type: 'source-ended' }
  | { readonly type: 'error'; readonly message: string };
