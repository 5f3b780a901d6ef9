// The access key: generation, extraction from ?key= or an HTTP Basic password, constant-time comparison,
// and the per-address lockout after repeated wrong keys.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * 16 random bytes = 128 bits, 22 URL-safe characters. A key that starts with '-' reads as an option in
 * `lancam serve --key K` (node:util parseArgs calls it ambiguous), so such draws (1 in 64) are thrown away;
 * redrawing keeps the remaining keys uniform, which mapping the first character would not.
 */
export function generateKey(): string {
  for (;;) {
    const key = randomBytes(16).toString('base64url');
    if (!key.startsWith('-')) return key;
  }
}

/** The key a request presents: `?key=` first, else the password of a Basic Authorization header. */
export function presentedKey(
  query: URLSearchParams,
  authorization: string | undefined,
): string | null {
  const fromQuery = query.get('key');
  if (fromQuery !== null) return fromQuery;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // Any user name: the key is the password, so VLC/ffmpeg `http://x:KEY@host/` URLs work.
  return colon < 0 ? null : decoded.slice(colon + 1);
}

export type AuthVerdict = 'ok' | 'missing' | 'wrong' | 'locked';

export interface AuthGateOptions {
  /** null = open mode. */
  readonly key: string | null;
  readonly maxFailures?: number;
  readonly failureWindowMs?: number;
  readonly lockoutMs?: number;
  /** Addresses remembered at once; beyond this the oldest entries go, so a flood cannot grow memory. */
  readonly maxTrackedAddresses?: number;
}

interface FailureRecord {
  windowStartMs: number;
  failures: number;
  lockedUntilMs: number;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export class AuthGate {
  readonly #keyDigest: Buffer | null;
  readonly #maxFailures: number;
  readonly #failureWindowMs: number;
  readonly #lockoutMs: number;
  readonly #maxTracked: number;
  readonly #records = new Map<string, FailureRecord>();

  constructor(options: AuthGateOptions) {
    this.#keyDigest = options.key === null ? null : digest(options.key);
    this.#maxFailures = options.maxFailures ?? 10;
    this.#failureWindowMs = options.failureWindowMs ?? 60_000;
    this.#lockoutMs = options.lockoutMs ?? 5 * 60_000;
    this.#maxTracked = options.maxTrackedAddresses ?? 10_000;
  }

  get isOpen(): boolean {
    return this.#keyDigest === null;
  }

  get lockoutMs(): number {
    return this.#lockoutMs;
  }

  /** Judges one request; a wrong key counts towards the address's lockout, a missing one does not. */
  check(address: string, key: string | null, nowMs = Date.now()): AuthVerdict {
    if (this.#keyDigest === null) return 'ok';
    const record = this.#records.get(address);
    if (record && record.lockedUntilMs > nowMs) return 'locked';
    if (key === null) return 'missing';
    // Hashing first gives equal lengths, which timingSafeEqual needs, without leaking the key's length.
    if (timingSafeEqual(digest(key), this.#keyDigest)) return 'ok';
    this.#recordFailure(address, nowMs);
    return 'wrong';
  }

  #recordFailure(address: string, nowMs: number): void {
    let record = this.#records.get(address);
    if (!record || nowMs - record.windowStartMs > this.#failureWindowMs) {
      record = { windowStartMs: nowMs, failures: 0, lockedUntilMs: 0 };
    }
    // Re-inserting keeps the Map in least-recently-failed order for eviction.
    this.#records.delete(address);
    this.#records.set(address, record);
    record.failures += 1;
    if (record.failures >= this.#maxFailures) record.lockedUntilMs = nowMs + this.#lockoutMs;
    if (this.#records.size > this.#maxTracked) this.#prune(nowMs);
  }

  #prune(nowMs: number): void {
    for (const [address, record] of this.#records) {
      const isStale =
        record.lockedUntilMs <= nowMs && nowMs - record.windowStartMs > this.#failureWindowMs;
      if (isStale) this.#records.delete(address);
    }
    for (const address of this.#records.keys()) {
      if (this.#records.size <= this.#maxTracked) break;
      this.#records.delete(address);
    }
  }

  /** For tests and status: how many addresses are remembered. */
  get trackedAddresses(): number {
    return this.#records.size;
  }
}
