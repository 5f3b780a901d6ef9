// The /stream.mjpg and /cam/N/stream.mjpg handler: takes a viewer slot (total and per-address, shared with other protocols), checks
// ?fps=, takes the response away from Koa and hands it to an MjpegViewer; HEAD gets the stream head alone.
import type Koa from 'koa';
import type { ViewerAdmission } from '../core/admission.ts';
import type { SourceEntry } from '../core/sources.ts';
import { MjpegViewer, streamHeaders } from './mjpeg-viewer.ts';
import type { RateLimitedLog } from '../core/rate-limited-log.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import { parseClientId, parseFpsCap } from '../http/routes.ts';
import type { ViewerRegistry } from '../core/viewer-registry.ts';

export interface StreamDeps {
  readonly registry: ViewerRegistry;
  readonly admission: ViewerAdmission;
  /** For what clients cause (evictions, refusals): rate-limited. */
  readonly log: RateLimitedLog;
  readonly stallTimeoutMs: number;
  readonly repeatIntervalMs: number;
  readonly bytesOut: RateMeter;
  /** A viewer joined or left. */
  readonly onViewersChanged: () => void;
}

export interface StreamRequest {
  readonly query: URLSearchParams;
  /** The client's address as the access check resolved it (behind trusted proxies). */
  readonly address: string;
}

/** Returns a refusal (status + message) or null once the stream is running. */
export function openStream(
  ctx: Koa.Context,
  deps: StreamDeps,
  source: SourceEntry,
  request: StreamRequest,
  nextId: () => number,
): { status: number; message: string; retryAfterS?: number } | null {
  const maxFps = parseFpsCap(request.query.get('fps'));
  if (maxFps === undefined) return { status: 400, message: 'fps must be a number from 1 to 60.' };
  if (ctx.method === 'HEAD') {
    // Written straight to the socket: Koa's body handling would pipe through a stream and chunk it.
    ctx.respond = false;
    ctx.res.removeHeader('Transfer-Encoding');
    ctx.res.writeHead(200, streamHeaders(source.hub.boundary));
    ctx.res.end();
    return null;
  }
  const admission = deps.admission.admit(request.address);
  if (!admission.isAdmitted) {
    const { refusal } = admission;
    deps.log.warn(refusal.reason, `stream refused to ${request.address}: ${refusal.message}`);
    return refusal;
  }
  const { slot } = admission;
  ctx.respond = false;
  const viewer = new MjpegViewer(ctx.res, source.hub, {
    id: nextId(),
    sourceId: source.id,
    address: request.address,
    userAgent: ctx.get('User-Agent').slice(0, 256),
    clientId: parseClientId(request.query.get('client')),
    maxFps,
    stallTimeoutMs: deps.stallTimeoutMs,
    repeatIntervalMs: deps.repeatIntervalMs,
    bytesOut: deps.bytesOut,
    onClose: (closed, reason) => {
      slot.release();
      deps.registry.delete(closed);
      if (reason === 'stalled') {
        deps.log.warn(
          'stalled',
          `viewer ${closed.id} (${request.address}) evicted: no write progress`,
        );
      }
      deps.onViewersChanged();
    },
  });
  deps.registry.add(viewer);
  viewer.start();
  deps.onViewersChanged();
  return null;
}
