// One viewer page receiving JPEG on the acknowledged channel: sends the newest frame whenever its window has room,
// and the page acknowledges each frame once drawn, so at most one or two frames are ever on their way.
import type { WebSocket } from 'ws';
import type { Frame, FrameHub, FrameSubscriber } from '../core/frame-hub.ts';
import type { Viewer } from '../core/viewer.ts';
import type { ViewerStats } from '../types.ts';
import { AckWindow } from './ack-window.ts';
import { ChannelDelivery } from './channel-delivery.ts';
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
  readonly #delivery: ChannelDelivery<WsViewer>;
  readonly #hub: FrameHub;
  readonly #window = new AckWindow();
  #lastSentSeq = -1;
  #skippedFrames = 0;
  #consecutiveSkips = 0;

  constructor(socket: WebSocket, hub: FrameHub, options: ChannelViewerOptions<WsViewer>) {
    this.#delivery = new ChannelDelivery(socket, options, 'jpeg');
    this.#hub = hub;
  }

  get id(): number {
    return this.#delivery.options.id;
  }

  get sourceId(): number {
    return this.#delivery.options.sourceId;
  }

  start(): void {
    this.#delivery.channel.listen({
      onAck: (seq, nowMs) => {
        this.#onAck(seq, nowMs);
      },
      // JPEG frames are all keyframes.
      onKeyframeRequest: () => undefined,
      onEnd: (reason) => {
        this.#hub.unsubscribe(this);
        this.#delivery.options.onClose(this, reason);
      },
    });
    this.#hub.subscribe(this);
    this.#send(this.#hub.current);
  }

  offer(frame: Frame): void {
    if (this.#delivery.channel.isClosed) return;
    if (!this.#window.canSend) {
      this.#skippedFrames += 1;
      this.#consecutiveSkips += 1;
      return;
    }
    this.#send(frame);
  }

  tick(nowMs: number): void {
    this.#delivery.tick(nowMs, this.#window.oldestSentAtMs);
  }

  end(): void {
    this.#delivery.channel.end();
  }

  stats(nowMs: number): ViewerStats {
    return this.#delivery.stats(nowMs, {
      skippedFrames: this.#skippedFrames,
      isSlow: this.#consecutiveSkips >= SLOW_AFTER_SKIPS,
    });
  }

  #onAck(seq: number, nowMs: number): void {
    const ack = this.#window.acknowledge(seq, nowMs);
    if (ack === null) return;
    this.#delivery.noteDrawn(ack.frameAgeMs);
    const current = this.#hub.current;
    if (current.seq !== this.#lastSentSeq && this.#window.canSend) this.#send(current);
  }

  #send(frame: Frame): void {
    if (this.#delivery.channel.isClosed) return;
    const nowMs = Date.now();
    this.#consecutiveSkips = 0;
    this.#lastSentSeq = frame.seq;
    this.#window.sent(frame.seq, nowMs, frame.captureTimeMs);
    this.#delivery.send(messageOf(frame), nowMs);
  }
}
