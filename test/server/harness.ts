// Shared helpers for the server tests: generated JPEG frames, a quiet server on 127.0.0.1:0, raw HTTP
// stream readers, a paced publisher. Real sockets and real ffmpeg only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFrameLoop, type SourceFrame } from '../../server/cli/frame-source.ts';
import { jpegDimensions } from '../../server/core/jpeg.ts';
import { startBroadcastServer } from '../../server/index.ts';
import type { BroadcastServer, BroadcastServerOptions, Logger } from '../../server/types.ts';
import { boundaryOf, MjpegParser, type MjpegPart } from '../helpers/mjpeg-parser.ts';

export const quietLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const frameCache = new Map<string, SourceFrame[]>();

/**
 * Real JPEGs from ffmpeg's testsrc2 (each frame differs), made once per process. `noise` makes them big and
 * incompressible, for filling socket buffers quickly.
 */
export function makeFrames(count = 10, size = '320x240', noise = false): SourceFrame[] {
  const cacheKey = `${count}/${size}/${noise}`;
  const cached = frameCache.get(cacheKey);
  if (cached) return cached;
  const dir = mkdtempSync(path.join(tmpdir(), 'lancam-frames-'));
  try {
    const filter = noise ? ['-vf', 'noise=alls=100:allf=t'] : [];
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', `testsrc2=size=${size}:rate=30`, ...filter],
      ...['-frames:v', String(count), '-q:v', noise ? '2' : '5', path.join(dir, 'f%03d.jpg')],
    ]);
    const frames = readdirSync(dir)
      .sort()
      .map((name) => {
        const jpeg = readFileSync(path.join(dir, name));
        return { jpeg, ...(jpegDimensions(jpeg) ?? { width: 0, height: 0 }) };
      });
    frameCache.set(cacheKey, frames);
    return frames;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function startTestServer(options: BroadcastServerOptions = {}): Promise<BroadcastServer> {
  return startBroadcastServer({ host: '127.0.0.1', port: 0, logger: quietLogger, ...options });
}

type ServerBody<T> = (server: BroadcastServer) => T | Promise<T>;

/** Runs `body` against a fresh test server and closes it however `body` ends. */
export async function withTestServer<T>(
  ...args: [body: ServerBody<T>] | [options: BroadcastServerOptions, body: ServerBody<T>]
): Promise<T> {
  const [options, body] = args.length === 1 ? [{}, args[0]] : args;
  const server = await startTestServer(options);
  try {
    return await body(server);
  } finally {
    await server.close();
  }
}

export function withKey(server: BroadcastServer, pathAndQuery: string): string {
  const url = new URL(pathAndQuery, `http://127.0.0.1:${server.port}`);
  if (server.key !== null) url.searchParams.set('key', server.key);
  return url.href;
}

/** Publishes one frame with the given capture time (default: now). */
export function publishOne(
  server: BroadcastServer,
  frame: SourceFrame,
  captureTimeMs = Date.now(),
): void {
  server.publish(frame.jpeg, { captureTimeMs, width: frame.width, height: frame.height });
}

/** Paced publishing through the same loop as `lancam serve`. */
export function startPublisher(
  server: BroadcastServer,
  frames: SourceFrame[],
  fps: number,
): () => void {
  return startFrameLoop(frames, fps, (jpeg, meta) => server.publish(jpeg, meta));
}

/** A stream request answered with something other than 200. */
export class StreamRefused extends Error {
  readonly status: number;
  constructor(status: number) {
    super(`stream answered ${status}`);
    this.status = status;
  }
}

export interface StreamReader {
  readonly response: http.IncomingMessage;
  readonly parts: MjpegPart[];
  /** Resolves once at least `count` parts arrived (rejects on stream error or after `timeoutMs`). */
  waitForParts(count: number, timeoutMs?: number): Promise<MjpegPart[]>;
  close(): void;
  readonly closed: Promise<void>;
}

/**
 * Opens a stream with plain http.get and parses it strictly as it arrives. `localAddress` binds the client
 * socket (any 127.0.0.x is loopback on Linux), so tests can play many clients.
 */
export function openStream(
  url: string,
  headers: http.OutgoingHttpHeaders = {},
  options: { localAddress?: string } = {},
): Promise<StreamReader> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false, ...options }, (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new StreamRefused(response.statusCode ?? 0));
        return;
      }
      const parser = new MjpegParser(boundaryOf(response.headers['content-type']));
      const parts: MjpegPart[] = [];
      const waiters = new Set<() => void>();
      let failure: Error | null = null;
      response.on('data', (chunk: Buffer) => {
        try {
          parts.push(...parser.push(chunk));
        } catch (error) {
          failure = error as Error;
          response.destroy();
        }
        for (const wake of waiters) wake();
      });
      const closed = new Promise<void>((done) => {
        response.on('close', () => {
          for (const wake of waiters) wake();
          done();
        });
      });
      response.on('error', () => undefined);
      resolve({
        response,
        parts,
        closed,
        close: () => request.destroy(),
        waitForParts: (count, timeoutMs = 10_000) =>
          new Promise((done, fail) => {
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`only ${parts.length} of ${count} parts within ${timeoutMs} ms`));
            }, timeoutMs);
            const check = (): void => {
              if (failure || parts.length >= count || response.destroyed) {
                clearTimeout(timer);
                waiters.delete(check);
                if (failure) fail(failure);
                else if (parts.length >= count) done(parts);
                else fail(new Error(`stream closed after ${parts.length} of ${count} parts`));
              }
            };
            waiters.add(check);
            check();
          }),
      });
    });
    request.on('error', reject);
  });
}

export interface RawResponse {
  readonly head: string;
  readonly statusLine: string;
  readonly headers: Map<string, string[]>;
  readonly body: Buffer;
}

export function parseRawResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0)
    throw new Error(`no complete response head in ${JSON.stringify(bytes.toString('latin1'))}`);
  const head = bytes.subarray(0, end).toString('latin1');
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { head, statusLine, headers, body: bytes.subarray(end + 4) };
}

/**
 * Sends `request` verbatim over TCP and collects the bytes until the server closes, `untilBytes` arrive, or
 * `timeoutMs` passes; for byte-level checks that http.get would normalise away.
 */
export function rawExchange(
  port: number,
  request: string | Buffer,
  options: { timeoutMs?: number; untilBytes?: number; localAddress?: string } = {},
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({
      port,
      host: '127.0.0.1',
      ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
    });
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 3000);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      length += chunk.length;
      if (options.untilBytes !== undefined && length >= options.untilBytes) finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (chunks.length > 0) resolve(Buffer.concat(chunks));
      else reject(error);
    });
  });
}

export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { headers, cache: 'no-store' });
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` until it holds (or fails after `timeoutMs`), for conditions that settle asynchronously. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  message = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${message} not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}
