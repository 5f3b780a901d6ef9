// The app:// scheme: privileged registration before ready, and the protocol.handle that serves out/renderer.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { contentSecurityPolicy, resolveBundleRequest } from './bundle-path.ts';
import { appScheme } from './url-guards.ts';

/**
 * Must run before app 'ready'. standard: real origin and relative URLs; secure: a secure context, so
 * getUserMedia works (file:// is neither, and the fuse grantFileProtocolExtraPrivileges is off);
 * supportFetchAPI: the worker script loads through fetch. No bypassCSP, no corsEnabled, no service workers.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves files under `root` for app://bundle/…; everything else is answered with an error status. */
export function serveAppBundle(root: string, log: (message: string) => void): void {
  protocol.handle(appScheme, async (request) => {
    const resolved = resolveBundleRequest(request.method, request.url, root);
    if (resolved.kind === 'reject') {
      log(`app:// ${request.method} ${request.url} refused: ${resolved.reason}`);
      return new Response(null, { status: resolved.status });
    }
    try {
      const body = await readFile(resolved.filePath);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': resolved.contentType,
          'Content-Security-Policy': contentSecurityPolicy,
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-store',
        },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  });
}
