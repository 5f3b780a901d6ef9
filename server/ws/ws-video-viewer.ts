// One viewer page receiving H.264 on the acknowledged channel: access units from the video hub, acknowledged by
// the page once decoded and drawn. A page that falls behind (unacknowledged units piling up) skips to the next
// keyframe and asks the encoder for one, so it is never more than about a GOP behind and never grows a queue.
import type { WebSocket } from 'ws';
import type { Viewer } from '../core/viewer.ts';
import type { ViewerStats } from '../types.ts';
import { GopGate } from '../video/gop-gate.ts';
import { profileLevelId } from '../video/h264-parameter-sets.ts';
import type { AccessUnit, VideoConsumer, VideoHub } from '../video/video-hub.ts';
import { encodeFrameMessage, FRAME_KIND_H264 } from './frame-message.ts';
import { ChannelDelivery } from './channel-delivery.ts';
import type { ChannelViewerOptions } from './client-message.ts';

/** Unacknowledged for longer than this, the page is behind: the next unit it gets is a keyframe. */
const BEHIND_AFTER_MS = 600;
/** Unacknowledged bytes that also count as behind (about a second of 720p at 2.5 Mbit/s, or one big keyframe). */
const MAX_UNACKED_BYTES = 384 * 1024;

/** Units in a row skipped before the page counts as slow (as for the other viewers). */
const SLOW_AFTER_SKIPS = 5;

const START_CODE = Uint8Array.of(0, 0, 0, 1);

// Built once per access unit, whatever the number of channel viewers.
const messages = new WeakMap<AccessUnit, Buffer>();
function messageOf(
  unit: AccessUnit,
  sentAtMs: number,
  size: { width: number; height: number },
): Buffer {
  let message = messages.get(unit);
  if (!message) {
    const annexB = Buffer.concat(unit.nalUnits.flatMap((nal) => [START_CODE, nal]));
    message = encodeFrameMessage(
      {
        kind: FRAME_KIND_H264,
        seq: unit.seq,
        // The hub hands units over as they are published: their arrival is their capture time, near enough.
        captureTimeMs: sentAtMs,
        ...size,
        isPlaceholder: false,
        isKey: unit.isKey,
      },
      annexB,
    );
    messages.set(unit, message);
  }
  return message;
}

interface InFlight {
  readonly seq: number;
  readonly sentAtMs: number;
  readonly bytes: number;
}

export class WsVideoViewer implements VideoConsumer, Viewer {
  readonly #delivery: ChannelDelivery<WsVideoViewer>;
  readonly #hub: VideoHub;
  readonly #gate = new GopGate(MAX_UNACKED_BYTES);
  #inFlight: InFlight[] = [];
  #unsubscribe: (() => void) | null = null;
  #hasSentConfig = false;

  constructor(socket: WebSocket, hub: VideoHub, options: ChannelViewerOptions<WsVideoViewer>) {
    this.#delivery = new ChannelDelivery(socket, options, 'h264');
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
      onKeyframeRequest: () => {
        // The page's decoder failed or lost its place: start again from the next keyframe, soon.
        this.#gate.rejoin();
        this.#hub.requestKeyframe();
      },
      onEnd: (reason) => {
        this.#unsubscribe?.();
        this.#unsubscribe = null;
        this.#delivery.options.onClose(this, reason);
      },
    });
    // Subscribing asks the encoder for a keyframe, so the page starts within a frame or two, not a GOP.
    this.#unsubscribe = this.#hub.subscribe(this);
  }

  onAccessUnit(unit: AccessUnit): void {
    if (this.#delivery.channel.isClosed) return;
    const nowMs = Date.now();
    const oldest = this.#inFlight[0];
    const unackedBytes = this.#inFlight.reduce((sum, entry) => sum + entry.bytes, 0);
    const isBehind = oldest !== undefined && nowMs - oldest.sentAtMs > BEHIND_AFTER_MS;
    const wasWaiting = this.#gate.isWaitingForKey;
    if (this.#gate.decide(unit, isBehind ? Infinity : unackedBytes) === 'skip') {
      // A skip by a page that was not waiting means it fell behind just now: a keyframe sooner than the
      // next GOP gets it going again.
      if (!wasWaiting) this.#hub.requestKeyframe();
      return;
    }
    const sets = this.#hub.parameterSets;
    if (!this.#hasSentConfig && sets) {
      // avc1.PPCCLL from the SPS: what VideoDecoder.configure() needs; the chunks are Annex B (no description).
      const size = this.#hub.pictureSize;
      this.#delivery.channel.sendJson({
        type: 'video',
        codec: `avc1.${profileLevelId(sets.sps)}`,
        ...size,
      });
      this.#hasSentConfig = true;
    }
    const message = messageOf(unit, nowMs, this.#hub.pictureSize ?? { width: 0, height: 0 });
    this.#inFlight.push({ seq: unit.seq, sentAtMs: nowMs, bytes: message.length });
    this.#delivery.send(message, nowMs);
  }

  tick(nowMs: number): void {
    this.#delivery.tick(nowMs, this.#inFlight[0]?.sentAtMs ?? null);
  }

  end(): void {
    this.#delivery.channel.end();
  }

  stats(nowMs: number): ViewerStats {
    return this.#delivery.stats(nowMs, {
      skippedFrames: this.#gate.skippedUnits,
      isSlow: this.#gate.consecutiveSkips >= SLOW_AFTER_SKIPS,
    });
  }

  #onAck(seq: number, nowMs: number): void {
    const index = this.#inFlight.findIndex((entry) => entry.seq === seq);
    const entry = this.#inFlight[index];
    if (index < 0 || !entry) return;
    this.#delivery.noteDrawn(nowMs - entry.sentAtMs);
    this.#inFlight = this.#inFlight.slice(index + 1);
  }
}
