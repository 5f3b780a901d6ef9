// Pure request parsing: the route table (with the aliases other camera servers taught clients), the per-source
// paths under /cam/N/, and the query parameters a stream request may carry.

/** Anyone may fetch these: the same bytes for everyone, revealing nothing, and the key form needs them. */
export type PublicRoute =
  'viewer-css' | 'viewer-js' | 'viewer-sources-js' | 'h264-player-js' | 'mse-player-js' | 'favicon';
export type ProtectedRoute = 'page' | 'stream' | 'snapshot' | 'status';
export type RouteName = PublicRoute | ProtectedRoute;

const ROUTES = new Map<string, RouteName>([
  ['/', 'page'],
  ['/stream.mjpg', 'stream'],
  ['/stream', 'stream'],
  // The original Flask streaming article and IP Webcam (Android) paths.
  ['/video_feed', 'stream'],
  ['/video', 'stream'],
  ['/snapshot.jpg', 'snapshot'],
  ['/shot.jpg', 'snapshot'],
  ['/status.json', 'status'],
  ['/viewer.css', 'viewer-css'],
  ['/viewer.js', 'viewer-js'],
  ['/viewer-sources.js', 'viewer-sources-js'],
  ['/h264-player.js', 'h264-player-js'],
  ['/mse-player.js', 'mse-player-js'],
  // Browsers ask for it on their own; an empty answer keeps their consoles free of 404 noise.
  ['/favicon.ico', 'favicon'],
]);

const PUBLIC_ROUTES: ReadonlySet<RouteName> = new Set([
  'viewer-css',
  'viewer-js',
  'viewer-sources-js',
  'h264-player-js',
  'mse-player-js',
  'favicon',
]);

export function isPublicRoute(route: RouteName): route is PublicRoute {
  return PUBLIC_ROUTES.has(route);
}

/** Exact paths only (no directory serving); `/?action=stream|snapshot` as mjpg-streamer/OctoPrint use. */
export function resolveRoute(pathname: string, query: URLSearchParams): RouteName | null {
  const route = ROUTES.get(pathname) ?? null;
  if (route !== 'page') return route;
  const action = query.get('action');
  if (action === 'stream') return 'stream';
  if (action === 'snapshot') return 'snapshot';
  return 'page';
}

/** A request's route and the source it addresses: /cam/N/… is source N, every other path source 1. */
export interface RouteTarget {
  readonly route: RouteName;
  readonly sourceId: number;
}

/** What each source serves under /cam/N; `/cam/N` and `/cam/N/` are its viewer page. */
const SOURCE_ROUTES = new Map<string, ProtectedRoute>([
  ['', 'page'],
  ['/', 'page'],
  ['/stream.mjpg', 'stream'],
  ['/stream', 'stream'],
  ['/snapshot.jpg', 'snapshot'],
]);

// 1 … 99 without a leading zero, so each source has exactly one spelling; which ids exist is decided later.
const SOURCE_PATH = /^\/cam\/([1-9]\d?)(\/[^/]*)?$/;

/** `/cam/N/rest` → N and `/rest` (`''` for `/cam/N`); null for paths outside /cam/. */
export function parseSourcePath(pathname: string): { sourceId: number; rest: string } | null {
  const match = SOURCE_PATH.exec(pathname);
  if (!match) return null;
  return { sourceId: Number(match[1]), rest: match[2] ?? '' };
}

/** Today's paths are source 1's; /cam/N/ carries the page, stream and snapshot of source N. */
export function resolveTarget(pathname: string, query: URLSearchParams): RouteTarget | null {
  const sourcePath = parseSourcePath(pathname);
  if (sourcePath === null) {
    const route = resolveRoute(pathname, query);
    return route === null ? null : { route, sourceId: 1 };
  }
  const route = SOURCE_ROUTES.get(sourcePath.rest);
  return route === undefined ? null : { route, sourceId: sourcePath.sourceId };
}

/** The per-viewer ?fps= cap: absent → null, 1…60 → that number, anything else → undefined (a 400). */
export function parseFpsCap(value: string | null): number | null | undefined {
  if (value === null) return null;
  if (!/^\d{1,3}(\.\d+)?$/.test(value)) return undefined;
  const fps = Number(value);
  return fps >= 1 && fps <= 60 ? fps : undefined;
}

/** The viewer page's tag for its own stream: short and plain, since it is echoed in /status.json. */
export function parseClientId(value: string | null): string | null {
  return value !== null && /^[A-Za-z0-9_-]{1,32}$/.test(value) ? value : null;
}
