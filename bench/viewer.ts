// One benchmark reader: a raw-socket GET of the stream, parsed part by part, optionally throttled to a byte rate.
import net from 'node:net';
import { boundaryOf, MjpegParser, type MjpegPart } from '../test/helpers/mjpeg-parser.ts';
import { ChunkedDecoder } from './chunked-decoder.ts';
import { ResponseHeadReader } from './http-response-head.ts';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with the server's X-Timestamp. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

// Every socket of the process reads into this one buffer: each read is fully parsed before the next one, and the
// parser (skipping bodies) keeps no view into it. With 1 000 readers at 30 fps, node:http plus a fresh Buffer per
// read cost the client more CPU than the server it measures.
const readBuffer = Buffer.allocUnsafe(256 * 1024);
// Throttled readers read in small steps, so their byte rate is smooth rather than 256 KiB bursts.
const throttledReadBuffer = Buffer.allocUnsafe(16 * 1024);

export class Viewer {
  readonly #socket: net.Socket;
  readonly #requestedAtMs = performance.now();
  // Receipt − X-Timestamp of every part received while recording; shared by the viewers of one kind.
  readonly #ages: number[];
  readonly #throttleBytesPerSec: number | null;
  readonly #head = new ResponseHeadReader();
  #parser: MjpegParser | null = null;
  #dechunk: ChunkedDecoder | null = null;
  #bodyStartedAtMs = 0;
  #bodyBytes = 0;
  #resumeTimer: NodeJS.Timeout | undefined;
  #isClosed = false;
  #isRecording = false;
  #lastFrameAtMs: number | null = null;
  firstFrameMs: number | null = null;
  /** Longest time between two received parts while recording; null before the second part. */
  longestGapMs: number | null = null;
  frames = 0;
  bytes = 0;
  error: string | null = null;

  constructor(url: string, ages: number[], throttleBytesPerSec: number | null = null) {
    this.#ages = ages;
    this.#throttleBytesPerSec = throttleBytesPerSec;
    const { hostname, port, pathname, search } = new URL(url);
    const buffer = throttleBytesPerSec === null ? readBuffer : throttledReadBuffer;
    this.#socket = net.connect({
      host: hostname,
      port: Number(port),
      noDelay: true,
      onread: {
        buffer,
        callback: (length) => {
          this.#receive(buffer.subarray(0, length));
          return true;
        },
      },
    });
    this.#socket.write(
      `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUser-Agent: lancam-bench\r\n\r\n`,
    );
    this.#socket.on('error', (error) => {
      this.#fail(error.message);
    });
    this.#socket.on('close', () => {
      this.#fail('stream ended');
    });
  }

  /** Zeroes the counters and starts counting frames, bytes and ages. */
  startRecording(): void {
    this.frames = 0;
    this.bytes = 0;
    this.longestGapMs = null;
    this.#lastFrameAtMs = null;
    this.#isRecording = true;
  }

  stopRecording(): void {
    this.#isRecording = false;
  }

  close(): void {
    this.#isClosed = true;
    clearTimeout(this.#resumeTimer);
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    if (this.#isClosed) return;
    try {
      let body = chunk;
      if (!this.#parser) {
        const read = this.#head.push(chunk);
        if (!read) return;
        this.#start(read.head.status, read.head.headers);
        body = read.body;
      }
      const pieces = this.#dechunk ? this.#dechunk.push(body) : [body];
      for (const piece of pieces) {
        this.#bodyBytes += piece.length;
        this.#count(this.#parser?.push(piece) ?? []);
      }
    } catch (error) {
      this.#fail((error as Error).message);
    }
    if (this.#isRecording) this.bytes += chunk.length;
    this.#throttle();
  }

  #start(status: number, headers: ReadonlyMap<string, string>): void {
    if (status !== 200) throw new Error(`HTTP ${status}`);
    // Only counts are needed, so bodies are skipped rather than copied.
    this.#parser = new MjpegParser(boundaryOf(headers.get('content-type')), { skipBodies: true });
    if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      this.#dechunk = new ChunkedDecoder();
    }
    this.#bodyStartedAtMs = performance.now();
  }

  #count(parts: readonly MjpegPart[]): void {
    if (parts.length === 0) return;
    this.firstFrameMs ??= performance.now() - this.#requestedAtMs;
    if (!this.#isRecording) return;
    const receivedAt = epochMs();
    if (this.#lastFrameAtMs !== null) {
      this.longestGapMs = Math.max(this.longestGapMs ?? 0, receivedAt - this.#lastFrameAtMs);
    }
    this.#lastFrameAtMs = receivedAt;
    for (const part of parts) {
      this.frames += 1;
      const publishedAt = Number(part.headers.get('x-timestamp')) * 1000;
      if (Number.isFinite(publishedAt)) this.#ages.push(receivedAt - publishedAt);
    }
  }

  #throttle(): void {
    if (this.#throttleBytesPerSec === null || this.#isClosed) return;
    const waitMs =
      this.#bodyStartedAtMs +
      (this.#bodyBytes / this.#throttleBytesPerSec) * 1000 -
      performance.now();
    if (waitMs <= 0) return;
    // A paused socket is not read, its receive buffer fills, and TCP pushes back on the server.
    this.#socket.pause();
    this.#resumeTimer = setTimeout(() => {
      this.#socket.resume();
    }, waitMs);
  }

  #fail(message: string): void {
    if (this.#isClosed) return;
    this.error ??= message;
    this.close();
  }
}
