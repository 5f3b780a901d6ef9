// The Koa app: body, method and access checks in front of every route, and the page, snapshot and status
// handlers (the stream has its own module). Also filters the disconnect errors Koa reports.
import type { IncomingMessage } from 'node:http';
import Koa from 'koa';
import type { Assets } from '../assets.ts';
import { checkAccess, type AccessPolicy } from '../core/access.ts';
import { formatTimestamp, type FrameHub } from '../core/frame-hub.ts';
import type { SourceTable } from '../core/sources.ts';
import { isPublicRoute, resolveTarget, type PublicRoute } from './routes.ts';
import { openStream, type StreamDeps } from '../mjpeg/stream-route.ts';
import type { RateLimitedLog } from '../core/rate-limited-log.ts';
import type { ServerStatus } from '../types.ts';

const NO_CACHE = 'no-store, no-cache, must-revalidate, max-age=0';

// Every source is our own origin and the page has no inline code, so nothing injected could run or phone home.
function pageCsp(host: string): string {
  // Older WebKit does not count ws: as 'self' (CSP3 does), so the frame channel's origin is named; only a
  // plain host[:port] is echoed into the header.
  const channel = /^[A-Za-z0-9.:[\]-]{1,255}$/.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // blob: for frames from the channel and the snapshot-polling fallback, swapped into the <img> as object URLs.
    "img-src 'self' blob:",
    // blob: for the MediaSource object URL the H.264 player (mse-player.js) hands the <video>.
    "media-src 'self' blob:",
    `connect-src 'self'${channel}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

// Errors that only mean a viewer went away; Koa reports them even after headers were sent (koa context.js).
const EXPECTED_DISCONNECTS = new Set([
  'ECONNRESET',
  'EPIPE',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ECONNABORTED',
]);

export interface AppDeps {
  /** Every source served: /cam/N/… looks N up here on each request, so a removed source answers 404. */
  readonly sources: SourceTable;
  readonly access: AccessPolicy;
  readonly assets: Assets;
  /** Client-caused lines, rate-limited. */
  readonly log: RateLimitedLog;
  readonly status: () => ServerStatus;
  readonly stream: StreamDeps;
}

/**
 * Every route answers GET and HEAD, which carry no body. One that announces a body anyway is answered at once
 * and the connection closed, rather than left to wait up to requestTimeout for bytes nobody will read.
 */
function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  const nextViewerId = (): number => deps.stream.registry.nextId();

  app.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code && EXPECTED_DISCONNECTS.has(error.code)) return;
    deps.log.error('request-failed', `request failed: ${error.message}`);
  });

  app.use((ctx) => {
    const query = new URLSearchParams(ctx.querystring);
    const target = resolveTarget(ctx.path, query);
    ctx.set('X-Content-Type-Options', 'nosniff');
    // The key travels in URLs; never hand it to another site through Referer.
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('Cache-Control', NO_CACHE);
    const hasBody = announcesBody(ctx.req);
    // Connection: close makes Node end the socket once the answer is out, without waiting for the body.
    if (hasBody) ctx.set('Connection', 'close');
    if (target === null) {
      text(ctx, 404, 'Not found.');
      return;
    }
    const { route } = target;
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      text(ctx, 405, 'Only GET and HEAD are supported.');
      return;
    }
    if (hasBody) {
      text(ctx, 413, 'This server takes no request body.');
      return;
    }
    if (isPublicRoute(route)) {
      servePublic(ctx, route, deps.assets);
      return;
    }

    const access = checkAccess(deps.access, {
      remoteAddress: ctx.req.socket.remoteAddress,
      headers: ctx.req.headers,
      query,
    });
    if (!access.isAllowed) {
      ctx.set(access.headers);
      if (route === 'page' && access.refusal !== 'host' && access.refusal !== 'blocked') {
        // A card rather than a Basic prompt: it asks for the key, says when one was wrong or the address is
        // locked out, and reveals nothing else.
        ctx.remove('WWW-Authenticate');
        const { assets } = deps;
        const card =
          access.refusal === 'locked'
            ? assets.lockedFormHtml
            : access.refusal === 'wrong-key'
              ? assets.wrongKeyFormHtml
              : assets.keyFormHtml;
        html(ctx, access.status, card);
        return;
      }
      text(ctx, access.status, access.message);
      return;
    }

    if (route === 'status') {
      ctx.body = deps.status();
      return;
    }
    // After the access check: which sources exist is for key holders only.
    const source = deps.sources.get(target.sourceId);
    if (source === undefined) {
      const ids = deps.sources.values().map((entry) => entry.id);
      text(
        ctx,
        404,
        `There is no source ${target.sourceId} on this camera (sources now: ${ids.join(', ')}).`,
      );
      return;
    }
    switch (route) {
      case 'page':
        html(ctx, 200, deps.assets.viewerHtml);
        return;
      case 'snapshot':
        serveSnapshot(ctx, source.hub);
        return;
      case 'stream': {
        const refusal = openStream(
          ctx,
          deps.stream,
          source,
          { query, address: access.address },
          nextViewerId,
        );
        if (refusal?.retryAfterS) ctx.set('Retry-After', String(refusal.retryAfterS));
        if (refusal) text(ctx, refusal.status, refusal.message);
        return;
      }
    }
  });
  return app;
}

/** The page's scripts, by route. */
function scriptOf(route: PublicRoute, assets: Assets): Buffer | null {
  switch (route) {
    case 'viewer-js':
      return assets.viewerJs;
    case 'viewer-sources-js':
      return assets.viewerSourcesJs;
    case 'h264-player-js':
      return assets.h264PlayerJs;
    case 'mse-player-js':
      return assets.msePlayerJs;
    case 'viewer-css':
    case 'favicon':
      return null;
  }
}

function servePublic(ctx: Koa.Context, route: PublicRoute, assets: Assets): void {
  const script = scriptOf(route, assets);
  if (route === 'viewer-css') {
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = assets.viewerCss;
  } else if (script !== null) {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = script;
  } else {
    ctx.status = 204;
  }
}

function serveSnapshot(ctx: Koa.Context, hub: FrameHub): void {
  if (!hub.latest && !hub.isPaused) {
    ctx.set('Retry-After', '1');
    text(ctx, 503, 'No frame yet: the broadcast has not started.');
    return;
  }
  // While paused this is the placeholder: pausing hides the camera from snapshots too.
  const frame = hub.current;
  ctx.type = 'image/jpeg';
  ctx.set('X-Timestamp', formatTimestamp(frame.captureTimeMs));
  ctx.body = frame.jpeg;
}

function text(ctx: Koa.Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = `${message}\n`;
}

function html(ctx: Koa.Context, status: number, body: Buffer): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Content-Security-Policy', pageCsp(ctx.host));
  ctx.body = body;
}
