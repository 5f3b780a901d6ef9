// The one access decision every protocol makes before serving: who the client is (behind trusted proxies),
// the Host check of open mode, and the key with its lockout. Returns what to answer; never writes anything.
import type { IncomingHttpHeaders } from 'node:http';
import type { BlockList } from 'node:net';
import { presentedKeys, type AuthGate } from './auth.ts';
import type { BlockedAddresses } from './blocked-addresses.ts';
import { resolveClientAddress } from './client-address.ts';
import { isAllowedHost } from './host-check.ts';
import type { RateLimitedLog } from './rate-limited-log.ts';

export interface AccessPolicy {
  readonly gate: AuthGate;
  /** null: no proxy is trusted and X-Forwarded-For is ignored. */
  readonly trustedProxies: BlockList | null;
  /** Names accepted as Host in open mode besides IP literals (see allowedHostNames). */
  readonly allowedHosts: ReadonlySet<string>;
  readonly log: RateLimitedLog;
  /** Addresses the user disconnected; absent: nobody is blocked. */
  readonly blocked?: BlockedAddresses;
}

export interface AccessRequest {
  readonly remoteAddress: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The request's query, for `?key=`. */
  readonly query: URLSearchParams;
}

export type AccessRefusal = 'blocked' | 'host' | 'missing-key' | 'wrong-key' | 'locked';

export type AccessDecision =
  | { readonly isAllowed: true; readonly address: string }
  | {
      readonly isAllowed: false;
      readonly address: string;
      readonly refusal: AccessRefusal;
      readonly status: 401 | 403 | 429;
      readonly message: string;
      /** Headers to send with the refusal (WWW-Authenticate, Retry-After). */
      readonly headers: Readonly<Record<string, string>>;
    };

export function checkAccess(
  policy: AccessPolicy,
  request: AccessRequest,
  nowMs = Date.now(),
): AccessDecision {
  const { gate } = policy;
  const address = resolveClientAddress(
    request.remoteAddress,
    request.headers['x-forwarded-for'],
    policy.trustedProxies,
  );
  // Before the key: the user's own "Disconnect" outranks a key the blocked device still holds.
  if (policy.blocked?.isBlocked(address, nowMs)) {
    return {
      isAllowed: false,
      address,
      refusal: 'blocked',
      status: 403,
      message:
        'The owner of this camera disconnected this device. Ask them to allow it again in LanCam.',
      headers: {},
    };
  }
  if (gate.isOpen) {
    // With a key, a rebound page cannot read anything without it; the Host check matters in open mode only.
    const host = request.headers.host;
    if (isAllowedHost(host, policy.allowedHosts)) return { isAllowed: true, address };
    policy.log.warn(
      'host',
      `refused a request from ${address} for host "${String(host).slice(0, 100)}" (open mode answers only this machine's names; see allowedHosts)`,
    );
    return {
      isAllowed: false,
      address,
      refusal: 'host',
      status: 403,
      message:
        'This camera is in open mode and answers only requests addressed to this computer: its IP ' +
        'address, localhost or its own name. To use another name, add it to the allowed host names ' +
        '(lancam serve --allow-host NAME).',
      headers: {},
    };
  }
  const verdict = gate.check(
    address,
    presentedKeys(request.query, request.headers.authorization),
    nowMs,
  );
  switch (verdict) {
    case 'ok':
      return { isAllowed: true, address };
    case 'locked':
      return {
        isAllowed: false,
        address,
        refusal: 'locked',
        status: 429,
        message: 'Too many wrong keys from this address. Try again in a few minutes.',
        headers: { 'Retry-After': String(Math.ceil(gate.lockoutMs / 1000)) },
      };
    case 'missing':
    case 'wrong':
      return {
        isAllowed: false,
        address,
        refusal: verdict === 'missing' ? 'missing-key' : 'wrong-key',
        status: 401,
        message: 'Access key required: add ?key=… or use it as the password.',
        // Players (VLC, ffmpeg) and browsers opening the stream directly prompt for it; the key is the password.
        headers: { 'WWW-Authenticate': 'Basic realm="LanCam", charset="UTF-8"' },
      };
  }
}
