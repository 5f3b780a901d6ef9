// RTSP access control with the broadcast's key: Basic (RFC 7617) and Digest MD5 (RFC 2617 §3, which RTSP
// clients and NVRs implement; many send only Digest), judged by the same AuthGate and lockout as HTTP.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { presentedKeys, type AuthGate, type AuthVerdict } from '../core/auth.ts';

export const REALM = 'LanCam';
export type AuthScheme = 'basic' | 'digest';

/** A nonce is accepted this long; a connection that authenticated once is not asked again. */
const NONCE_TTL_MS = 10 * 60_000;

export type RtspAuthVerdict = AuthVerdict | 'stale';

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

/** Parses `name=value` and `name="quoted value"` pairs of a Digest header (RFC 2617 §3.2.2). */
export function parseDigestParams(header: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const match of header.matchAll(pattern)) {
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
    params.set((match[1] ?? '').toLowerCase(), value);
  }
  return params;
}

export interface RtspAuthOptions {
  readonly gate: AuthGate;
  readonly key: string | null;
  /** Offered in this order in 401 challenges; both are always accepted. Default Digest first. */
  readonly schemes?: readonly AuthScheme[];
  /** Addresses the user disconnected and blocked: refused (403) like a locked-out address, key or not. */
  readonly isBlocked?: (address: string) => boolean;
}

export class RtspAuthenticator {
  readonly #gate: AuthGate;
  readonly #key: string | null;
  readonly #schemes: readonly AuthScheme[];
  readonly #isBlocked: (address: string) => boolean;
  readonly #secret = randomBytes(32);

  constructor(options: RtspAuthOptions) {
    this.#gate = options.gate;
    this.#key = options.key;
    this.#schemes = options.schemes ?? ['digest', 'basic'];
    this.#isBlocked = options.isBlocked ?? (() => false);
  }

  get isOpen(): boolean {
    return this.#gate.isOpen;
  }

  /** Judges a request's credentials: the Authorization header (Basic or Digest) or a `?key=` in its URL. */
  judge(
    method: string,
    query: URLSearchParams,
    authorization: string | undefined,
    address: string,
    nowMs = Date.now(),
  ): RtspAuthVerdict {
    if (this.#isBlocked(address)) return 'locked';
    if (this.#gate.isOpen || this.#key === null) return 'ok';
    if (authorization !== undefined && /^Digest\s/i.test(authorization)) {
      return this.#judgeDigest(method, authorization, address, nowMs);
    }
    return this.#gate.check(address, presentedKeys(query, authorization), nowMs);
  }

  #judgeDigest(method: string, header: string, address: string, nowMs: number): RtspAuthVerdict {
    const key = this.#key ?? '';
    const params = parseDigestParams(header.replace(/^Digest\s+/i, ''));
    const username = params.get('username');
    const nonce = params.get('nonce');
    const uri = params.get('uri');
    const response = params.get('response');
    const algorithm = params.get('algorithm') ?? 'MD5';
    if (
      username === undefined ||
      nonce === undefined ||
      uri === undefined ||
      response === undefined ||
      algorithm.toUpperCase() !== 'MD5' ||
      !this.#isOurNonce(nonce)
    ) {
      // Not an answer to our challenge: ask again without counting it against the address.
      return this.#gate.check(address, [], nowMs);
    }
    const ha1 = md5(`${username}:${params.get('realm') ?? ''}:${key}`);
    const ha2 = md5(`${method}:${uri}`);
    const qop = params.get('qop');
    const expected =
      qop === undefined
        ? md5(`${ha1}:${nonce}:${ha2}`)
        : md5(
            `${ha1}:${nonce}:${params.get('nc') ?? ''}:${params.get('cnonce') ?? ''}:${qop}:${ha2}`,
          );
    const isMatch =
      params.get('realm') === REALM &&
      response.length === expected.length &&
      timingSafeEqual(Buffer.from(response.toLowerCase()), Buffer.from(expected));
    // The gate owns the lockout; it is handed the key on a match and, on a mismatch, a value that
    // differs from the key in every case (the key plus one character), so it counts a wrong key.
    const verdict = this.#gate.check(address, [isMatch ? key : `${key}\u0000`], nowMs);
    if (verdict === 'ok' && this.#nonceExpiryMs(nonce) < nowMs) return 'stale';
    return verdict;
  }

  /** WWW-Authenticate values for a 401, in the configured order. `isStale` tells Digest clients to retry. */
  challenges(isStale = false, nowMs = Date.now()): string[] {
    return this.#schemes.map((scheme) =>
      scheme === 'basic'
        ? `Basic realm="${REALM}"`
        : // realm first, then nonce: live555 (VLC) reads exactly that order.
          `Digest realm="${REALM}", nonce="${this.#newNonce(nowMs)}", algorithm=MD5${isStale ? ', stale=TRUE' : ''}`,
    );
  }

  /** Expiry (hex ms) + random, signed with a per-process secret, so no nonce table is needed. */
  #newNonce(nowMs: number): string {
    const body = `${(nowMs + NONCE_TTL_MS).toString(16).padStart(12, '0')}${randomBytes(8).toString('hex')}`;
    return `${body}${this.#sign(body)}`;
  }

  #sign(body: string): string {
    return createHmac('sha256', this.#secret).update(body).digest('hex').slice(0, 24);
  }

  #isOurNonce(nonce: string): boolean {
    if (!/^[0-9a-f]{52}$/.test(nonce)) return false;
    const body = nonce.slice(0, 28);
    return timingSafeEqual(Buffer.from(nonce.slice(28)), Buffer.from(this.#sign(body)));
  }

  #nonceExpiryMs(nonce: string): number {
    return parseInt(nonce.slice(0, 12), 16);
  }
}
