// One viewer page receiving H.264 on the acknowledged channel: access units from the video hub, acknowledged by
// the page once decoded and drawn. A page that falls behind (unacknowledged units piling up) skips to the next
// keyframe and asks the encoder for one, so it is never more than about a GOP behind and never grows a queue.
import type { WebSocket } from 'ws';
import { RateMeter } from '../core/rate-meter.ts';
import type { Viewer } from '../core/viewer.ts';
import type { ViewerStats } from '../types.ts';
import { GopGate } from '../video/gop-gate.ts';
import { profileLevelId } from '../video/h264-parameter-sets.ts';
import type { AccessUnit, VideoConsumer, VideoHub } from '../video/video-hub.ts';
import { encodeFrameMessage, FRAME_KIND_H264 } from './frame-message.ts';
import { parseClientMessage, type ChannelViewerOptions } from './client-message.ts';

/** Unacknowledged for longer than this, the page is behind: the next unit it gets is a keyframe. */
const BEHIND_AFTER_MS = 600;
/** Unacknowledged bytes that also count as behind (about a second of 720p at 2.5 Mbit/s, or one big keyframe). */
const MAX_UNACKED_BYTES = 384 * 1024;
const PING_INTERVAL_MS = 15_000;

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
  readonly #socket: WebSocket;
  readonly #hub: VideoHub;
  readonly #options: ChannelViewerOptions<WsVideoViewer>;
  readonly #gate = new GopGate(MAX_UNACKED_BYTES);
  readonly #fps: RateMeter;
  readonly connectedAtMs: number;
  #inFlight: InFlight[] = [];
  #unsubscribe: (() => void) | null = null;
  #hasSentConfig = false;
  #framesSent = 0;
  #bytesSent = 0;
  #lastPingAtMs: number;
  #frameAgeMs: number | null = null;
  #badMessages = 0;
  #isClosed = false;

  constructor(socket: WebSocket, hub: VideoHub, options: ChannelViewerOptions<WsVideoViewer>) {
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
    this.#socket.on('message', (data, isBinary) => {
      this.#onMessage(!isBinary && Buffer.isBuffer(data) ? data.toString('utf8') : null);
    });
    this.#socket.on('close', () => {
      this.#finish('disconnected');
    });
    this.#socket.on('error', () => undefined);
    // Subscribing asks the encoder for a keyframe, so the page starts within a frame or two, not a GOP.
    this.#unsubscribe = this.#hub.subscribe(this);
  }

  onAccessUnit(unit: AccessUnit): void {
    if (this.#isClosed) return;
    const nowMs = Date.now();
    const oldest = this.#inFlight[0];
    const unackedBytes = this.#inFlight.reduce((sum, entry) => sum + entry.bytes, 0);
    const isBehind = oldest !== undefined && nowMs - oldest.sentAtMs > BEHIND_AFTER_MS;
    const wasWaiting = this.#gate.isWaitingForKey;
    const decision = this.#gate.decide(unit, isBehind ? Infinity : unackedBytes);
    if (decision === 'skip') {
      // A skip by a page that was not waiting means it fell behind just now: a keyframe sooner than the
      // next GOP gets it going again.
      if (!wasWaiting) this.#hub.requestKeyframe();
      return;
    }
    const sets = this.#hub.parameterSets;
    if (!this.#hasSentConfig && sets) {
      // avc1.PPCCLL from the SPS: what VideoDecoder.configure() needs; the chunks are Annex B (no description).
      const size = this.#hub.pictureSize;
      this.#socket.send(
        JSON.stringify({ type: 'video', codec: `avc1.${profileLevelId(sets.sps)}`, ...size }),
      );
      this.#hasSentConfig = true;
    }
    const message = messageOf(unit, nowMs, this.#hub.pictureSize ?? { width: 0, height: 0 });
    this.#inFlight.push({ seq: unit.seq, sentAtMs: nowMs, bytes: message.length });
    this.#framesSent += 1;
    this.#bytesSent += message.length;
    this.#fps.add(1, nowMs);
    this.#options.bytesOut.add(message.length, nowMs);
    this.#socket.send(message, { binary: true });
  }

  tick(nowMs: number): void {
    if (this.#isClosed) return;
    const oldest = this.#inFlight[0];
    if (oldest !== undefined && nowMs - oldest.sentAtMs >= this.#options.stallTimeoutMs) {
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
      skippedFrames: this.#gate.skippedUnits,
      isSlow: this.#gate.consecutiveSkips >= 5,
      connectedAtMs: this.connectedAtMs,
      pendingBytes: this.#socket.bufferedAmount,
      protocol: 'websocket',
      codec: 'h264',
      ...(this.#frameAgeMs !== null && { frameAgeMs: Math.round(this.#frameAgeMs) }),
      ...(this.#options.clientId !== null && { clientId: this.#options.clientId }),
    };
  }

  #onMessage(text: string | null): void {
    if (this.#isClosed) return;
    const message = parseClientMessage(text);
    if (message === null) {
      this.#badMessages += 1;
      if (this.#badMessages > 20) this.#socket.close(1008, 'bad messages');
      return;
    }
    const nowMs = Date.now();
    if (message.type === 'ping') {
      this.#socket.send(JSON.stringify({ type: 'pong', t: message.t, serverTimeMs: nowMs }));
      return;
    }
    if (message.type === 'keyframe') {
      // The page's decoder failed or it lost its place: start again from the next keyframe.
      this.#gate.rejoin();
      this.#hub.requestKeyframe();
      return;
    }
    const index = this.#inFlight.findIndex((entry) => entry.seq === message.seq);
    if (index < 0) return;
    const entry = this.#inFlight[index];
    if (entry) this.#frameAgeMs = nowMs - entry.sentAtMs;
    this.#inFlight = this.#inFlight.slice(index + 1);
  }

  #finish(reason: 'disconnected' | 'stalled' | 'ended'): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#options.onClose(this, reason);
  }
}
