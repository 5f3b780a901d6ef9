// Incremental parser for a multipart/x-mixed-replace MJPEG body, strict about the wire format LanCam promises.
// Shared by the tests (which assert the format) and the benchmark client (which only needs the parts).

// SOI at the start, EOI at the end: the server's own check, under the name the tests have always used.
export { isJpeg as isCompleteJpeg } from '../../server/core/jpeg.ts';

export interface MjpegPart {
  /** Part header names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  /** The JPEG bytes; empty when the parser was built with `skipBodies`. */
  readonly body: Buffer;
}

export interface MjpegParserOptions {
  /**
   * Count body bytes instead of keeping them (the benchmark client at 1 000 viewers cannot afford a copy per
   * part). Content-Length and the CRLF after each body are still checked; `body` is then an empty Buffer.
   */
  readonly skipBodies?: boolean;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);
const MAX_HEAD_BYTES = 4096;

/** Reads the boundary parameter out of a Content-Type header value; throws if there is none. */
export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/x-mixed-replace;\s*boundary=("?)([^";]+)\1$/i.exec(contentType ?? '');
  if (!match?.[2]) throw new Error(`not an MJPEG content type: ${String(contentType)}`);
  return match[2];
}

/**
 * Feed it body bytes with push(); it returns the complete parts found so far. Every part must start with
 * `--boundary CRLF`, carry `Content-Length`, and be followed by CRLF; anything else throws, so a test that
 * uses it is also a wire-format check.
 */
export class MjpegParser {
  readonly #delimiter: Buffer;
  readonly #skipBodies: boolean;
  // Bytes of an incomplete delimiter + header block carried over from the previous chunk (small).
  #head: Buffer = EMPTY;
  // Headers of the part whose body is being received, or null while reading a header block.
  #headers: Map<string, string> | null = null;
  #bodyLength = 0;
  #headLength = 0;
  // Body bytes (and the trailing CRLF) received so far: slices of the pushed chunks, concatenated once per part,
  // so a part spread over many chunks costs one copy instead of one per chunk.
  #bodySlices: Buffer[] = [];
  #bodyReceived = 0;
  #tail: number[] = [];

  constructor(boundary: string, options: MjpegParserOptions = {}) {
    this.#delimiter = Buffer.from(`--${boundary}\r\n`);
    this.#skipBodies = options.skipBodies ?? false;
  }

  push(chunk: Buffer): MjpegPart[] {
    const parts: MjpegPart[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#headers) {
        offset = this.#takeBody(chunk, offset, parts);
      } else {
        const consumed = this.#takeHead(chunk.subarray(offset));
        if (consumed < 0) return parts;
        offset += consumed;
      }
    }
    return parts;
  }

  /** Bytes received but not yet part of a complete part. */
  get pendingBytes(): number {
    if (!this.#headers) return this.#head.length;
    return this.#headLength + this.#bodyReceived + this.#tail.length;
  }

  // Returns how many bytes of `rest` the header block used, or -1 if it is still incomplete (rest kept).
  #takeHead(rest: Buffer): number {
    const carried = this.#head.length;
    const buf =
      carried === 0 ? rest : Buffer.concat([this.#head, rest.subarray(0, 2 * MAX_HEAD_BYTES)]);
    const d = this.#delimiter;
    if (buf.length < d.length) {
      this.#head = Buffer.from(buf);
      return -1;
    }
    if (!buf.subarray(0, d.length).equals(d)) {
      throw new Error(
        `expected delimiter, got ${JSON.stringify(buf.subarray(0, 40).toString('latin1'))}`,
      );
    }
    const headerEnd = buf.indexOf(HEADER_END, d.length);
    if (headerEnd < 0) {
      if (buf.length > MAX_HEAD_BYTES) throw new Error('part headers longer than 4 KiB');
      this.#head = Buffer.from(buf);
      return -1;
    }
    const headers = new Map<string, string>();
    for (const line of buf.subarray(d.length, headerEnd).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`malformed part header line ${JSON.stringify(line)}`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const length = Number(headers.get('content-length'));
    if (!Number.isInteger(length) || length < 0)
      throw new Error('part without a valid Content-Length');
    this.#head = EMPTY;
    this.#headers = headers;
    this.#bodyLength = length;
    this.#headLength = headerEnd + HEADER_END.length;
    return headerEnd + HEADER_END.length - carried;
  }

  // Takes body and trailing-CRLF bytes from chunk[offset…]; emits the part when complete. Returns the new offset.
  #takeBody(chunk: Buffer, offset: number, parts: MjpegPart[]): number {
    const bodyWanted = this.#bodyLength - this.#bodyReceived;
    const bodyTaken = Math.min(bodyWanted, chunk.length - offset);
    if (bodyTaken > 0) {
      if (!this.#skipBodies) this.#bodySlices.push(chunk.subarray(offset, offset + bodyTaken));
      this.#bodyReceived += bodyTaken;
      offset += bodyTaken;
    }
    while (this.#bodyReceived === this.#bodyLength && this.#tail.length < CRLF.length) {
      if (offset >= chunk.length) return offset;
      this.#tail.push(chunk[offset++] ?? 0);
    }
    if (this.#tail.length < CRLF.length) return offset;
    if (this.#tail[0] !== CRLF[0] || this.#tail[1] !== CRLF[1]) {
      throw new Error('part body not followed by CRLF (Content-Length wrong?)');
    }
    const slices = this.#bodySlices;
    const body =
      slices.length === 0
        ? EMPTY
        : slices.length === 1
          ? (slices[0] ?? EMPTY)
          : Buffer.concat(slices);
    parts.push({ headers: this.#headers ?? new Map<string, string>(), body });
    this.#headers = null;
    this.#bodySlices = [];
    this.#bodyReceived = 0;
    this.#tail = [];
    return offset;
  }
}
