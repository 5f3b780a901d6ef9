// Keeps trying to open a busy camera with growing pauses until it opens or the user stops; no DOM, no camera.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** 1 s, 2 s, 4 s, 8 s, then every 10 s: quick when a call just ended, cheap when the camera stays taken. */
export const busyBackoff: BackoffOptions = { initialMs: 1000, maxMs: 10_000 };

/** Pause before retry number `attempt` (0-based). */
export function backoffDelayMs(attempt: number, options: BackoffOptions = busyBackoff): number {
  const doubled = options.initialMs * 2 ** Math.max(0, Math.floor(attempt));
  return Math.min(options.maxMs, doubled);
}

/** What one attempt found: 'busy' schedules the next one, 'done' ends the loop (opened, or another error). */
export type RetryOutcome = 'busy' | 'done';

/** One loop at a time; `cancel()` (the user pressed Stop) ends it, including an attempt in progress. */
export class BusyRetry {
  readonly #options: BackoffOptions;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #run = 0;
  #isActive = false;
  #attempts = 0;

  constructor(options: BackoffOptions = busyBackoff) {
    this.#options = options;
  }

  get isActive(): boolean {
    return this.#isActive;
  }

  /** Retries made so far in the current (or last) loop. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Starts a loop unless one is running (a repeated busy report must not reset the backoff). */
  start(attempt: () => Promise<RetryOutcome>): void {
    if (this.#isActive) return;
    this.#isActive = true;
    this.#attempts = 0;
    const run = ++this.#run;
    this.#schedule(run, attempt);
  }

  cancel(): void {
    this.#run += 1;
    this.#isActive = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(run: number, attempt: () => Promise<RetryOutcome>): void {
    const delayMs = backoffDelayMs(this.#attempts, this.#options);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#attempts += 1;
      attempt().then(
        (outcome) => {
          this.#after(run, outcome, attempt);
        },
        () => {
          this.#after(run, 'busy', attempt);
        },
      );
    }, delayMs);
  }

  #after(run: number, outcome: RetryOutcome, attempt: () => Promise<RetryOutcome>): void {
    if (run !== this.#run) return; // cancelled (or restarted) while the attempt ran
    if (outcome === 'done') {
      this.#isActive = false;
      return;
    }
    this.#schedule(run, attempt);
  }
}
