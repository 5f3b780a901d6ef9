// The live stream viewers and the one timer that drives every viewer's upkeep (repeat, stall eviction),
// so a thousand viewers cost one timer, not a thousand.
import type { Viewer } from './viewer.ts';

export class ViewerRegistry {
  readonly #viewers = new Set<Viewer>();
  readonly #tickMs: number;
  #timer: NodeJS.Timeout | null = null;
  #lastId = 0;

  constructor(tickMs: number) {
    this.#tickMs = tickMs;
  }

  /** Ids are unique across every protocol, so the control window can name one viewer. */
  nextId(): number {
    return ++this.#lastId;
  }

  get size(): number {
    return this.#viewers.size;
  }

  values(): IterableIterator<Viewer> {
    return this.#viewers.values();
  }

  add(viewer: Viewer): void {
    this.#viewers.add(viewer);
    if (!this.#timer) {
      this.#timer = setInterval(() => {
        this.#tick();
      }, this.#tickMs);
      this.#timer.unref();
    }
  }

  delete(viewer: Viewer): void {
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

  /** Ends the streams of one source; returns how many were ended. */
  endSource(sourceId: number): number {
    let count = 0;
    for (const viewer of [...this.#viewers]) {
      if (viewer.sourceId !== sourceId) continue;
      viewer.end();
      count += 1;
    }
    return count;
  }

  /** Viewers of one source. */
  countOf(sourceId: number): number {
    let count = 0;
    for (const viewer of this.#viewers) if (viewer.sourceId === sourceId) count += 1;
    return count;
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
