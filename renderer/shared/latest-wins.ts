// Runs at most one job at a time; while one runs, only the newest offered item waits, older ones are dropped.

export interface LatestWinsOptions<T> {
  readonly process: (item: T) => Promise<void>;
  /** Called for every item that is dropped unprocessed (VideoFrames and ImageBitmaps must be closed). */
  readonly discard: (item: T) => void;
  readonly onError: (error: unknown) => void;
}

export class LatestWins<T> {
  readonly #options: LatestWinsOptions<T>;
  #isBusy = false;
  #pending: { readonly item: T } | null = null;
  #dropped = 0;

  constructor(options: LatestWinsOptions<T>) {
    this.#options = options;
  }

  get isBusy(): boolean {
    return this.#isBusy;
  }

  /** Items replaced by a newer one before they could run. */
  get dropped(): number {
    return this.#dropped;
  }

  offer(item: T): void {
    if (!this.#isBusy) {
      void this.#run(item);
      return;
    }
    if (this.#pending) {
      this.#dropped += 1;
      this.#options.discard(this.#pending.item);
    }
    this.#pending = { item };
  }

  /** Drops the waiting item, if any; the running job finishes. */
  clear(): void {
    if (this.#pending) this.#options.discard(this.#pending.item);
    this.#pending = null;
  }

  async #run(first: T): Promise<void> {
    this.#isBusy = true;
    let item: T | null = first;
    while (item !== null) {
      try {
        await this.#options.process(item);
      } catch (error) {
        this.#options.onError(error);
      }
      item = this.#pending?.item ?? null;
      this.#pending = null;
    }
    this.#isBusy = false;
  }
}
