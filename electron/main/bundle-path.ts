// Pure request → file resolution for app://bundle/: GET only, our host only, no path escape; plus the CSP header.
import path from 'node:path';
import { appHost, appScheme } from './url-guards.ts';

/**
 * Sent as a response header on every app:// response, in addition to the <meta> in each HTML file.
 * Every source is 'self' (app://bundle); blob:/data: for the preview <video>/snapshot images and
 * mediastream: for the camera; nothing inline, nothing eval'd, nothing remote.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type BundleResolution =
  | { readonly kind: 'file'; readonly filePath: string; readonly contentType: string }
  | { readonly kind: 'reject'; readonly status: 400 | 403 | 404 | 405; readonly reason: string };

/**
 * Maps an app://bundle/ request to a file under `root` (out/renderer). The decoded path is normalised and
 * must stay inside root, so "..", "%2e%2e", encoded slashes/backslashes and NUL never reach the disk.
 */
export function resolveBundleRequest(method: string, url: string, root: string): BundleResolution {
  if (method !== 'GET') return { kind: 'reject', status: 405, reason: `method ${method}` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'reject', status: 400, reason: 'unparsable URL' };
  }
  if (parsed.protocol !== `${appScheme}:` || parsed.host !== appHost) {
    return { kind: 'reject', status: 403, reason: `foreign host ${parsed.host}` };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(parsed.pathname);
  } catch {
    return { kind: 'reject', status: 400, reason: 'bad percent-encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) {
    return { kind: 'reject', status: 400, reason: 'forbidden character in path' };
  }
  if (decoded.split('/').includes('..'))
    return { kind: 'reject', status: 403, reason: 'path escape' };
  const relative = path.posix
    .normalize(decoded === '/' ? '/control-window.html' : decoded)
    .slice(1);
  const base = path.resolve(root);
  const filePath = path.resolve(base, relative);
  if (relative === '' || !filePath.startsWith(base + path.sep)) {
    return { kind: 'reject', status: 403, reason: 'path escape' };
  }
  const contentType = contentTypes[path.extname(filePath).toLowerCase()];
  if (contentType === undefined)
    return { kind: 'reject', status: 404, reason: 'unknown file type' };
  return { kind: 'file', filePath, contentType };
}
