// Port probes for tests that must name a port before something binds it, or see a port released again.
import { createServer } from 'node:net';

/** A port the OS just handed out on loopback and released: free now, though nothing stops a later taker. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}

/**
 * Whether something can listen on the port right now. `host` undefined probes the wildcard address, the one a
 * LAN-facing server binds, so a server still holding the port on any interface answers false.
 */
export function canListen(port: number, host?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, host, () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}
