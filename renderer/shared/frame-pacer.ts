// Decides which camera frames get encoded: caps the rate at the target fps, or at 1 fps when nobody watches.

/** Frame interval while idle (no viewers): one frame a second keeps snapshots fresh at ~3 % of the cost. */
export const IDLE_INTERVAL_MS = 1000;

/**
 * A schedule, not a "time since last frame" check: a 30 fps camera with jitter would otherwise lose frames
 * against a 30 fps cap, and a 20 fps cap on a 30 fps camera would fall to 15. Frames may arrive up to a
 * fifth of an interval early; a source that falls behind by more than an interval restarts the schedule
 * instead of bursting to catch up.
 */
export class FramePacer {
  #fps: number;
  #isIdle = false;
  #dueMs = Number.NEGATIVE_INFINITY;

  constructor(fps: number) {
    this.#fps = fps;
  }

  get intervalMs(): number {
    return this.#isIdle ? IDLE_INTERVAL_MS : 1000 / this.#fps;
  }

  get isIdle(): boolean {
    return this.#isIdle;
  }

  setFps(fps: number): void {
    this.#fps = fps;
  }

  /** Leaving idle takes the very next frame, so a new viewer waits at most one camera frame. */
  setIdle(isIdle: boolean): void {
    if (this.#isIdle && !isIdle) this.#dueMs = Number.NEGATIVE_INFINITY;
    this.#isIdle = isIdle;
  }

  /** Whether the frame that arrived at `nowMs` should be encoded; taking it advances the schedule. */
  shouldTake(nowMs: number): boolean {
    const interval = this.intervalMs;
    // Idle gets no early tolerance, so it can never exceed one frame per second.
    const toleranceMs = this.#isIdle ? 0 : interval / 5;
    if (nowMs < this.#dueMs - toleranceMs) return false;
    if (nowMs - this.#dueMs > interval) this.#dueMs = nowMs;
    this.#dueMs += interval;
    return true;
  }
}
