// Pure request parsing: the route table (with the aliases other camera servers taught clients) and the
// query parameters a stream request may carry.

/** Anyone may fetch these: the same bytes for everyone, revealing nothing, and the key form needs them. */
export type PublicRoute =
  'viewer-css' | 'viewer-js' | 'h264-player-js' | 'mse-player-js' | 'favicon';
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
  ['/h264-player.js', 'h264-player-js'],
  ['/mse-player.js', 'mse-player-js'],
  // Browsers ask for it on their own; an empty answer keeps their consoles free of 404 noise.
  ['/favicon.ico', 'favicon'],
]);

const PUBLIC_ROUTES: ReadonlySet<RouteName> = new Set([
  'viewer-css',
  'viewer-js',
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
