// Socket-level limits on the listening server, before any HTTP parsing: the total (server.maxConnections),
// a per-address share, and a short deadline for the first byte, so idle or hoarded sockets cannot starve
// real viewers. Protocols that share the server (HTTP, WebSocket upgrades) are covered alike.
import type { Server, Socket } from 'node:net';
import { normalizeAddress } from './client-address.ts';
import type { RateLimitedLog } from './rate-limited-log.ts';

export interface ConnectionLimits {
  /** Sockets open at once; beyond it Node closes new ones on accept. */
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  /** A socket that has sent no byte this long after connecting is closed. */
  readonly firstByteTimeoutMs: number;
  /** Addresses the per-address share does not apply to (trusted proxies, the machine itself). */
  readonly isUncapped: (address: string) => boolean;
  readonly log: RateLimitedLog;
}

export interface ConnectionGuard {
  /** Open sockets from `address` (its socket address, not a forwarded one). */
  socketsFor(address: string): number;
}

export function guardConnections(server: Server, limits: ConnectionLimits): ConnectionGuard {
  const byAddress = new Map<string, number>();
  server.maxConnections = limits.maxConnections;
  // net.Server emits 'drop' (Node ≥ 18.6) for each socket maxConnections turns away.
  server.on('drop', (data?: { remoteAddress?: string }) => {
    limits.log.warn(
      'max-connections',
      `connection from ${normalizeAddress(data?.remoteAddress)} refused: ${limits.maxConnections} sockets are open`,
    );
  });
  server.on('connection', (socket: Socket) => {
    const address = normalizeAddress(socket.remoteAddress);
    const count = (byAddress.get(address) ?? 0) + 1;
    if (count > limits.maxConnectionsPerAddress && !limits.isUncapped(address)) {
      limits.log.warn(
        'connections-per-address',
        `connection from ${address} refused: it already has ${count - 1} sockets open`,
      );
      socket.destroy();
      return;
    }
    byAddress.set(address, count);
    // bytesRead counts at the handle, so it sees bytes the HTTP parser consumed without 'data' events.
    const firstByteTimer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.firstByteTimeoutMs);
    firstByteTimer.unref();
    socket.once('close', () => {
      clearTimeout(firstByteTimer);
      const left = (byAddress.get(address) ?? 1) - 1;
      if (left > 0) byAddress.set(address, left);
      else byAddress.delete(address);
    });
  });
  return { socketsFor: (address) => byAddress.get(address) ?? 0 };
}
