// The H.264 access-unit hub: validates what the encoder publishes, remembers the parameter sets, and hands
// every access unit to the consumers (RTSP sessions now, other channels later). Protocol-neutral.
import { RateMeter } from '../core/rate-meter.ts';
import type { VideoChunk } from '../types.ts';
import {
  NAL_AUD,
  NAL_IDR,
  NAL_PPS,
  NAL_SPS,
  nalType,
  splitAnnexB,
  startsWithStartCode,
} from './annex-b.ts';
import { spsPictureSize, type ParameterSets } from './h264-parameter-sets.ts';

export interface AccessUnit {
  /** Increases by one per accepted access unit. */
  readonly seq: number;
  readonly isKey: boolean;
  readonly timestampUs: number;
  /** NAL units without start codes or access unit delimiters; a keyframe always opens with SPS and PPS. */
  readonly nalUnits: readonly Uint8Array[];
  /** Sum of the NAL unit sizes. */
  readonly bytes: number;
}

export interface VideoConsumer {
  onAccessUnit(unit: AccessUnit): void;
}

export type VideoRejectReason =
  | 'not-bytes'
  | 'too-large'
  | 'no-start-code'
  | 'no-picture'
  | 'bad-timestamp'
  | 'no-keyframe-yet'
  | 'key-without-idr'
  | 'no-parameter-sets';

/** 4 MiB: far above a 1080p keyframe at any sane bitrate, low enough that a bad sender cannot bloat memory. */
export const MAX_ACCESS_UNIT_BYTES = 4 * 1024 * 1024;

export class VideoHub {
  readonly #consumers = new Set<VideoConsumer>();
  readonly #keyframeListeners = new Set<() => void>();
  readonly #countListeners = new Set<(count: number) => void>();
  readonly #rejects = new Map<VideoRejectReason, number>();
  readonly #sourceFps: RateMeter;
  readonly #maxBytes: number;
  #parameterSets: ParameterSets | null = null;
  #pictureSize: { width: number; height: number } | null = null;
  #seq = 0;
  #hasKeyframe = false;
  #latestTimestampUs: number | null = null;
  #lastBytes = 0;

  constructor(options: { maxAccessUnitBytes?: number; nowMs?: number } = {}) {
    this.#maxBytes = options.maxAccessUnitBytes ?? MAX_ACCESS_UNIT_BYTES;
    this.#sourceFps = new RateMeter(options.nowMs ?? Date.now());
  }

  /** Validates and distributes one access unit; false (and counted) when it is refused. Never throws. */
  publish(chunk: VideoChunk): boolean {
    const reason = this.#check(chunk);
    if (typeof reason === 'string') {
      this.#rejects.set(reason, (this.#rejects.get(reason) ?? 0) + 1);
      return false;
    }
    this.#seq += 1;
    this.#latestTimestampUs = chunk.timestampUs;
    this.#sourceFps.add(1, Date.now());
    const unit: AccessUnit = {
      seq: this.#seq,
      isKey: chunk.isKey,
      timestampUs: chunk.timestampUs,
      nalUnits: reason,
      bytes: reason.reduce((sum, nal) => sum + nal.length, 0),
    };
    this.#lastBytes = unit.bytes;
    for (const consumer of [...this.#consumers]) consumer.onAccessUnit(unit);
    return true;
  }

  #check(chunk: VideoChunk): VideoRejectReason | Uint8Array[] {
    const { data } = chunk as { data: unknown };
    if (!(data instanceof Uint8Array) || typeof chunk.isKey !== 'boolean') return 'not-bytes';
    if (data.length > this.#maxBytes) return 'too-large';
    if (!startsWithStartCode(data)) return 'no-start-code';
    if (!Number.isFinite(chunk.timestampUs)) return 'bad-timestamp';
    const units = splitAnnexB(data).filter(
      (nal) => nalType(nal) !== NAL_AUD && ((nal[0] ?? 0) & 0x80) === 0,
    );
    const types = units.map(nalType);
    if (!types.some((type) => type >= 1 && type <= 5)) return 'no-picture';
    if (!chunk.isKey) return this.#hasKeyframe ? units : 'no-keyframe-yet';
    if (!types.includes(NAL_IDR)) return 'key-without-idr';
    const sps = units.find((nal) => nalType(nal) === NAL_SPS);
    const pps = units.find((nal) => nalType(nal) === NAL_PPS);
    if (sps && pps) {
      // Copies: the caller's buffer may be reused, and these outlive the chunk (SDP for later clients).
      this.#parameterSets = { sps: Uint8Array.from(sps), pps: Uint8Array.from(pps) };
      this.#pictureSize = spsPictureSize(sps);
    }
    const sets = this.#parameterSets;
    if (!sets) return 'no-parameter-sets';
    this.#hasKeyframe = true;
    // Every keyframe opens with SPS and PPS, so a consumer that starts on it needs nothing else.
    const pictures = units.filter((nal) => {
      const type = nalType(nal);
      return type !== NAL_SPS && type !== NAL_PPS;
    });
    return [sets.sps, sets.pps, ...pictures];
  }

  /** Latest SPS/PPS, from the most recent keyframe that carried them. */
  get parameterSets(): ParameterSets | null {
    return this.#parameterSets;
  }

  get pictureSize(): { width: number; height: number } | null {
    return this.#pictureSize;
  }

  get latestTimestampUs(): number | null {
    return this.#latestTimestampUs;
  }

  get lastAccessUnitBytes(): number {
    return this.#lastBytes;
  }

  sourceFps(nowMs = Date.now()): number {
    return this.#sourceFps.rate(nowMs);
  }

  get rejectedChunks(): number {
    let total = 0;
    for (const count of this.#rejects.values()) total += count;
    return total;
  }

  rejectsByReason(): ReadonlyMap<VideoRejectReason, number> {
    return this.#rejects;
  }

  get consumerCount(): number {
    return this.#consumers.size;
  }

  /** Adds a consumer; it receives access units from the next one on, and a keyframe is asked for. */
  subscribe(consumer: VideoConsumer): () => void {
    this.#consumers.add(consumer);
    this.#notify(this.#countListeners, this.#consumers.size);
    this.requestKeyframe();
    return () => {
      if (this.#consumers.delete(consumer))
        this.#notify(this.#countListeners, this.#consumers.size);
    };
  }

  /** Called with the new count whenever a consumer joins or leaves (start or stop the encoder on it). */
  onConsumerCountChange(listener: (count: number) => void): () => void {
    this.#countListeners.add(listener);
    return () => this.#countListeners.delete(listener);
  }

  #notify<T>(listeners: ReadonlySet<(value: T) => void>, value: T): void {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch {
        // A listener's failure must not stop the others or the publisher.
      }
    }
  }

  /** Asks the encoder for a keyframe now (a consumer joined, or one fell behind and waits for a GOP). */
  requestKeyframe(): void {
    this.#notify(this.#keyframeListeners, undefined);
  }

  onKeyframeRequest(listener: () => void): () => void {
    this.#keyframeListeners.add(listener);
    return () => this.#keyframeListeners.delete(listener);
  }
}
