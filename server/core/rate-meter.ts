// Events-per-second over rolling windows of about a second, cheap enough to keep one per viewer.

const WINDOW_MS = 1000;

export class RateMeter {
  #windowStartMs: number;
  #count = 0;
  #rate = 0;

  constructor(nowMs: number) {
    this.#windowStartMs = nowMs;
  }

  add(amount: number, nowMs: number): void {
    this.#roll(nowMs);
    this.#count += amount;
  }

  /** Rate over the last completed window; decays to 0 when nothing is added. */
  rate(nowMs: number): number {
    this.#roll(nowMs);
    return this.#rate;
  }

  #roll(nowMs: number): void {
    const elapsed = nowMs - this.#windowStartMs;
    if (elapsed < WINDOW_MS) return;
    // A window much longer than WINDOW_MS means nobody looked for a while: it still averages correctly.
    this.#rate = (this.#count * 1000) / elapsed;
    this.#count = 0;
    this.#windowStartMs = nowMs;
  }
}
