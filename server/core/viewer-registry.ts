// The live stream viewers and the one timer that drives every viewer's upkeep (repeat, stall eviction),
// so a thousand viewers cost one timer, not a thousand.
import type { MjpegViewer } from '../mjpeg/mjpeg-viewer.ts';

export class ViewerRegistry {
  readonly #viewers = new Set<MjpegViewer>();
  readonly #tickMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(tickMs: number) {
    this.#tickMs = tickMs;
  }

  get size(): number {
    return this.#viewers.size;
  }

  values(): IterableIterator<MjpegViewer> {
    return this.#viewers.values();
  }

  add(viewer: MjpegViewer): void {
    this.#viewers.add(viewer);
    if (!this.#timer) {
      this.#timer = setInterval(() => {
        this.#tick();
      }, this.#tickMs);
      this.#timer.unref();
    }
  }

  delete(viewer: MjpegViewer): void {
    this.#viewers.delete(viewer);
    if (this.#viewers.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /** Ends every stream; the viewers remove themselves through their onClose. */
  endAll(): void {
    for (const viewer of [...this.#viewers]) viewer.end();
  }

  /** True while the upkeep timer exists; for the leak tests. */
  get hasTimer(): boolean {
    return this.#timer !== null;
  }

  #tick(): void {
    const nowMs = Date.now();
    for (const viewer of [...this.#viewers]) viewer.tick(nowMs);
  }
}
