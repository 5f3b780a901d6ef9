// The /stream.mjpg handler: admits a viewer (maxViewers, ?fps=), takes the response away from Koa and hands
// it to an MjpegViewer; HEAD gets the stream head alone.
import type Koa from 'koa';
import type { FrameHub } from '../core/frame-hub.ts';
import { MjpegViewer, streamHeaders } from './mjpeg-viewer.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import { parseClientId, parseFpsCap } from '../http/routes.ts';
import type { Logger } from '../types.ts';
import type { ViewerRegistry } from '../core/viewer-registry.ts';

export interface StreamDeps {
  readonly hub: FrameHub;
  readonly registry: ViewerRegistry;
  readonly logger: Logger;
  readonly maxViewers: number;
  readonly stallTimeoutMs: number;
  readonly repeatIntervalMs: number;
  readonly bytesOut: RateMeter;
  /** A viewer joined or left. */
  readonly onViewersChanged: () => void;
}

export interface StreamRequest {
  readonly query: URLSearchParams;
  readonly address: string;
}

/** Returns a refusal (status + message) or null once the stream is running. */
export function openStream(
  ctx: Koa.Context,
  deps: StreamDeps,
  request: StreamRequest,
  nextId: () => number,
): { status: number; message: string; retryAfterS?: number } | null {
  if (deps.registry.size >= deps.maxViewers) {
    return {
      status: 503,
      message: `Too many viewers (limit ${deps.maxViewers}). Try again later.`,
      retryAfterS: 5,
    };
  }
  const maxFps = parseFpsCap(request.query.get('fps'));
  if (maxFps === undefined) return { status: 400, message: 'fps must be a number from 1 to 60.' };

  // Written straight to the socket: Koa's body handling would pipe through a stream and chunk it.
  ctx.respond = false;
  const res = ctx.res;
  if (ctx.method === 'HEAD') {
    res.removeHeader('Transfer-Encoding');
    res.writeHead(200, streamHeaders(deps.hub.boundary));
    res.end();
    return null;
  }
  const viewer = new MjpegViewer(res, deps.hub, {
    id: nextId(),
    address: request.address,
    userAgent: ctx.get('User-Agent').slice(0, 256),
    clientId: parseClientId(request.query.get('client')),
    maxFps,
    stallTimeoutMs: deps.stallTimeoutMs,
    repeatIntervalMs: deps.repeatIntervalMs,
    bytesOut: deps.bytesOut,
    onClose: (closed, reason) => {
      deps.registry.delete(closed);
      if (reason === 'stalled') {
        deps.logger.warn(`viewer ${closed.id} (${request.address}) evicted: no write progress`);
      }
      deps.onViewersChanged();
    },
  });
  deps.registry.add(viewer);
  viewer.start();
  deps.onViewersChanged();
  return null;
}
