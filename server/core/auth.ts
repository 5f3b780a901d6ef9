// The access key: generation, the credentials a request presents, constant-time comparison, how strong a key
// is, and the per-address lockout after repeated wrong keys.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { addressGroup } from './client-address.ts';

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

/**
 * Every key a request presents: `?key=` and the password of a Basic Authorization header (any user name, so
 * VLC/ffmpeg `http://x:KEY@host/` URLs work). Both are returned: either one being right is enough, so a stale
 * `?key=` left in a bookmark cannot spoil a correct password, nor the other way round.
 */
export function presentedKeys(query: URLSearchParams, authorization: string | undefined): string[] {
  const keys: string[] = [];
  const fromQuery = query.get('key');
  if (fromQuery !== null) keys.push(fromQuery);
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (match?.[1]) {
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) keys.push(decoded.slice(colon + 1));
  }
  return keys;
}

/** Estimated bits a key must have to count as strong: 2^96 guesses stay out of reach without any lockout. */
export const STRONG_KEY_BITS = 96;

/**
 * A key is strong when guessing it is hopeless even with unlimited attempts: at least 20 characters,
 * length × log2(alphabet of the character classes it uses) ≥ 96 bits, at least 10 different characters, and no
 * whitespace (passphrases of dictionary words carry far fewer bits than their length suggests). Every key LanCam
 * generates (22 random base64url characters, 128 bits) passes, except with odds below 1 in 10^8 for the
 * distinct-character rule; `openssl rand -base64 16` and password-manager keys pass too.
 */
