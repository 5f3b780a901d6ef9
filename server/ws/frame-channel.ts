// The viewer page's acknowledged frame channel at /stream.ws (source 1) and /cam/N/stream.ws: admits WebSocket
// upgrades (the same access check and viewer slots as the multipart stream, plus an Origin check) and hands each
// socket to a WsViewer.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { checkAccess, type AccessPolicy } from '../core/access.ts';
import type { ViewerAdmission } from '../core/admission.ts';
import { MAIN_SOURCE_ID, type SourceTable } from '../core/sources.ts';
import type { RateLimitedLog } from '../core/rate-limited-log.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import type { ViewerRegistry } from '../core/viewer-registry.ts';
import { parseClientId, parseSourcePath } from '../http/routes.ts';
import type { VideoHub } from '../video/video-hub.ts';
import { WsVideoViewer } from './ws-video-viewer.ts';
import { WsViewer } from './ws-viewer.ts';

export const FRAME_CHANNEL_PATH = '/stream.ws';

/** The source a channel path addresses: /stream.ws is source 1, /cam/N/stream.ws source N; null otherwise. */
export function channelSourceId(pathname: string): number | null {
  if (pathname === FRAME_CHANNEL_PATH) return MAIN_SOURCE_ID;
  const sourcePath = parseSourcePath(pathname);
  return sourcePath?.rest === FRAME_CHANNEL_PATH ? sourcePath.sourceId : null;
}

export interface FrameChannelDeps {
  readonly access: AccessPolicy;
  /**
   * The H.264 hub, once the video outputs exist; pages that ask for `?codec=h264` are served from it. H.264
   * (like RTSP) is source 1's only: the encoder runs in source 1's capture.
   */
  readonly videoHub: () => VideoHub | null;
  readonly sources: SourceTable;
  readonly stream: {
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
      const sourceId = channelSourceId(url.pathname);
      if (sourceId === null) {
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
      const source = deps.sources.get(sourceId);
      if (source === undefined) {
        refuse(socket, 404, `There is no source ${sourceId} on this camera.`);
        return;
      }
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
        if (source.isRemoved) {
          // Removed while the handshake completed: its viewers are gone, this one must not start.
          slot.release();
          ws.close(1001, 'source removed');
          return;
        }
        const options = {
          id: stream.registry.nextId(),
          sourceId,
          address,
          userAgent: (req.headers['user-agent'] ?? '').slice(0, 256),
          clientId: parseClientId(url.searchParams.get('client')),
          stallTimeoutMs: stream.stallTimeoutMs,
          bytesOut: stream.bytesOut,
          onClose: (closed: WsViewer | WsVideoViewer, reason: string) => {
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
        };
        // H.264 only where a source has produced parameter sets; otherwise JPEG on the same channel (the page
        // tells the two apart by each message's kind).
        const video =
          url.searchParams.get('codec') === 'h264' && sourceId === MAIN_SOURCE_ID
            ? deps.videoHub()
            : null;
        const viewer =
          video?.parameterSets != null
            ? new WsVideoViewer(ws, video, options)
            : new WsViewer(ws, source.hub, options);
        stream.registry.add(viewer);
        viewer.start();
        stream.onViewersChanged();
      });
    },
  };
}
