// The viewer page's acknowledged frame channel at /stream.ws: admits WebSocket upgrades (the same access check and
// viewer slots as the multipart stream, plus an Origin check) and hands each socket to a WsViewer.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { checkAccess, type AccessPolicy } from '../core/access.ts';
import type { ViewerAdmission } from '../core/admission.ts';
import type { FrameHub } from '../core/frame-hub.ts';
import type { RateLimitedLog } from '../core/rate-limited-log.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import type { ViewerRegistry } from '../core/viewer-registry.ts';
import { parseClientId } from '../http/routes.ts';
import { WsViewer } from './ws-viewer.ts';

export const FRAME_CHANNEL_PATH = '/stream.ws';

export interface FrameChannelDeps {
  readonly access: AccessPolicy;
  readonly stream: {
    readonly hub: FrameHub;
    readonly registry: ViewerRegistry;
    readonly admission: ViewerAdmission;
    /** For what clients cause (evictions, refusals): rate-limited. */
    readonly log: RateLimitedLog;
    readonly stallTimeoutMs: number;
    readonly bytesOut: RateMeter;
    /** A viewer joined or left. */
    readonly onViewersChanged: () => void;
  };
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
  413: 'Content Too Large',
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
      const access = checkAccess(deps.access, {
        remoteAddress: req.socket.remoteAddress,
        headers: req.headers,
        query: url.searchParams,
      });
      if (!access.isAllowed) {
        const extra = Object.entries(access.headers)
          .filter(([name]) => name !== 'WWW-Authenticate')
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('');
        refuse(socket, access.status, access.message, extra);
        return;
      }
      const { address } = access;
      const { stream } = deps;
      const admission = stream.admission.admit(address);
      if (!admission.isAdmitted) {
        const { refusal } = admission;
        stream.log.warn(refusal.reason, `channel refused to ${address}: ${refusal.message}`);
        refuse(socket, refusal.status, refusal.message, `Retry-After: ${refusal.retryAfterS}\r\n`);
        return;
      }
      const { slot } = admission;
      // ws answers a malformed handshake itself and never calls back: the slot must not leak then.
      let isUpgraded = false;
      socket.once('close', () => {
        if (!isUpgraded) slot.release();
      });
      server.handleUpgrade(req, socket, head, (ws) => {
        isUpgraded = true;
        const viewer = new WsViewer(ws, stream.hub, {
          id: stream.registry.nextId(),
          address,
          userAgent: (req.headers['user-agent'] ?? '').slice(0, 256),
          clientId: parseClientId(url.searchParams.get('client')),
          stallTimeoutMs: stream.stallTimeoutMs,
          bytesOut: stream.bytesOut,
          onClose: (closed, reason) => {
            slot.release();
            stream.registry.delete(closed);
            if (reason === 'stalled') {
              stream.log.warn(
                'stalled',
                `viewer ${closed.id} (${address}) evicted: no acknowledgement`,
              );
            }
            stream.onViewersChanged();
          },
        });
        stream.registry.add(viewer);
        viewer.start();
        stream.onViewersChanged();
      });
    },
  };
}
