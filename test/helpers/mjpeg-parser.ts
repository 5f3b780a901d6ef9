// Incremental parser for a multipart/x-mixed-replace MJPEG body, strict about the wire format LanCam promises.
// Shared by the tests (which assert the format) and the benchmark client (which only needs the parts).

export interface MjpegPart {
  /** Part header names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

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
  #pending: Buffer = Buffer.alloc(0);

  constructor(boundary: string) {
    this.#delimiter = Buffer.from(`--${boundary}\r\n`);
  }

  push(chunk: Buffer): MjpegPart[] {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const parts: MjpegPart[] = [];
    for (;;) {
      const part = this.#next();
      if (!part) return parts;
      parts.push(part);
    }
  }

  /** Bytes received but not yet part of a complete part. */
  get pendingBytes(): number {
    return this.#pending.length;
  }

  #next(): MjpegPart | null {
    const buf = this.#pending;
    const d = this.#delimiter;
    if (buf.length < d.length) return null;
    if (!buf.subarray(0, d.length).equals(d)) {
      throw new Error(
        `expected delimiter, got ${JSON.stringify(buf.subarray(0, 40).toString('latin1'))}`,
      );
    }
    const headerEnd = buf.indexOf(HEADER_END, d.length);
    if (headerEnd < 0) {
      if (buf.length > 4096) throw new Error('part headers longer than 4 KiB');
      return null;
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
    const bodyStart = headerEnd + HEADER_END.length;
    const bodyEnd = bodyStart + length;
    if (buf.length < bodyEnd + CRLF.length) return null;
    if (!buf.subarray(bodyEnd, bodyEnd + CRLF.length).equals(CRLF)) {
      throw new Error('part body not followed by CRLF (Content-Length wrong?)');
    }
    const body = buf.subarray(bodyStart, bodyEnd);
    this.#pending = buf.subarray(bodyEnd + CRLF.length);
    return { headers, body };
  }
}

/** True when the bytes start with SOI (FFD8) and end with EOI (FFD9). */
export function isCompleteJpeg(bytes: Uint8Array): boolean {
  const n = bytes.length;
  return (
    n >= 4 &&
    bytes[0] === 0xff &&
    bytes[1] === 0xd8 &&
    bytes[n - 2] === 0xff &&
    bytes[n - 1] === 0xd9
  );
}
