// The WebSocket side every channel viewer shares: reads the page's messages (acknowledgements, keyframe requests;
// clock pings answered here), keeps the connection alive through NATs, and reports its end exactly once.
import type { WebSocket } from 'ws';
import { parseClientMessage, type ChannelCloseReason } from './client-message.ts';

/** Protocol pings keep NAT and Wi-Fi power-save from dropping a channel that waits on a paused broadcast. */
const PING_INTERVAL_MS = 15_000;
/** Malformed messages tolerated before the channel is closed as broken. */
const MAX_BAD_MESSAGES = 20;

export interface ChannelEvents {
  /** The page has drawn `seq`. */
  onAck(seq: number, nowMs: number): void;
  /** The page wants to start again from a keyframe (its decoder failed or fell behind). */
  onKeyframeRequest(): void;
  /** Once, however the channel ends. */
  onEnd(reason: ChannelCloseReason): void;
}

export class ChannelSocket {
  readonly #ws: WebSocket;
  #lastPingAtMs = Date.now();
  #badMessages = 0;
  #isClosed = false;
  #events: ChannelEvents | null = null;

  constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Bytes ws holds for this socket in user space. */
  get bufferedBytes(): number {
    return this.#ws.bufferedAmount;
  }

  listen(events: ChannelEvents): void {
    this.#events = events;
    this.#ws.on('message', (data, isBinary) => {
      this.#onMessage(!isBinary && Buffer.isBuffer(data) ? data.toString('utf8') : null);
    });
    this.#ws.on('close', () => {
      this.#finish('disconnected');
    });
    // 'close' follows every error; without a listener an error would be thrown (and take down Electron's main).
    this.#ws.on('error', () => undefined);
  }

  send(message: Buffer): void {
    this.#ws.send(message, { binary: true });
  }

  sendJson(value: unknown): void {
    this.#ws.send(JSON.stringify(value));
  }

  keepAlive(nowMs: number): void {
    if (nowMs - this.#lastPingAtMs < PING_INTERVAL_MS) return;
    this.#lastPingAtMs = nowMs;
    this.#ws.ping();
  }

  /** The page stopped acknowledging (Wi-Fi gone without a FIN, a frozen tab): cut it off at once. */
  evict(): void {
    this.#finish('stalled');
    this.#ws.terminate();
  }

  /** 1012 "service restart": the page reconnects at once (size change, key change, server closing). */
  end(): void {
    if (this.#isClosed) return;
    this.#finish('ended');
    this.#ws.close(1012, 'reconnect');
  }

  #onMessage(text: string | null): void {
    if (this.#isClosed) return;
    const message = parseClientMessage(text);
    if (message === null) {
      this.#badMessages += 1;
      if (this.#badMessages > MAX_BAD_MESSAGES) this.#ws.close(1008, 'bad messages');
      return;
    }
    const nowMs = Date.now();
    if (message.type === 'ping') {
      // The page estimates the clock offset to the broadcaster from this, to show "0.2 s behind" honestly.
      this.sendJson({ type: 'pong', t: message.t, serverTimeMs: nowMs });
    } else if (message.type === 'keyframe') {
      this.#events?.onKeyframeRequest();
    } else {
      this.#events?.onAck(message.seq, nowMs);
    }
  }

  #finish(reason: ChannelCloseReason): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#events?.onEnd(reason);
  }
}
