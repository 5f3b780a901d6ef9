// One viewer page on the acknowledged frame channel: sends the newest frame whenever its window has room, and
// the page acknowledges each frame once drawn, so at most one or two frames are ever on their way.
import type { WebSocket } from 'ws';
import type { Frame, FrameHub, FrameSubscriber } from '../core/frame-hub.ts';
import { RateMeter } from '../core/rate-meter.ts';
import type { Viewer } from '../core/viewer.ts';
import type { ViewerStats } from '../types.ts';
import { AckWindow } from './ack-window.ts';
import { encodeFrameMessage, FRAME_KIND_JPEG } from './frame-message.ts';

/** Frames in a row that went by unsent before the viewer counts as slow (as for multipart viewers). */
const SLOW_AFTER_SKIPS = 5;
/** Protocol pings keep NAT and Wi-Fi power-save from dropping a channel that waits on a paused broadcast. */
const PING_INTERVAL_MS = 15_000;
/** Malformed messages tolerated before the channel is closed as broken. */
const MAX_BAD_MESSAGES = 20;

// Built once per frame, whatever the number of channel viewers; frames are immutable, so a WeakMap is enough.
const messages = new WeakMap<Frame, Buffer>();
function messageOf(frame: Frame): Buffer {
  let message = messages.get(frame);
  if (!message) {
    message = encodeFrameMessage({ ...frame, kind: FRAME_KIND_JPEG }, frame.jpeg);
    messages.set(frame, message);
  }
  return message;
}

export type WsCloseReason = 'disconnected' | 'stalled' | 'ended';

export interface WsViewerOptions {
  readonly id: number;
  readonly address: string;
  readonly userAgent: string;
  readonly clientId: string | null;
  readonly stallTimeoutMs: number;
  readonly bytesOut: RateMeter;
  readonly onClose: (viewer: WsViewer, reason: WsCloseReason) => void;
}

type ClientMessage = { type: 'ack'; seq: number } | { type: 'ping'; t: number };

function parseClientMessage(data: unknown): ClientMessage | null {
  if (typeof data !== 'string' || data.length > 200) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record.type === 'ack' && Number.isInteger(record.seq)) {
    return { type: 'ack', seq: record.seq as number };
  }
  if (record.type === 'ping' && Number.isFinite(record.t))
    return { type: 'ping', t: record.t as number };
  return null;
}

export class WsViewer implements FrameSubscriber, Viewer {
  readonly #socket: WebSocket;
  readonly #hub: FrameHub;
  readonly #options: WsViewerOptions;
  readonly #window = new AckWindow();
  readonly #fps: RateMeter;
  readonly connectedAtMs: number;
  #lastSentSeq = -1;
  #lastPingAtMs: number;
  #framesSent = 0;
  #bytesSent = 0;
  #skippedFrames = 0;
  #consecutiveSkips = 0;
  #badMessages = 0;
  #frameAgeMs: number | null = null;
  #isClosed = false;

  constructor(socket: WebSocket, hub: FrameHub, options: WsViewerOptions) {
    this.#socket = socket;
    this.#hub = hub;
    this.#options = options;
    this.connectedAtMs = Date.now();
    this.#lastPingAtMs = this.connectedAtMs;
    this.#fps = new RateMeter(this.connectedAtMs);
  }

  get id(): number {
    return this.#options.id;
  }

  start(): void {
    const socket = this.#socket;
    socket.on('message', (data, isBinary) => {
      this.#onMessage(!isBinary && Buffer.isBuffer(data) ? data.toString('utf8') : null);
    });
    socket.on('close', () => {
      this.#finish('disconnected');
    });
    // 'close' follows every error; without a listener an error would be thrown (and take down Electron's main).
    socket.on('error', () => undefined);
    this.#hub.subscribe(this);
    this.#send(this.#hub.current);
  }

  offer(frame: Frame): void {
    if (this.#isClosed) return;
    if (!this.#window.canSend) {
      this.#skippedFrames += 1;
      this.#consecutiveSkips += 1;
      return;
    }
    this.#send(frame);
  }

  tick(nowMs: number): void {
    if (this.#isClosed) return;
    const oldest = this.#window.oldestSentAtMs;
    // No acknowledgement for this long: the page is gone (Wi-Fi dropped without a FIN) or frozen.
    if (oldest !== null && nowMs - oldest >= this.#options.stallTimeoutMs) {
      this.#finish('stalled');
      this.#socket.terminate();
      return;
    }
    if (nowMs - this.#lastPingAtMs >= PING_INTERVAL_MS) {
      this.#lastPingAtMs = nowMs;
      this.#socket.ping();
    }
  }

  end(): void {
    if (this.#isClosed) return;
    this.#finish('ended');
    // 1012 "service restart": the page reconnects at once (size change, key change, server closing).
    this.#socket.close(1012, 'reconnect');
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
      isSlow: this.#consecutiveSkips >= SLOW_AFTER_SKIPS,
      connectedAtMs: this.connectedAtMs,
      pendingBytes: this.#socket.bufferedAmount,
      protocol: 'websocket',
      ...(this.#frameAgeMs !== null && { frameAgeMs: Math.round(this.#frameAgeMs) }),
      ...(this.#options.clientId !== null && { clientId: this.#options.clientId }),
    };
  }

  #onMessage(text: string | null): void {
    if (this.#isClosed) return;
    const message = parseClientMessage(text);
    if (message === null) {
      this.#badMessages += 1;
      if (this.#badMessages > MAX_BAD_MESSAGES) this.#socket.close(1008, 'bad messages');
      return;
    }
    const nowMs = Date.now();
    if (message.type === 'ping') {
      // The page estimates the clock offset to the broadcaster from this, to show "0.2 s behind" honestly.
      this.#socket.send(JSON.stringify({ type: 'pong', t: message.t, serverTimeMs: nowMs }));
      return;
    }
    const ack = this.#window.acknowledge(message.seq, nowMs);
    if (ack === null) return;
    this.#frameAgeMs = ack.frameAgeMs;
    const current = this.#hub.current;
    if (current.seq !== this.#lastSentSeq && this.#window.canSend) this.#send(current);
  }

  #send(frame: Frame): void {
    if (this.#isClosed) return;
    const nowMs = Date.now();
    const message = messageOf(frame);
    this.#consecutiveSkips = 0;
    this.#lastSentSeq = frame.seq;
    this.#window.sent(frame.seq, nowMs, frame.captureTimeMs);
    this.#framesSent += 1;
    this.#bytesSent += message.length;
    this.#fps.add(1, nowMs);
    this.#options.bytesOut.add(message.length, nowMs);
    this.#socket.send(message, { binary: true });
  }

  #finish(reason: WsCloseReason): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#hub.unsubscribe(this);
    this.#options.onClose(this, reason);
  }
}
