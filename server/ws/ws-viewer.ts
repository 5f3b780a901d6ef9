// One viewer page receiving JPEG on the acknowledged channel: sends the newest frame whenever its window has room,
// and the page acknowledges each frame once drawn, so at most one or two frames are ever on their way.
import type { WebSocket } from 'ws';
import type { Frame, FrameHub, FrameSubscriber } from '../core/frame-hub.ts';
import { RateMeter } from '../core/rate-meter.ts';
import type { Viewer } from '../core/viewer.ts';
import type { ViewerStats } from '../types.ts';
import { AckWindow } from './ack-window.ts';
import { ChannelSocket, channelStats } from './channel-socket.ts';
import type { ChannelViewerOptions } from './client-message.ts';
import { encodeFrameMessage, FRAME_KIND_JPEG } from './frame-message.ts';

/** Frames in a row that went by unsent before the viewer counts as slow (as for multipart viewers). */
const SLOW_AFTER_SKIPS = 5;

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

export class WsViewer implements FrameSubscriber, Viewer {
  readonly #channel: ChannelSocket;
  readonly #hub: FrameHub;
  readonly #options: ChannelViewerOptions<WsViewer>;
  readonly #window = new AckWindow();
  readonly #fps: RateMeter;
  readonly connectedAtMs: number;
  #lastSentSeq = -1;
  #framesSent = 0;
  #bytesSent = 0;
  #skippedFrames = 0;
  #consecutiveSkips = 0;
  #frameAgeMs: number | null = null;

  constructor(socket: WebSocket, hub: FrameHub, options: ChannelViewerOptions<WsViewer>) {
    this.#channel = new ChannelSocket(socket);
    this.#hub = hub;
    this.#options = options;
    this.connectedAtMs = Date.now();
    this.#fps = new RateMeter(this.connectedAtMs);
  }

  get id(): number {
    return this.#options.id;
  }

  get sourceId(): number {
    return this.#options.sourceId;
  }

  start(): void {
    this.#channel.listen({
      onAck: (seq, nowMs) => {
        this.#onAck(seq, nowMs);
      },
      // JPEG frames are all keyframes.
      onKeyframeRequest: () => undefined,
      onEnd: (reason) => {
        this.#hub.unsubscribe(this);
        this.#options.onClose(this, reason);
      },
    });
    this.#hub.subscribe(this);
    this.#send(this.#hub.current);
  }

  offer(frame: Frame): void {
    if (this.#channel.isClosed) return;
    if (!this.#window.canSend) {
      this.#skippedFrames += 1;
      this.#consecutiveSkips += 1;
      return;
    }
    this.#send(frame);
  }

  tick(nowMs: number): void {
    if (this.#channel.isClosed) return;
    const oldest = this.#window.oldestSentAtMs;
    if (oldest !== null && nowMs - oldest >= this.#options.stallTimeoutMs) {
      this.#channel.evict();
      return;
    }
    this.#channel.keepAlive(nowMs);
  }

  end(): void {
    this.#channel.end();
  }

  stats(nowMs: number): ViewerStats {
    return channelStats(this.#options, {
      fps: this.#fps.rate(nowMs),
      bytesSent: this.#bytesSent,
      framesSent: this.#framesSent,
      skippedFrames: this.#skippedFrames,
      isSlow: this.#consecutiveSkips >= SLOW_AFTER_SKIPS,
      connectedAtMs: this.connectedAtMs,
      pendingBytes: this.#channel.bufferedBytes,
      codec: 'jpeg',
      frameAgeMs: this.#frameAgeMs,
    });
  }

  #onAck(seq: number, nowMs: number): void {
    const ack = this.#window.acknowledge(seq, nowMs);
    if (ack === null) return;
    this.#frameAgeMs = ack.frameAgeMs;
    const current = this.#hub.current;
    if (current.seq !== this.#lastSentSeq && this.#window.canSend) this.#send(current);
  }

  #send(frame: Frame): void {
    if (this.#channel.isClosed) return;
    const nowMs = Date.now();
    const message = messageOf(frame);
    this.#consecutiveSkips = 0;
    this.#lastSentSeq = frame.seq;
    this.#window.sent(frame.seq, nowMs, frame.captureTimeMs);
    this.#framesSent += 1;
    this.#bytesSent += message.length;
    this.#fps.add(1, nowMs);
    this.#options.bytesOut.add(message.length, nowMs);
    this.#channel.send(message);
  }
}
