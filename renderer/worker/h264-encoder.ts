// WebCodecs H.264 encoder of the capture worker: configures for the frame size (hardware, then software),
// encodes the drawn frames only while someone consumes H.264, keyframes every 2 s and on request.
import { isKeyframeDue, type PictureFormat } from '../h264-settings.ts';
import { pickH264Config, supportOf } from '../h264-support.ts';
import type { H264Support, WorkerVideoChunk } from '../shared/worker-protocol.ts';

export interface H264EncoderOptions {
  readonly onChunk: (chunk: WorkerVideoChunk) => void;
  /** Once per configured size: which encoder runs, or why there is none. */
  readonly onSupport: (support: H264Support) => void;
  readonly onError: (message: string) => void;
}

/** Name of the per-chunk User Timing measure (frame handed to the encoder → chunk out). */
export const H264_ENCODE_MEASURE = 'lancam:h264-encode';

/** More frames than this waiting in the encoder means it cannot keep up: drop the new one (latest-wins). */
const maxQueuedFrames = 2;

export class H264Encoder {
  readonly #options: H264EncoderOptions;
  #encoder: VideoEncoder | null = null;
  #configuredKey = '';
  #isConfiguring = false;
  #isUnsupported = false;
  #consumerCount = 0;
  #isKeyframeRequested = true;
  #lastKeyTimestampUs: number | null = null;
  readonly #startedAtMs = new Map<number, number>();

  constructor(options: H264EncoderOptions) {
    this.#options = options;
  }

  /** Main's count of H.264 consumers; from 0 to more, the next frame is a keyframe. */
  setConsumerCount(count: number): void {
    if (this.#consumerCount === 0 && count > 0) this.#isKeyframeRequested = true;
    this.#consumerCount = count;
  }

  get isActive(): boolean {
    return this.#consumerCount > 0 && !this.#isUnsupported;
  }

  /** A consumer joined: the next frame becomes a keyframe, so it need not wait for the next GOP. */
  requestKeyframe(): void {
    this.#isKeyframeRequested = true;
  }

  /** Encodes one drawn frame (and closes it); a no-op while nobody consumes H.264. */
  encode(frame: VideoFrame, fps: number, at720p30Bps?: number): void {
    try {
      if (!this.isActive) return;
      const format = { width: frame.displayWidth, height: frame.displayHeight, fps };
      // A new size or bitrate setting means a new configuration (and so a keyframe).
      const key = `${format.width}x${format.height}@${at720p30Bps ?? 'default'}`;
      if (key !== this.#configuredKey) {
        void this.#configure(format, key, at720p30Bps);
        return;
      }
      const encoder = this.#encoder;
      if (encoder?.state !== 'configured') return;
      if (encoder.encodeQueueSize > maxQueuedFrames) return;
      const keyFrame = isKeyframeDue(
        frame.timestamp,
        this.#lastKeyTimestampUs,
        this.#isKeyframeRequested,
      );
      if (keyFrame) {
        this.#isKeyframeRequested = false;
        this.#lastKeyTimestampUs = frame.timestamp;
      }
      this.#startedAtMs.set(frame.timestamp, performance.now());
      encoder.encode(frame, { keyFrame });
    } finally {
      frame.close();
    }
  }

  close(): void {
    this.#configuredKey = '';
    if (this.#encoder && this.#encoder.state !== 'closed') this.#encoder.close();
    this.#encoder = null;
  }

  async #configure(format: PictureFormat, key: string, at720p30Bps?: number): Promise<void> {
    if (this.#isConfiguring) return;
    this.#isConfiguring = true;
    try {
      this.close();
      const config = await pickH264Config(format, at720p30Bps);
      const support = supportOf(config, format);
      if (!config) {
        this.#isUnsupported = true;
        this.#options.onSupport(support);
        return;
      }
      const encoder = new VideoEncoder({
        output: (chunk) => {
          this.#emit(chunk);
        },
        error: (error) => {
          this.#options.onError(`H.264 encoder: ${error.message}`);
          // Configure afresh on the next frame.
          this.#configuredKey = '';
        },
      });
      encoder.configure(config);
      this.#encoder = encoder;
      this.#configuredKey = key;
      this.#isKeyframeRequested = true;
      this.#lastKeyTimestampUs = null;
      this.#options.onSupport(support);
    } catch (error) {
      this.#options.onError(`H.264 encoder: ${String(error)}`);
    } finally {
      this.#isConfiguring = false;
    }
  }

  #emit(chunk: EncodedVideoChunk): void {
    const data = new ArrayBuffer(chunk.byteLength);
    chunk.copyTo(data);
    const startedAtMs = this.#startedAtMs.get(chunk.timestamp);
    this.#startedAtMs.delete(chunk.timestamp);
    if (this.#startedAtMs.size > 64) this.#startedAtMs.clear();
    if (startedAtMs !== undefined) {
      // As the JPEG path does: visible in DevTools, observed by bench:capture, cleared so nothing grows.
      performance.measure(H264_ENCODE_MEASURE, { start: startedAtMs, end: performance.now() });
      performance.clearMeasures(H264_ENCODE_MEASURE);
    }
    this.#options.onChunk({
      data,
      isKey: chunk.type === 'key',
      timestampUs: chunk.timestamp,
      durationUs: chunk.duration ?? 0,
      encodeMs: startedAtMs === undefined ? 0 : performance.now() - startedAtMs,
    });
  }
}
