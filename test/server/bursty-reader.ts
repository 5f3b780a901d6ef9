// A healthy viewer that reads in bursts, as clients on a busy machine do: it takes everything the kernel holds,
// then stops reading for a while. It keeps the full frame rate (its buffers absorb a pause), so a server that
// takes it for a slow link and holds it back is wrong. Cheap enough to run a hundred and fifty in one process.
import net from 'node:net';
import { ResponseHeadReader } from '../../bench/http-response-head.ts';
import { boundaryOf, MjpegParser } from '../helpers/mjpeg-parser.ts';

// Every reader reads into this one buffer: each read is parsed before the next (bodies are skipped, not kept).
const readBuffer = Buffer.allocUnsafe(256 * 1024);

export class BurstyReader {
  readonly #socket: net.Socket;
  readonly #head = new ResponseHeadReader();
  readonly #readMs: number;
  readonly #pauseMs: number;
  #timer: NodeJS.Timeout;
  #isReading = true;
  #parser: MjpegParser | null = null;
  #isCounting = false;
  frames = 0;
  error: string | null = null;

  /** Reads for `readMs`, then pauses for `pauseMs`, over and over. */
  constructor(url: string, readMs: number, pauseMs: number) {
    const { hostname, port, pathname, search } = new URL(url);
    this.#socket = net.connect({
      host: hostname,
      port: Number(port),
      onread: {
        buffer: readBuffer,
        callback: (length) => {
          this.#receive(readBuffer.subarray(0, length));
          return true;
        },
      },
    });
    this.#socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    this.#socket.on('error', (error) => {
      this.error ??= error.message;
    });
    this.#readMs = readMs;
    this.#pauseMs = pauseMs;
    // Offset phases, so not every reader pauses at the same moment.
    this.#timer = setTimeout(
      () => {
        this.#toggle();
      },
      Math.random() * (readMs + pauseMs),
    );
  }

  #toggle(): void {
    this.#isReading = !this.#isReading;
    if (this.#isReading) this.#socket.resume();
    else this.#socket.pause();
    this.#timer = setTimeout(
      () => {
        this.#toggle();
      },
      this.#isReading ? this.#readMs : this.#pauseMs,
    );
  }

  startCounting(): void {
    this.frames = 0;
    this.#isCounting = true;
  }

  stopCounting(): void {
    this.#isCounting = false;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    try {
      let body = chunk;
      if (!this.#parser) {
        const read = this.#head.push(chunk);
        if (!read) return;
        if (read.head.status !== 200) throw new Error(`HTTP ${read.head.status}`);
        this.#parser = new MjpegParser(boundaryOf(read.head.headers.get('content-type')), {
          skipBodies: true,
        });
        body = read.body;
      }
      const parts = this.#parser.push(body).length;
      if (this.#isCounting) this.frames += parts;
    } catch (error) {
      this.error ??= (error as Error).message;
      this.#socket.destroy();
    }
  }
}
