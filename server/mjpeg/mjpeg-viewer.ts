// One stream client: writes parts to its response with at most one frame in user space, skips frames while
// its socket is busy and sends the newest once it is free, paces ?fps=, repeats the latest, evicts stalls.
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Frame, FrameHub, FrameSubscriber } from '../core/frame-hub.ts';
import { RateMeter } from '../core/rate-meter.ts';
import type { Viewer } from '../core/viewer.ts';
import type { ViewerStats } from '../types.ts';

/** Consecutive skipped frames after which a viewer is flagged slow (ScreenStream uses 5 too). */
export const SLOW_AFTER_SKIPS = 5;

export interface ViewerOptions {
  readonly id: number;
  /** The source whose hub this viewer reads. */
  readonly sourceId: number;
  readonly address: string;
  readonly userAgent: string;
  /** From ?client=, already checked to be a short token. */
  readonly clientId: string | null;
  /** Cap from ?fps=, or null for the source rate. */
  readonly maxFps: number | null;
  readonly stallTimeoutMs: number;
  readonly repeatIntervalMs: number;
  /** Shared meter for the server's total output rate. */
  readonly bytesOut: RateMeter;
  /** Called once, when the viewer is gone for good. */
  readonly onClose: (viewer: MjpegViewer, reason: CloseReason) => void;
}

/** The stream response head, also sent alone for HEAD requests (mjpeg-notes.md §3.1). */
export function streamHeaders(boundary: string): Record<string, string> {
  return {
    'Content-Type': `multipart/x-mixed-replace;boundary=${boundary}`,
    'Cache-Control': 'no-store, no-cache, must-revalidate, max-age=0',
    Pragma: 'no-cache',
    Expires: 'Mon, 3 Jan 2000 12:34:56 GMT',
    // With neither Content-Length nor chunking the body ends with the connection, which must say so.
    Connection: 'close',
    'X-Accel-Buffering': 'no',
    'X-Content-Type-Options': 'nosniff',
  };
}

export type CloseReason = 'disconnected' | 'stalled' | 'ended';

/** After end(), a peer that never reads is cut off this much later so close() cannot hang on it. */
const END_GRACE_MS = 2000;

