// How many frames a viewer on the acknowledged channel may have in flight: the rule that keeps a slow link's
// picture fresh on every OS, whatever the kernel buffers. Pure: plain numbers in, a decision out.

/** An acknowledgement faster than this means a fast link, where a second frame in flight hides the round trip. */
export const FAST_ROUND_TRIP_MS = 100;

interface InFlight {
  readonly seq: number;
  readonly sentAtMs: number;
  readonly captureTimeMs: number;
}

export interface Acknowledgement {
  /** Send → acknowledged (the page has drawn the frame). */
  readonly roundTripMs: number;
  /** Capture → acknowledged, on the server's clock. */
  readonly frameAgeMs: number;
}

export class AckWindow {
  #inFlight: InFlight[] = [];
  #limit = 1;

  /** Frames sent and not yet acknowledged. */
  get inFlight(): number {
    return this.#inFlight.length;
  }

  /** 1 until a fast acknowledgement shows a fast link; back to 1 as soon as one is slow. */
  get limit(): number {
    return this.#limit;
  }

  get canSend(): boolean {
    return this.#inFlight.length < this.#limit;
  }

  /** When the oldest unacknowledged frame was sent, or null with nothing in flight. */
  get oldestSentAtMs(): number | null {
    return this.#inFlight[0]?.sentAtMs ?? null;
  }

  sent(seq: number, sentAtMs: number, captureTimeMs: number): void {
    this.#inFlight.push({ seq, sentAtMs, captureTimeMs });
  }

  /**
   * The page drew `seq`; it and everything sent before it leave the window (a page may skip acknowledging a
   * frame it replaced before drawing). Null for a seq that is not in flight (late, repeated or made up).
   */
  acknowledge(seq: number, nowMs: number): Acknowledgement | null {
    const index = this.#inFlight.findIndex((entry) => entry.seq === seq);
    if (index < 0) return null;
    const entry = this.#inFlight[index];
    if (!entry) return null;
    this.#inFlight = this.#inFlight.slice(index + 1);
    const roundTripMs = nowMs - entry.sentAtMs;
    // On a slow link a second frame would wait behind the first and arrive a whole transfer older.
    this.#limit = roundTripMs < FAST_ROUND_TRIP_MS ? 2 : 1;
    return { roundTripMs, frameAgeMs: nowMs - entry.captureTimeMs };
  }
}
