// The latest-frame slot: turns each published JPEG into one immutable multipart part, tracks pause and the
// placeholder, and tells the registered viewers when the frame to show has changed.
import { randomBytes } from 'node:crypto';
import { checkJpeg, jpegDimensions } from './jpeg.ts';
import { RateMeter } from './rate-meter.ts';
import type { FrameMeta } from '../types.ts';

/** One frame as every viewer receives it. Immutable: the same Buffer is written to every socket. */
export interface Frame {
  /** Changes whenever the frame to show changes (publish, pause, resume). */
  readonly seq: number;
  /** Part headers + JPEG + CRLF + the next delimiter, so one write completes a part on the wire. */
  readonly part: Buffer;
  /** The JPEG alone: a view into `part`, served by /snapshot.jpg. */
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
  readonly captureTimeMs: number;
  readonly isPlaceholder: boolean;
}

/** What the hub needs from a viewer: told when there is a new frame to show. */
export interface FrameSubscriber {
  offer(frame: Frame): void;
}

/** `<epoch seconds>.<microseconds>`, the X-Timestamp convention of µStreamer and mjpg-streamer. */
export function formatTimestamp(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const micros = Math.min(999_999, Math.round((epochMs - seconds * 1000) * 1000));
  return `${seconds}.${String(micros).padStart(6, '0')}`;
}

/** A boundary of 24 URL-safe random characters: never found inside JPEG data by accident. */
export function createBoundary(): string {
  return `lancam${randomBytes(18).toString('base64url').replaceAll('-', 'x').replaceAll('_', 'y')}`;
}

export function buildPart(jpeg: Uint8Array, boundary: string, captureTimeMs: number): Buffer {
  const head = Buffer.from(
    `Content-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\n` +
      `X-Timestamp: ${formatTimestamp(captureTimeMs)}\r\n\r\n`,
    'latin1',
  );
  const tail = Buffer.from(`\r\n--${boundary}\r\n`, 'latin1');
  const part = Buffer.allocUnsafe(head.length + jpeg.length + tail.length);
  head.copy(part, 0);
  part.set(jpeg, head.length);
  tail.copy(part, head.length + jpeg.length);
  return part;
}

const isPositive = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

/** Callers outside TypeScript (IPC payloads) can hand over anything; every number must be usable as is. */
function isValidMeta(meta: FrameMeta | null | undefined): meta is FrameMeta {
  return (
    typeof meta === 'object' &&
    meta !== null &&
    isPositive(meta.captureTimeMs) &&
    isPositive(meta.width) &&
    isPositive(meta.height)
  );
}

export class FrameHub {
  readonly boundary: string;
  /** Written once at the start of every stream, before the first part (ffmpeg, OpenCV, VLC need it). */
  readonly preamble: Buffer;
  readonly #placeholderJpeg: Buffer;
  readonly #subscribers = new Set<FrameSubscriber>();
  readonly #sourceFps: RateMeter;
  #seq = 0;
  #latest: Frame | null = null;
  #current: Frame;
  #isPaused = false;
  #rejectedFrames = 0;

  constructor(placeholderJpeg: Buffer, nowMs = Date.now()) {
    this.boundary = createBoundary();
    this.preamble = Buffer.from(`--${this.boundary}\r\n`, 'latin1');
    this.#placeholderJpeg = placeholderJpeg;
    this.#sourceFps = new RateMeter(nowMs);
    this.#current = this.#placeholder(nowMs);
  }

  /** The frame viewers should see now: the latest one, or the placeholder while paused or waiting. */
  get current(): Frame {
    return this.#current;
  }

  /** The latest published frame, even while paused; null before the first one. */
  get latest(): Frame | null {
    return this.#latest;
  }

  get isPaused(): boolean {
    return this.#isPaused;
  }

  get rejectedFrames(): number {
    return this.#rejectedFrames;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  get subscribers(): ReadonlySet<FrameSubscriber> {
    return this.#subscribers;
  }

  sourceFps(nowMs: number): number {
    return this.#sourceFps.rate(nowMs);
  }

  subscribe(subscriber: FrameSubscriber): void {
    this.#subscribers.add(subscriber);
  }

  unsubscribe(subscriber: FrameSubscriber): void {
    this.#subscribers.delete(subscriber);
  }

  /**
   * Returns false (and counts it) for bytes that fail the JPEG structure check, or meta whose capture time,
   * width or height is not a finite positive number. This is the one frame check between camera and viewers.
   */
  publish(jpeg: Uint8Array, meta: FrameMeta): boolean {
    if (!isValidMeta(meta) || !checkJpeg(jpeg).isValid) {
      this.#rejectedFrames += 1;
      return false;
    }
    const nowMs = Date.now();
    this.#sourceFps.add(1, nowMs);
    const part = buildPart(jpeg, this.boundary, meta.captureTimeMs);
    const headLength = part.length - jpeg.length - this.preamble.length - 2;
    this.#latest = {
      seq: ++this.#seq,
      part,
      jpeg: part.subarray(headLength, headLength + jpeg.length),
      width: meta.width,
      height: meta.height,
      captureTimeMs: meta.captureTimeMs,
      isPlaceholder: false,
    };
    if (!this.#isPaused) this.#show(this.#latest);
    return true;
  }

  pause(): void {
    if (this.#isPaused) return;
    this.#isPaused = true;
    this.#show(this.#placeholder(Date.now()));
  }

  resume(): void {
    if (!this.#isPaused) return;
    this.#isPaused = false;
    this.#show(this.#latest ?? this.#placeholder(Date.now()));
  }

  #show(frame: Frame): void {
    this.#current = frame;
    for (const subscriber of this.#subscribers) subscriber.offer(frame);
  }

  #placeholder(nowMs: number): Frame {
    const part = buildPart(this.#placeholderJpeg, this.boundary, nowMs);
    const headLength = part.length - this.#placeholderJpeg.length - this.preamble.length - 2;
    const size = jpegDimensions(this.#placeholderJpeg) ?? { width: 0, height: 0 };
    return {
      seq: ++this.#seq,
      part,
      jpeg: part.subarray(headLength, headLength + this.#placeholderJpeg.length),
      ...size,
      captureTimeMs: nowMs,
      isPlaceholder: true,
    };
  }
}
