// The Host header check of open mode: a page on another site that rebinds its DNS name to this machine
// (DNS rebinding) still sends its own name as Host, so only names that can only mean this machine are answered.
// Pure, so the HTTP app, the WebSocket upgrade and RTSP share it.
import { isIP } from 'node:net';

/** The host part of a Host header, lowercased, without port, IPv6 brackets or a trailing dot; null if malformed. */
export function hostNameOf(hostHeader: string): string | null {
  const value = hostHeader.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed) return bracketed[1] ?? null;
  const plain = /^([^:\s[\]/]+)(?::\d{1,5})?$/.exec(value);
  if (!plain?.[1]) return null;
  return plain[1].endsWith('.') ? plain[1].slice(0, -1) : plain[1];
}

/**
 * The names open mode answers to besides IP literals: `localhost`, the machine's host name (as given and its
 * first label), `<first label>.local` (mDNS, as in the share URLs), and the user's own additions.
 */
export function allowedHostNames(hostname: string, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>(['localhost']);
  const add = (name: string): void => {
    const normal = hostNameOf(name);
    if (normal) names.add(normal);
  };
  add(hostname);
  const label = hostname.split('.')[0] ?? '';
  if (label !== '') {
    add(label);
    add(`${label}.local`);
  }
  for (const name of extra) add(name);
  return names;
}

/**
 * True when a request may be answered in open mode: no Host at all (HTTP/1.0 tools; browsers always send one),
 * an IPv4 or IPv6 literal with or without port, or one of `allowed` (see allowedHostNames).
 */
export function isAllowedHost(
  hostHeader: string | undefined,
  allowed: ReadonlySet<string>,
): boolean {
  if (hostHeader === undefined || hostHeader === '') return true;
  const name = hostNameOf(hostHeader);
  if (name === null) return false;
  return isIP(name) !== 0 || allowed.has(name);
}
