// The viewer page's acknowledged frame channel at /stream.ws: admits WebSocket upgrades (same key, lockout and
// viewer limit as the multipart stream, plus an Origin check) and hands each socket to a WsViewer.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { presentedKey, type AuthGate } from '../core/auth.ts';
import type { FrameHub } from '../core/frame-hub.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import type { ViewerRegistry } from '../core/viewer-registry.ts';
import { clientAddress, parseClientId } from '../http/routes.ts';
import type { Logger } from '../types.ts';
import { WsViewer } from './ws-viewer.ts';

export const FRAME_CHANNEL_PATH = '/stream.ws';

export interface FrameChannelDeps {
  readonly hub: FrameHub;
  readonly registry: ViewerRegistry;
  readonly gate: AuthGate;
  readonly logger: Logger;
  readonly maxViewers: number;
  readonly stallTimeoutMs: number;
  readonly bytesOut: RateMeter;
  /** A viewer joined or left. */
  readonly onViewersChanged: () => void;
}

export interface FrameChannel {
  /** For the HTTP server's 'upgrade' event. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** Answers an upgrade we refuse with a plain HTTP response, then closes the socket. */
function refuse(socket: Duplex, status: number, message: string, extra = ''): void {
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nConnection: close\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message) + 1}\r\n` +
      `${extra}\r\n${message}\n`,
  );
}

/**
 * Browsers send Origin on every WebSocket handshake and do not apply the same-origin policy to it, so a page on
 * any site could otherwise read the camera through a visitor's browser (cross-site WebSocket hijacking).
 * Non-browser clients send no Origin and are judged by the key alone.
 */
function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export function createFrameChannel(deps: FrameChannelDeps): FrameChannel {
  // Only small text messages (acks, pings) ever come from the page.
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: 1024,
    perMessageDeflate: false,
  });

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => undefined);
      const url = new URL(req.url ?? '/', 'http://upgrade.invalid');
      if (url.pathname !== FRAME_CHANNEL_PATH) {
        refuse(socket, 404, 'Not found.');
        return;
      }
      if (!isSameOrigin(req)) {
        refuse(socket, 403, 'This stream may only be opened by the LanCam viewer page.');
        return;
      }
      const address = clientAddress(req.socket.remoteAddress);
      const verdict = deps.gate.check(
        address,
        presentedKey(url.searchParams, req.headers.authorization),
      );
      if (verdict === 'locked') {
        const retryAfterS = Math.ceil(deps.gate.lockoutMs / 1000);
        refuse(
          socket,
          429,
          'Too many wrong keys from this address.',
          `Retry-After: ${retryAfterS}\r\n`,
        );
        return;
      }
      if (verdict !== 'ok') {
        refuse(socket, 401, 'Access key required: add ?key=….');
        return;
      }
      if (deps.registry.size >= deps.maxViewers) {
        refuse(socket, 503, `Too many viewers (limit ${deps.maxViewers}).`, 'Retry-After: 5\r\n');
        return;
      }
      server.handleUpgrade(req, socket, head, (ws) => {
        const viewer = new WsViewer(ws, deps.hub, {
          id: deps.registry.nextId(),
          address,
          userAgent: (req.headers['user-agent'] ?? '').slice(0, 256),
          clientId: parseClientId(url.searchParams.get('client')),
          stallTimeoutMs: deps.stallTimeoutMs,
          bytesOut: deps.bytesOut,
          onClose: (closed, reason) => {
            deps.registry.delete(closed);
            if (reason === 'stalled') {
              deps.logger.warn(`viewer ${closed.id} (${address}) evicted: no acknowledgement`);
            }
            deps.onViewersChanged();
          },
        });
        deps.registry.add(viewer);
        viewer.start();
        deps.onViewersChanged();
      });
    },
  };
}
