// Pure URL predicates behind navigation, window-open, IPC-sender and open-in-browser decisions.

/** The one custom scheme and host the control window is served from (see app-protocol.ts). */
export const appScheme = 'app';
export const appHost = 'bundle';
export const appOrigin = `${appScheme}://${appHost}`;
export const controlWindowUrl = `${appOrigin}/control-window.html`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Origin of a URL as Chromium reports it for our standard scheme. Node's URL gives "null" as the origin of
 * any non-special scheme, so app:// is rebuilt from protocol and host instead.
 */
export function originOf(url: string): string | null {
  const parsed = parse(url);
  if (!parsed) return null;
  if (parsed.protocol === `${appScheme}:`) return `${appScheme}://${parsed.host}`;
  return parsed.origin === 'null' ? null : parsed.origin;
}

/** True for a page of our bundle: app://bundle/… and nothing else (no credentials, no other host). */
export function isAppBundleUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === `${appScheme}:` &&
    parsed.host === appHost &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/**
 * `will-navigate`: the control window may only move between pages of our bundle; the preview window may
 * only move within our own local server (its viewer page reloads itself after a reconnect).
 */
export function isAllowedNavigation(url: string, currentUrl = ''): boolean {
  if (isAppBundleUrl(url)) return true;
  const current = parse(currentUrl);
  return (
    current !== null &&
    current.protocol === 'http:' &&
    current.hostname === '127.0.0.1' &&
    originOf(url) === current.origin
  );
}

/**
 * "Open in browser": http(s) only, so no file:, javascript:, smb: or custom-scheme URL can reach the OS
 * handler (Electron security checklist #15); credentials in the URL are refused too.
 */
export function isSafeExternalUrl(url: string): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    (parsed.protocol === 'http:' || parsed.protocol === 'https:') &&
    parsed.hostname !== '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** The viewer page of our own server, as the preview window loads it: exactly what a viewer on the LAN gets. */
export function localViewerUrl(port: number, key: string | null): string {
  const url = new URL(`http://127.0.0.1:${port}/`);
  if (key !== null) url.searchParams.set('key', key);
  return url.href;
}

/** The preview window may only show our own local server (any path on it, e.g. a reconnect). */
export function isLocalViewerUrl(url: string, port: number): boolean {
  const parsed = parse(url);
  return (
    parsed !== null &&
    parsed.protocol === 'http:' &&
    parsed.hostname === '127.0.0.1' &&
    parsed.port === String(port)
  );
}
