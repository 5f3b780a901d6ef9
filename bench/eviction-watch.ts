// Polls a server's /status.json to time how long stalled viewers stay counted before the server evicts them.
import { setTimeout as sleep } from 'node:timers/promises';
import { STALLED_USER_AGENT } from './stalled-socket.ts';

const POLL_MS = 250;

interface StatusView {
  readonly viewerCount?: unknown;
  readonly viewers?: readonly { readonly userAgent?: unknown; readonly bytesSent?: unknown }[];
}

export interface Eviction {
  /** From the stalled sockets' connect until the viewer count no longer included them. */
  readonly afterConnectMs: number;
  /**
   * From the last poll that saw the stalled viewers' bytesSent grow (their kernel buffers filling) until they
   * were gone: what stallTimeoutMs promises. Null when /status.json has no per-viewer figures (the baseline).
   */
  readonly afterLastProgressMs: number | null;
}

export class EvictionWatch {
  readonly #statusUrl: string;
  readonly #activeViewers: number;
  #startedAtMs = 0;
  #hasSeenStalled = false;
  #isStopped = false;
  #stalledBytesSent = -1;
  #lastProgressAtMs: number | null = null;
  eviction: Eviction | null = null;

  /** `activeViewers`: the readers that stay; a count above it means stalled viewers are still held. */
  constructor(statusUrl: string, activeViewers: number) {
    this.#statusUrl = statusUrl;
    this.#activeViewers = activeViewers;
  }

  /** Call when the stalled sockets connect. */
  start(): void {
    this.#startedAtMs = performance.now();
    void this.#poll();
  }

  stop(): void {
    this.#isStopped = true;
  }

  // A method, not the field: TypeScript would narrow the field to false across the await above.
  #hasStopped(): boolean {
    return this.#isStopped;
  }

  async #poll(): Promise<void> {
    while (!this.#isStopped && this.eviction === null) {
      const status = await this.#status();
      // Readers closing after the window would look like an eviction.
      if (this.#hasStopped()) return;
      const now = performance.now();
      const count = typeof status?.viewerCount === 'number' ? status.viewerCount : null;
      this.#trackProgress(status, now);
      if (count !== null && count > this.#activeViewers) this.#hasSeenStalled = true;
      if (count !== null && count <= this.#activeViewers && this.#hasSeenStalled) {
        this.eviction = {
          afterConnectMs: now - this.#startedAtMs,
          afterLastProgressMs:
            this.#lastProgressAtMs === null ? null : now - this.#lastProgressAtMs,
        };
      }
      await sleep(POLL_MS);
    }
  }

  #trackProgress(status: StatusView | null, now: number): void {
    const stalled = (status?.viewers ?? []).filter((v) => v.userAgent === STALLED_USER_AGENT);
    if (stalled.length === 0) return;
    const bytes = stalled.reduce(
      (sum, v) => sum + (typeof v.bytesSent === 'number' ? v.bytesSent : 0),
      0,
    );
    if (bytes !== this.#stalledBytesSent) {
      this.#stalledBytesSent = bytes;
      this.#lastProgressAtMs = now;
    }
  }

  async #status(): Promise<StatusView | null> {
    try {
      const response = await fetch(this.#statusUrl, { signal: AbortSignal.timeout(2000) });
      return (await response.json()) as StatusView;
    } catch {
      return null;
    }
  }
}