export class MjpegViewer implements FrameSubscriber, Viewer {
  readonly #res: ServerResponse;
  readonly #hub: FrameHub;
  readonly #options: ViewerOptions;
  readonly #minIntervalMs: number;
  readonly #fps: RateMeter;
  readonly connectedAtMs: number;
  #isWriting = false;
  #writingSinceMs = 0;
  #lastSentSeq = -1;
  #lastSentAtMs = 0;
  #consecutiveSkips = 0;
  #isSlow = false;
  #skippedFrames = 0;
  #framesSent = 0;
  #bytesSent = 0;
  #paceTimer: NodeJS.Timeout | null = null;
  #endTimer: NodeJS.Timeout | null = null;
  #isClosed = false;
  #socket: Socket | null = null;
  // One callback per viewer rather than a closure per write: at 200 viewers × 30 fps that is garbage saved.
  readonly #onWrittenBound = (error?: Error | null): void => {
    this.#onWritten(error);
  };

  constructor(res: ServerResponse, hub: FrameHub, options: ViewerOptions) {
    this.#res = res;
    this.#hub = hub;
    this.#options = options;
    this.#minIntervalMs = options.maxFps ? 1000 / options.maxFps : 0;
    this.connectedAtMs = Date.now();
    this.#fps = new RateMeter(this.connectedAtMs);
  }

  get id(): number {
    return this.#options.id;
  }

  get sourceId(): number {
    return this.#options.sourceId;
  }

  /** Bytes this viewer holds in user space (Node's buffers); the kernel socket buffer comes on top. */
  get pendingBytes(): number {
    return this.#res.writableLength;
  }

  /** Sends the response head, the first delimiter and the current frame, and subscribes to new frames. */
  start(): void {
    const res = this.#res;
    const socket = res.socket;
    // A close-delimited body: HTTP/1.1 framing (chunks) confuses several MJPEG clients (mjpeg-notes.md §3.2).
    res.removeHeader('Transfer-Encoding');
    res.writeHead(200, streamHeaders(this.#hub.boundary));
    if (socket) {
      socket.setNoDelay(true);
      // Wi-Fi peers that vanish without a FIN are found by keep-alive probes or by the stall timer.
      socket.setKeepAlive(true, 5000);
      // The server's idle timeout is for plain requests; a stream may legitimately sit between repeats.
      socket.setTimeout(0);
    }
    res.on('close', () => {
      this.#finish('disconnected');
    });
    // A write racing a vanished peer reports here; 'close' follows and does the cleanup. Without a
    // listener the error would be thrown and take the whole process (the Electron main) down.
    res.on('error', () => undefined);
    // The first write sends the head; after it, parts go straight to the socket (bypassing OutgoingMessage,
    // which adds nothing to a close-delimited body but work per write).
    // Corked so the head, the first delimiter and the first part leave in one writev.
    socket?.cork();
    res.write(this.#hub.preamble);
    this.#socket = socket;
    this.#hub.subscribe(this);
    this.#send(this.#hub.current);
    socket?.uncork();
  }

  offer(frame: Frame): void {
    if (this.#isClosed) return;
    if (this.#isWriting) {
      // Latest wins: nothing is queued; the write callback sends whatever is newest then.
      this.#skippedFrames += 1;
      this.#consecutiveSkips += 1;
      if (this.#consecutiveSkips >= SLOW_AFTER_SKIPS) this.#isSlow = true;
      return;
    }
    this.#consecutiveSkips = 0;
    this.#isSlow = false;
    this.#sendPaced(frame);
  }

  /** Periodic upkeep from the server's single timer: stall eviction and the keep-alive repeat. */
  tick(nowMs: number): void {
    if (this.#isClosed) return;
    if (this.#isWriting) {
      // Progress is a whole part reaching the kernel: a link that cannot take one frame per
      // stallTimeoutMs is as good as dead for live video (and Wi-Fi drops without a FIN look like this).
      if (nowMs - this.#writingSinceMs >= this.#options.stallTimeoutMs) this.#evict();
      return;
    }
    if (this.#paceTimer) return;
    const current = this.#hub.current;
    // A frame skipped while a pace timer ran goes out now; otherwise the keep-alive repeat.
    if (
      current.seq !== this.#lastSentSeq ||
      nowMs - this.#lastSentAtMs >= this.#options.repeatIntervalMs
    ) {
      this.#send(current);
    }
  }

  /** Ends the stream cleanly (server closing, or viewers told to reconnect). */
  end(): void {
    if (this.#isClosed) return;
    this.#finish('ended');
    this.#res.end();
    this.#endTimer = setTimeout(() => this.#res.destroy(), END_GRACE_MS);
    this.#endTimer.unref();
    this.#res.once('close', () => {
      if (this.#endTimer) clearTimeout(this.#endTimer);
      this.#endTimer = null;
    });
  }

  stats(nowMs: number): ViewerStats {
    return {
      id: this.#options.id,
      address: this.#options.address,
      userAgent: this.#options.userAgent,
      fps: Math.round(this.#fps.rate(nowMs) * 10) / 10,
      bytesSent: this.#bytesSent,
      framesSent: this.#framesSent,
      skippedFrames: this.#skippedFrames,
      isSlow: this.#isSlow,
      connectedAtMs: this.connectedAtMs,
      protocol: 'mjpeg',
      pendingBytes: this.pendingBytes,
      sourceId: this.#options.sourceId,
      ...(this.#options.clientId !== null && { clientId: this.#options.clientId }),
    };
  }

  #sendPaced(frame: Frame): void {
    const waitMs = this.#lastSentAtMs + this.#minIntervalMs - Date.now();
    if (waitMs <= 0) {
      this.#send(frame);
      return;
    }
    this.#paceTimer ??= setTimeout(() => {
      this.#paceTimer = null;
      const current = this.#hub.current;
      if (this.#isWriting) return;
      if (current.seq !== this.#lastSentSeq) this.#send(current);
    }, waitMs);
  }

  #send(frame: Frame): void {
    if (this.#isClosed) return;
    const nowMs = Date.now();
    this.#isWriting = true;
    this.#writingSinceMs = nowMs;
    this.#lastSentSeq = frame.seq;
    this.#lastSentAtMs = nowMs;
    this.#framesSent += 1;
    this.#bytesSent += frame.part.length;
    this.#fps.add(1, nowMs);
    this.#options.bytesOut.add(frame.part.length, nowMs);
    if (this.#socket) this.#socket.write(frame.part, this.#onWrittenBound);
    else this.#res.write(frame.part, this.#onWrittenBound);
  }

  // The callback fires once Node has handed the whole part to the kernel: the one pending frame is gone.
  #onWritten(error: Error | null | undefined): void {
    this.#isWriting = false;
    if (this.#isClosed) return;
    if (error) {
      this.#res.destroy();
      return;
    }
    const current = this.#hub.current;
    if (current.seq !== this.#lastSentSeq) this.#sendPaced(current);
  }

  #evict(): void {
    this.#finish('stalled');
    this.#res.destroy();
  }

  #finish(reason: CloseReason): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    if (this.#paceTimer) clearTimeout(this.#paceTimer);
    this.#paceTimer = null;
    this.#hub.unsubscribe(this);
    this.#options.onClose(this, reason);
  }
}
