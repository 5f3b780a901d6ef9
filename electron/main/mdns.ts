// DNS-SD advertisement of the viewer page (`_http._tcp`) while live, so LAN browsers and apps can find it.
import { Bonjour } from 'bonjour-service';
import type { Advertiser } from './broadcast.ts';

/**
 * The TXT record names the viewer page only: the access key is never advertised, since anyone on the
 * network can read mDNS answers. Name conflicts and socket errors are logged, never fatal.
 */
export function createMdnsAdvertiser(name: string, log: (message: string) => void): Advertiser {
  let bonjour: Bonjour | null = null;
  return {
    start(port) {
      try {
        bonjour = new Bonjour({}, (error: unknown) => {
          log(`mDNS: ${String(error)}`);
        });
        const service = bonjour.publish({ name, type: 'http', port, txt: { path: '/' } });
        service.on('error', (error: unknown) => {
          log(`mDNS: ${String(error)}`);
        });
      } catch (error) {
        log(`mDNS advertisement unavailable: ${String(error)}`);
      }
    },
    stop() {
      const running = bonjour;
      bonjour = null;
      if (!running) return Promise.resolve();
      return new Promise((resolve) => {
        running.unpublishAll(() => {
          running.destroy();
          resolve();
        });
      });
    },
  };
}
