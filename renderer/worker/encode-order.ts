// Which encode lane takes the next frame and which finished encodes are sent: plain sequence numbers, no I/O.

/** A frame handed to a lane: `seq` counts up in capture order from 0. */
export interface Dispatch {
  readonly seq: number;
  readonly lane: number;
}

/** 'emit': send it (newer than anything sent). 'drop': a newer frame was already sent, or the encode failed. */
export type Completion = 'emit' | 'drop';

/** How many encode workers to run: one core stays for the camera, compositor and IPC; more than 3 adds little. */
export function encodeWorkerCount(hardwareConcurrency: number | undefined): number {
  const cores = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency ?? 1) : 1;
  return Math.max(1, Math.min(3, cores - 1));
}

/**
 * Round-robin over `laneCount` lanes with at most one frame in flight per lane (so at most laneCount in all).
 * Results leave in capture order without waiting: a result older than the last one sent is dropped instead of
 * held back, so a slow encode never delays newer frames (latest-wins, as with a single encoder).
 */
export class EncodeOrder {
  readonly #laneBusy: boolean[];
  /** seq in flight per lane, so completion can free the right lane. */
  readonly #laneOf = new Map<number, number>();
  #nextSeq = 0;
  #lastLane = -1;
  #lastSentSeq = -1;
  #late = 0;

  constructor(laneCount: number) {
    if (!Number.isInteger(laneCount) || laneCount < 1) {
      throw new RangeError(`laneCount must be a positive integer, got ${String(laneCount)}`);
    }
    this.#laneBusy = Array.from({ length: laneCount }, () => false);
  }

  get laneCount(): number {
    return this.#laneBusy.length;
  }

  get inFlight(): number {
    return this.#laneOf.size;
  }

  get hasFreeLane(): boolean {
    return this.inFlight < this.laneCount;
  }

  /** Encodes that finished after a newer frame had been sent (and were therefore dropped). */
  get lateDrops(): number {
    return this.#late;
  }

  /** The seq a lane is encoding, or null when it is free. */
  inFlightOn(lane: number): number | null {
    for (const [seq, busyLane] of this.#laneOf) if (busyLane === lane) return seq;
    return null;
  }

  /** Takes the next free lane after the last one used; null when every lane is busy. */
  dispatch(): Dispatch | null {
    const count = this.laneCount;
    for (let step = 1; step <= count; step += 1) {
      const lane = (this.#lastLane + step) % count;
      if (this.#laneBusy[lane]) continue;
      this.#laneBusy[lane] = true;
      this.#lastLane = lane;
      const seq = this.#nextSeq++;
      this.#laneOf.set(seq, lane);
      return { seq, lane };
    }
    return null;
  }

  /** An encode finished (`ok`) or failed; frees its lane. Unknown or repeated seqs are dropped. */
  complete(seq: number, ok = true): Completion {
    const lane = this.#laneOf.get(seq);
    if (lane === undefined) return 'drop';
    this.#laneOf.delete(seq);
    this.#laneBusy[lane] = false;
    if (!ok) return 'drop';
    if (seq < this.#lastSentSeq) {
      this.#late += 1;
      return 'drop';
    }
    this.#lastSentSeq = seq;
    return 'emit';
  }
}
