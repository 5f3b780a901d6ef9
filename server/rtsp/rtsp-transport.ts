// Reads a SETUP request's Transport header (RFC 2326 §12.39) into the one transport this server will use:
// RTP/AVP over the RTSP connection (interleaved) or RTP/AVP over UDP unicast.

export type RequestedTransport =
  | { readonly kind: 'tcp'; readonly channels: readonly [number, number] }
  | { readonly kind: 'udp'; readonly clientPorts: readonly [number, number] };

function pair(value: string | undefined, max: number): [number, number] | null {
  if (value === undefined) return null;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  if (!match) return null;
  const first = Number(match[1]);
  const second = match[2] === undefined ? first + 1 : Number(match[2]);
  if (first > max || second > max) return null;
  return [first, second];
}

/**
 * The first acceptable alternative of a Transport header (clients may list several, comma-separated, in
 * order of preference), or null when none is: multicast, another profile, or no ports/channels that fit.
 */
export function chooseTransport(header: string | undefined): RequestedTransport | null {
  if (!header) return null;
  for (const alternative of header.split(',')) {
    const [spec = '', ...params] = alternative.trim().split(';');
    const options = new Map<string, string | undefined>();
    for (const param of params) {
      const eq = param.indexOf('=');
      const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
      options.set(name, eq < 0 ? undefined : param.slice(eq + 1).trim());
    }
    if (options.has('multicast')) continue;
    const protocol = spec.toUpperCase();
    if (protocol === 'RTP/AVP/TCP') {
      const channels: [number, number] | null = options.has('interleaved')
        ? pair(options.get('interleaved'), 255)
        : [0, 1];
      if (channels) return { kind: 'tcp', channels };
      continue;
    }
    if (protocol === 'RTP/AVP' || protocol === 'RTP/AVP/UDP') {
      const ports = pair(options.get('client_port'), 65535);
      if (ports && ports[0] > 0 && ports[1] > 0) return { kind: 'udp', clientPorts: ports };
    }
  }
  return null;
}
