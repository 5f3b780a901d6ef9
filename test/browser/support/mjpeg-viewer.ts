// A test viewer: reads a multipart stream with the strict parser and records each part's size and timing.
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { boundaryOf, MjpegParser } from '../../helpers/mjpeg-parser.ts';
import { jpegSize } from './jpeg-size.ts';

export interface ViewedPart {
  readonly receivedAtMs: number;
  /** X-Timestamp in epoch milliseconds (NaN when absent). */
  readonly timestampMs: number;
  readonly width: number;
  readonly height: number;
  readonly body: Buffer;
}

export class MjpegViewer {
  readonly parts: ViewedPart[] = [];
  #request: ClientRequest | null = null;
  #ended: Promise<void>;
  #resolveEnded: () => void = () => undefined;
  #isEnded = false;

  readonly url: string;

  constructor(url: string) {
    this.url = url;
    this.#ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  /** Resolves once the response headers arrived (the server has registered the viewer). */
  async connect(): Promise<void> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      this.#request = request(this.url, resolve);
      this.#request.on('error', reject);
      this.#request.end();
    });
    if (response.statusCode !== 200)
      throw new Error(`stream answered ${String(response.statusCode)}`);
    const parser = new MjpegParser(boundaryOf(response.headers['content-type']));
    response.on('data', (chunk: Buffer) => {
      const now = Date.now();
      for (const part of parser.push(chunk)) {
        const size = jpegSize(part.body);
        this.parts.push({
          receivedAtMs: now,
          timestampMs: Number(part.headers.get('x-timestamp')) * 1000,
          width: size?.width ?? 0,
          height: size?.height ?? 0,
          body: part.body,
        });
      }
    });
    const finish = (): void => {
      this.#isEnded = true;
      this.#resolveEnded();
    };
    response.on('end', finish);
    response.on('close', finish);
    response.on('error', finish);
  }

  get isEnded(): boolean {
    return this.#isEnded;
  }

  /** Resolves when the server ends the stream (e.g. reconnectViewers). */
  ended(): Promise<void> {
    return this.#ended;
  }

  close(): void {
    this.#request?.destroy();
  }
}
