// What every channel viewer does the same way, whatever it carries: sends and counts its messages (frames,
// bytes, rate, the server's bytes out), evicts a page that stopped acknowledging, keeps the socket alive, and
// reports itself in the status. The JPEG and H.264 viewers add only what they send and when.
import type { WebSocket } from 'ws';
import { RateMeter } from '../core/rate-meter.ts';
import type { ViewerStats } from '../types.ts';
import { ChannelSocket } from './channel-socket.ts';
import type { ChannelViewerOptions } from './client-message.ts';

/** What differs per viewer kind in its status row. */
export interface ChannelSkips {
  readonly skippedFrames: number;
  readonly isSlow: boolean;
}

export class ChannelDelivery<V> {
  readonly channel: ChannelSocket;
  readonly options: ChannelViewerOptions<V>;
  readonly connectedAtMs = Date.now();
  readonly #codec: 'jpeg' | 'h264';
  readonly #fps = new RateMeter(this.connectedAtMs);
  #framesSent = 0;
  #bytesSent = 0;
  #frameAgeMs: number | null = null;

  constructor(socket: WebSocket, options: ChannelViewerOptions<V>, codec: 'jpeg' | 'h264') {
    this.channel = new ChannelSocket(socket);
    this.options = options;
    this.#codec = codec;
  }

  send(message: Buffer, nowMs: number): void {
    this.#framesSent += 1;
    this.#bytesSent += message.length;
    this.#fps.add(1, nowMs);
    this.options.bytesOut.add(message.length, nowMs);
    this.channel.send(message);
  }

  /** Capture (or send) → drawn, for the frame the page just acknowledged. */
  noteDrawn(ageMs: number): void {
    this.#frameAgeMs = ageMs;
  }

  /** Evicts the page when its oldest unacknowledged message is older than the stall timeout; else keeps it alive. */
  tick(nowMs: number, oldestUnackedAtMs: number | null): void {
    if (this.channel.isClosed) return;
    if (oldestUnackedAtMs !== null && nowMs - oldestUnackedAtMs >= this.options.stallTimeoutMs) {
      this.channel.evict();
      return;
    }
    this.channel.keepAlive(nowMs);
  }

  stats(nowMs: number, skips: ChannelSkips): ViewerStats {
    const { options } = this;
    return {
      id: options.id,
      address: options.address,
      userAgent: options.userAgent,
      fps: Math.round(this.#fps.rate(nowMs) * 10) / 10,
      bytesSent: this.#bytesSent,
      framesSent: this.#framesSent,
      ...skips,
      connectedAtMs: this.connectedAtMs,
      pendingBytes: this.channel.bufferedBytes,
      codec: this.#codec,
      protocol: 'websocket',
      sourceId: options.sourceId,
      ...(this.#frameAgeMs !== null && { frameAgeMs: Math.round(this.#frameAgeMs) }),
      ...(options.clientId !== null && { clientId: options.clientId }),
    };
  }
}
