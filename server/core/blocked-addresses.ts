// Addresses the user disconnected on purpose: refused by every protocol until the block runs out or the user
// allows them again. Consulted by checkAccess, so MJPEG, the frame channel and later protocols all honour it.

export interface BlockedAddress {
  readonly address: string;
  /** Epoch milliseconds when the block ends by itself. */
  readonly untilMs: number;
}

export class BlockedAddresses {
  readonly #untilMs = new Map<string, number>();

  block(address: string, durationMs: number, nowMs = Date.now()): void {
    if (!(Number.isFinite(durationMs) && durationMs > 0)) {
      throw new RangeError(`durationMs must be a positive number, got ${String(durationMs)}`);
    }
    this.#untilMs.set(address, nowMs + durationMs);
  }

  /** Returns true when the address was blocked. */
  allow(address: string): boolean {
    return this.#untilMs.delete(address);
  }

  isBlocked(address: string, nowMs = Date.now()): boolean {
    const untilMs = this.#untilMs.get(address);
    if (untilMs === undefined) return false;
    if (untilMs > nowMs) return true;
    this.#untilMs.delete(address);
    return false;
  }

  /** The blocks still in force, soonest to end first. */
  list(nowMs = Date.now()): BlockedAddress[] {
    const result: BlockedAddress[] = [];
    for (const [address, untilMs] of this.#untilMs) {
      if (untilMs > nowMs) result.push({ address, untilMs });
      else this.#untilMs.delete(address);
    }
    return result.sort((a, b) => a.untilMs - b.untilMs);
  }
}
