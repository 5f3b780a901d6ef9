// Binds a TCP server (HTTP, RTSP): its default port or the next free one, or exactly the port asked for.
import type { Server } from 'node:net';

export const DEFAULT_PORT = 8080;
/** How many ports after the default to try before letting the OS pick one. */
const FALLBACK_ATTEMPTS = 20;
/**
 * Pending-connection queue length. In the benchmark a burst of 1 000 viewers connecting at once overflowed
 * Node's default of 511; the dropped SYNs were retried after a second, pushing first-frame p99 past 1 s. The
 * kernel caps this at net.core.somaxconn anyway, so asking for more costs nothing.
 */
const LISTEN_BACKLOG = 4096;

function listenOnce(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true, backlog: LISTEN_BACKLOG });
  });
}

const isInUse = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE';

/**
 * `port` undefined: `defaultPort` (8080 for HTTP), the next ones, … then any free port. A given port
 * (0 = any) is used exactly; if it is busy the error names it, because the user chose it and a silent
 * move would break their bookmarks.
 */
export async function listenWithFallback(
  server: Server,
  host: string,
  port: number | undefined,
  defaultPort = DEFAULT_PORT,
): Promise<number> {
  if (port !== undefined) {
    try {
      await listenOnce(server, host, port);
    } catch (error) {
      if (isInUse(error)) {
        throw new Error(`Port ${port} is already in use on ${host}; choose another port.`, {
          cause: error,
        });
      }
      throw error;
    }
    return boundPort(server);
  }
  for (let candidate = defaultPort; candidate <= defaultPort + FALLBACK_ATTEMPTS; candidate++) {
    try {
      await listenOnce(server, host, candidate);
      return boundPort(server);
    } catch (error) {
      if (!isInUse(error)) throw error;
    }
  }
  await listenOnce(server, host, 0);
  return boundPort(server);
}

function boundPort(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not on TCP');
  return address.port;
}
