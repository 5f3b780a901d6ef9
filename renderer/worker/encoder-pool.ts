// Runs N encode workers for the capture worker: hands frames round-robin, keeps the newest one waiting when all
// are busy, and passes on finished JPEGs in capture order (the rules live in encode-order.ts).
import type { Size } from '../shared/frame-geometry.ts';
import type { EncodeOptions } from '../shared/worker-protocol.ts';
import { EncodeOrder } from './encode-order.ts';
import type { EncodeJob, FromEncoder } from './encode-protocol.ts';

export interface PoolFrame {
  readonly image: VideoFrame | ImageBitmap;
  readonly size: Size;
  readonly captureTimeMs: number;
}

export interface PoolResult {
  /** null for a frame drawn for H.264 only. */
  readonly jpeg: ArrayBuffer | null;
  /** The drawn picture for H.264 when `wantsVideoFrame` said so at hand-off; the receiver closes it. */
  readonly videoFrame: VideoFrame | null;
  readonly width: number;
  readonly height: number;
  readonly captureTimeMs: number;
  readonly encodeMs: number;
}

export interface EncoderPoolOptions {
  readonly workerCount: number;
  readonly workerUrl: string;
  /** Read at hand-off, so option changes apply from the next frame. */
  readonly options: () => EncodeOptions | null;
  /** Read at hand-off: whether the H.264 encoder wants this frame's drawn picture too. */
  readonly wantsVideoFrame?: () => boolean;
  /** Read at hand-off: whether this frame needs a JPEG (default yes). */
  readonly wantsJpeg?: () => boolean;
  readonly emit: (result: PoolResult) => void;
  readonly onError: (message: string) => void;
}

export class EncoderPool {
  readonly #order: EncodeOrder;
  readonly #workers: Worker[];
  readonly #options: EncoderPoolOptions;
  /** Capture time of each frame in flight, by seq. */
  readonly #captureTimeMs = new Map<number, number>();
  #waiting: PoolFrame | null = null;
  #isClosed = false;

  constructor(options: EncoderPoolOptions) {
    this.#options = options;
    this.#order = new EncodeOrder(options.workerCount);
    this.#workers = Array.from({ length: options.workerCount }, (_, lane) => this.#spawn(lane));
  }

  get workerCount(): number {
    return this.#workers.length;
  }

  /** Every worker has a frame: a new one would only wait (the fallback path asks for none then). */
  get isSaturated(): boolean {
    return !this.#order.hasFreeLane;
  }

  offer(frame: PoolFrame): void {
    if (this.#isClosed) {
      frame.image.close();
      return;
    }
    if (this.#order.hasFreeLane) {
      this.#dispatch(frame);
      return;
    }
    // Latest-wins while every worker is busy: only the newest frame waits.
    this.#waiting?.image.close();
    this.#waiting = frame;
  }

  /** Stops for good: drops the waiting frame and ends the workers (their encodes in flight are discarded). */
  close(): void {
    this.#isClosed = true;
    this.#waiting?.image.close();
    this.#waiting = null;
    for (const worker of this.#workers) worker.terminate();
  }

  #spawn(lane: number): Worker {
    const worker = new Worker(this.#options.workerUrl, { name: `lancam-encode-${lane}` });
    worker.onmessage = (event: MessageEvent<FromEncoder>) => {
      this.#onResult(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#options.onError(event.message || `encode worker ${lane} failed`);
      // Free the lane of whatever it was encoding, so the other workers carry on.
      const seq = this.#order.inFlightOn(lane);
      if (seq !== null) this.#finish(seq, null);
    };
    return worker;
  }

  #dispatch(frame: PoolFrame): void {
    const options = this.#options.options();
    const slot = options ? this.#order.dispatch() : null;
    const worker = slot ? this.#workers[slot.lane] : undefined;
    if (!options || !slot || !worker) {
      frame.image.close();
      return;
    }
    this.#captureTimeMs.set(slot.seq, frame.captureTimeMs);
    const job: EncodeJob = {
      type: 'encode',
      seq: slot.seq,
      image: frame.image,
      size: frame.size,
      options,
      // Capture time in microseconds: increasing, and the same clock as the JPEG frames' X-Timestamp.
      videoTimestampUs:
        this.#options.wantsVideoFrame?.() === true ? Math.round(frame.captureTimeMs * 1000) : null,
      wantsJpeg: this.#options.wantsJpeg?.() ?? true,
    };
    // Transferring moves the frame without copying its pixels; the encode worker closes it.
    worker.postMessage(job, [frame.image]);
  }

  #onResult(message: FromEncoder): void {
    if (this.#isClosed) {
      if (message.type === 'encoded') message.videoFrame?.close();
      return;
    }
    if (message.type === 'failed') {
      this.#options.onError(message.message);
      this.#finish(message.seq, null);
      return;
    }
    this.#finish(message.seq, message);
  }

  #finish(seq: number, encoded: Extract<FromEncoder, { type: 'encoded' }> | null): void {
    const captureTimeMs = this.#captureTimeMs.get(seq);
    this.#captureTimeMs.delete(seq);
    const verdict = this.#order.complete(seq, encoded !== null);
    if (verdict === 'emit' && encoded && captureTimeMs !== undefined) {
      this.#options.emit({
        jpeg: encoded.jpeg,
        videoFrame: encoded.videoFrame,
        width: encoded.width,
        height: encoded.height,
        captureTimeMs,
        encodeMs: encoded.encodeMs,
      });
    } else {
      encoded?.videoFrame?.close();
    }
    const waiting = this.#waiting;
    if (waiting && this.#order.hasFreeLane) {
      this.#waiting = null;
      this.#dispatch(waiting);
    }
  }
}
