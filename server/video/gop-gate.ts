// Latest-wins at GOP level for one consumer: while its output is backed up it drops access units and then
// waits for the next keyframe, so it never queues more than a bounded amount and never decodes a broken GOP.
import type { AccessUnit } from './video-hub.ts';

export type GateDecision = 'send' | 'skip';

export class GopGate {
  readonly #maxPendingBytes: number;
  #isWaitingForKey = true;
  #hasSent = false;
  #skipped = 0;
  #consecutiveSkips = 0;

  /** `maxPendingBytes`: how much may sit unsent in front of this consumer before it starts skipping. */
  constructor(maxPendingBytes: number) {
    this.#maxPendingBytes = maxPendingBytes;
  }

  /** Decides for one access unit, given the bytes still queued for this consumer. */
  decide(unit: AccessUnit, pendingBytes: number): GateDecision {
    if (pendingBytes > this.#maxPendingBytes) {
      this.#isWaitingForKey = true;
      return this.#skip();
    }
    if (this.#isWaitingForKey && !unit.isKey) return this.#skip();
    this.#isWaitingForKey = false;
    this.#hasSent = true;
    this.#consecutiveSkips = 0;
    return 'send';
  }

  #skip(): GateDecision {
    // Waiting for the very first keyframe is joining, not falling behind.
    if (!this.#hasSent) return 'skip';
    this.#skipped += 1;
    this.#consecutiveSkips += 1;
    return 'skip';
  }

  /** Starts over as if joining: after a pause, the next unit sent must be a keyframe again. */
  rejoin(): void {
    this.#isWaitingForKey = true;
    this.#hasSent = false;
    this.#consecutiveSkips = 0;
  }

  /** True before the first keyframe and after falling behind, until the next keyframe goes out. */
  get isWaitingForKey(): boolean {
    return this.#isWaitingForKey;
  }

  get skippedUnits(): number {
    return this.#skipped;
  }

  get consecutiveSkips(): number {
    return this.#consecutiveSkips;
  }
}
