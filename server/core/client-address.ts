// Who a request comes from: the socket's address in one canonical form, the group a lockout applies to, and the
// client behind a trusted reverse proxy (X-Forwarded-For). Pure functions, shared by every protocol.
import { BlockList, isIP, isIPv6 } from 'node:net';

/** `::ffff:10.0.0.5` → `10.0.0.5`, so one client has one address in the lockout table, the caps and the status. */
export function normalizeAddress(remote: string | undefined): string {
  if (!remote) return 'unknown';
  return remote.startsWith('::ffff:') && remote.includes('.') ? remote.slice(7) : remote;
}

/**
 * The unit a lockout applies to: an IPv4 address as it is, an IPv6 address by its /64 prefix, since one IPv6
 * host usually owns a whole /64 and could otherwise rotate through addresses for fresh guesses (RFC 4291 §2.5.4).
 */
export function addressGroup(address: string): string {
  // Checked before isIPv6, whose regular expression showed in a keyless-flood profile.
  if (!address.includes(':')) return address;
  const bare = address.split('%')[0] ?? address;
  if (!isIPv6(bare) || bare.includes('.')) return bare;
  const [head = '', tail] = bare.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: 8 - headGroups.length - tailGroups.length }, () => '0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

/**
 * Parses an address-list option (`trustedProxies`, `uncappedAddresses`): IP addresses or CIDR ranges
 * (`10.0.0.0/8`, `fd00::/8`). Throws a RangeError naming the option and the first entry that is neither.
 */
export function parseAddressList(optionName: string, entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefixText] = entry.trim().split('/');
    const family = isIP(address);
    const prefix = prefixText === undefined ? null : Number(prefixText);
    const maxPrefix = family === 6 ? 128 : 32;
    const isValidPrefix =
      prefix === null || (/^\d{1,3}$/.test(prefixText ?? '') && prefix <= maxPrefix);
    if (family === 0 || !isValidPrefix) {
      throw new RangeError(`${optionName}: "${entry}" is not an IP address or CIDR range`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (prefix === null) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
  }
  return list;
}

/** True when `address` (an IP literal) is in `list`; false for anything else. */
export function isListed(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client's address. Without trusted proxies, or from a peer that is not one, it is the socket's address
 * and any X-Forwarded-For is ignored (anyone can write one). From a trusted proxy, X-Forwarded-For is read from
 * its right end, where each trusted hop appended the address it saw, and the first hop that is not itself a
 * trusted proxy is the client; an entry that is not an IP address ends the walk at the last good hop.
 */
export function resolveClientAddress(
  remote: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: BlockList | null,
): string {
  const peer = normalizeAddress(remote);
  if (trustedProxies === null || forwardedFor === undefined || !isListed(trustedProxies, peer)) {
    return peer;
  }
  // Several X-Forwarded-For headers are one list in order (RFC 9110 §5.3).
  const hops = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(','))
    .split(',')
    .map((hop) => normalizeAddress(hop.trim().replace(/^\[(.*)\]$/, '$1')));
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? '';
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!isListed(trustedProxies, hop)) return hop;
  }
  return client;
}
