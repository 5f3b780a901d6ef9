// A throwaway 127.0.0.1:0 HTTP server for out/renderer (a secure context) plus the test bridge's WebSocket.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { acceptWebSockets, type WsMessageHandler } from './ws-receiver.ts';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Path of the bridge's WebSocket (same origin, so CSP connect-src 'self' allows it). */
export const BRIDGE_SOCKET_PATH = '/__lancam/socket';

export interface StaticServer {
  readonly origin: string;
  close(): Promise<void>;
}

export async function startStaticServer(
  root: string,
  onMessage: WsMessageHandler,
): Promise<StaticServer> {
  const server = createServer((request, response) => {
    void handle(root, request, response);
  });
  const closeSockets = acceptWebSockets(server, BRIDGE_SOCKET_PATH, onMessage);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: async () => {
      closeSockets();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

async function handle(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://x');
  const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  const file = path.join(root, relative || 'control-window.html');
  if (!file.startsWith(root)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'content-type': types[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    response.end(body);
  } catch {
    // A page, not an empty body: Chromium refuses to load an empty error response, and tests open one.
    response
      .writeHead(404, { 'content-type': types['.html'] })
      .end('<!doctype html><title>Not found</title>');
  }
}