export function isStrongKey(key: string): boolean {
  const characters = Array.from(key);
  if (characters.length < 20 || /\s/u.test(key)) return false;
  if (new Set(characters).size < 10) return false;
  let alphabet = 0;
  if (/[a-z]/.test(key)) alphabet += 26;
  if (/[A-Z]/.test(key)) alphabet += 26;
  if (/[0-9]/.test(key)) alphabet += 10;
  // The printable ASCII symbols.
  if (/[!-/:-@[-`{-~]/.test(key)) alphabet += 32;
  // Anything else (accented letters, other scripts): counted conservatively as a small extra alphabet.
  if (/[^\x20-\x7e]/u.test(key)) alphabet += 32;
  return characters.length * Math.log2(alphabet) >= STRONG_KEY_BITS;
}

/** 'locked': the address (or the whole gate, see AuthGateOptions) is in a lockout and no strong key was right. */
export type AuthVerdict = 'ok' | 'missing' | 'wrong' | 'locked';

export interface AuthGateOptions {
  /** null = open mode. */
  readonly key: string | null;
  /** Let a correct key through while its address is locked out; default isStrongKey(key). */
  readonly isKeyStrong?: boolean;
  readonly maxFailures?: number;
  readonly failureWindowMs?: number;
  readonly lockoutMs?: number;
  /**
   * Addresses with recent failures remembered at once (the oldest are forgotten beyond this), and separately
   * the number of lockouts held at once. Lockouts are never forgotten early: if that many are active, every
   * address counts as locked until the oldest expires, so address rotation cannot buy more guesses.
   */
  readonly maxTrackedAddresses?: number;
  /** Told when an address group is locked out, for the log. */
  readonly onLockout?: (group: string) => void;
}

interface FailureRecord {
  readonly windowStartMs: number;
  failures: number;
  /** Matches the record's newest entry in the recency queue; older entries for the group are stale. */
  stamp: number;
}

/**
 * A FIFO with O(1) amortised push and shift. Not a Map used as a queue: V8 keeps deleted Map entries until the
 * next rehash, so taking the first key after many deletes at the front scans them all (measured: 200 000
 * failures over a full 50 000-entry Map took 8.7 s; with this, milliseconds).
 */
class Fifo<T> {
  #items: T[] = [];
  #head = 0;

  get length(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    const item = this.#items[this.#head];
    if (item === undefined) return undefined;
    this.#head += 1;
    // Drop the consumed front once it is the larger half: each item is copied O(1) times overall.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Keeps only the items still wanted; callers run it when most items have gone stale. */
  retain(isWanted: (item: T) => boolean): void {
    this.#items = this.#items.slice(this.#head).filter(isWanted);
    this.#head = 0;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Counts wrong keys per address group (an IPv4 address, an IPv6 /64) and locks a group out after
 * `maxFailures` within `failureWindowMs`. Each check costs O(1) amortised: failures are forgotten least
 * recently failed first (a recency queue beside the Map), lockouts expire from the front of a queue in
 * expiry order (all last `lockoutMs`); an active lockout is never dropped.
 */
export class AuthGate {
  readonly #keyDigest: Buffer | null;
  readonly #isKeyStrong: boolean;
  readonly #maxFailures: number;
  readonly #failureWindowMs: number;
  readonly #lockoutMs: number;
  readonly #maxTracked: number;
  readonly #onLockout: ((group: string) => void) | undefined;
  readonly #failures = new Map<string, FailureRecord>();
  readonly #failureOrder = new Fifo<{ readonly group: string; readonly stamp: number }>();
  #lastStamp = 0;
  /** Group → locked until (epoch ms). */
  readonly #lockouts = new Map<string, number>();
  readonly #lockoutOrder = new Fifo<{ readonly group: string; readonly untilMs: number }>();

  constructor(options: AuthGateOptions) {
    this.#keyDigest = options.key === null ? null : digest(options.key);
    this.#isKeyStrong = options.isKeyStrong ?? (options.key !== null && isStrongKey(options.key));
    this.#maxFailures = options.maxFailures ?? 10;
    this.#failureWindowMs = options.failureWindowMs ?? 60_000;
    this.#lockoutMs = options.lockoutMs ?? 5 * 60_000;
    this.#maxTracked = options.maxTrackedAddresses ?? 10_000;
    this.#onLockout = options.onLockout;
  }

  get isOpen(): boolean {
    return this.#keyDigest === null;
  }

  get isKeyStrong(): boolean {
    return this.#isKeyStrong;
  }

  get lockoutMs(): number {
    return this.#lockoutMs;
  }

  /**
   * Judges one request presenting `keys` (see presentedKeys): right if any of them is. A request with wrong
   * keys counts once towards its address's lockout, one with none does not. While an address is locked out a
   * strong key still passes (guessing it is hopeless anyway), so one mistyped key cannot shut out everyone
   * behind the same NAT or proxy; a weak key gets 'locked' whatever it presents.
   */
  check(address: string, keys: readonly string[], nowMs = Date.now()): AuthVerdict {
    const keyDigest = this.#keyDigest;
    if (keyDigest === null) return 'ok';
    this.#expireLockouts(nowMs);
    const group = addressGroup(address);
    const isLocked = this.#lockouts.has(group) || this.#lockouts.size >= this.#maxTracked;
    // Hashing first gives equal lengths, which timingSafeEqual needs, without leaking the key's length.
    let isRight = false;
    for (const key of keys) isRight = timingSafeEqual(digest(key), keyDigest) || isRight;
    if (isLocked) return isRight && this.#isKeyStrong ? 'ok' : 'locked';
    if (isRight) return 'ok';
    if (keys.length === 0) return 'missing';
    this.#recordFailure(group, nowMs);
    return 'wrong';
  }

  /** For tests and status: address groups remembered (recent failures plus active lockouts). */
  get trackedAddresses(): number {
    return this.#failures.size + this.#lockouts.size;
  }

  /** For tests and status: address groups locked out now. */
  lockedAddresses(nowMs = Date.now()): number {
    this.#expireLockouts(nowMs);
    return this.#lockouts.size;
  }

  #recordFailure(group: string, nowMs: number): void {
    let record = this.#failures.get(group);
    if (!record || nowMs - record.windowStartMs > this.#failureWindowMs) {
      record = { windowStartMs: nowMs, failures: 0, stamp: 0 };
    }
    record.failures += 1;
    if (record.failures >= this.#maxFailures) {
      this.#failures.delete(group);
      // At capacity the gate already treats everyone as locked (see check), so nothing is lost by not adding.
      if (this.#lockouts.size < this.#maxTracked) {
        const untilMs = nowMs + this.#lockoutMs;
        this.#lockouts.set(group, untilMs);
        this.#lockoutOrder.push({ group, untilMs });
      }
      this.#onLockout?.(group);
      return;
    }
    record.stamp = ++this.#lastStamp;
    this.#failures.set(group, record);
    this.#failureOrder.push({ group, stamp: record.stamp });
    const isCurrent = (entry: { group: string; stamp: number }): boolean =>
      this.#failures.get(entry.group)?.stamp === entry.stamp;
    while (this.#failures.size > this.#maxTracked) {
      const oldest = this.#failureOrder.shift();
      if (oldest && isCurrent(oldest)) this.#failures.delete(oldest.group);
    }
    // Repeat failures leave stale entries behind; sweep them once they outnumber the live ones.
    if (this.#failureOrder.length > 2 * this.#failures.size + 64)
      this.#failureOrder.retain(isCurrent);
  }

  #expireLockouts(nowMs: number): void {
    for (let entry = this.#lockoutOrder.peek(); entry; entry = this.#lockoutOrder.peek()) {
      if (this.#lockouts.get(entry.group) === entry.untilMs) {
        if (entry.untilMs > nowMs) return;
        this.#lockouts.delete(entry.group);
      }
      this.#lockoutOrder.shift();
    }
  }
}
