// Splits the bytes of one RTSP control connection into requests (RFC 2326 §6) and interleaved binary
// frames ($, channel, length; RFC 2326 §10.12), refusing what is malformed or oversized instead of buffering it.

export interface RtspRequest {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  /** Lower-case names; a repeated header keeps its last value. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

export type ParsedItem =
  | { readonly kind: 'request'; readonly request: RtspRequest }
  | { readonly kind: 'interleaved'; readonly channel: number; readonly payload: Buffer }
  | { readonly kind: 'malformed'; readonly reason: string };

/** A request head beyond this is refused: real clients send well under 2 KiB. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Requests to this server carry no meaningful bodies (GET_PARAMETER may carry a few names). */
export const MAX_BODY_BYTES = 64 * 1024;

const DOLLAR = 0x24;
const REQUEST_LINE = /^([A-Za-z_][A-Za-z0-9_-]*) (\S+) (RTSP\/\d+\.\d+)$/;

export class RtspRequestParser {
  #buffer: Buffer = Buffer.alloc(0);
  #isBroken = false;

  /** Feeds bytes and returns every complete item; after a 'malformed' item nothing more is parsed. */
  push(chunk: Buffer): ParsedItem[] {
    if (this.#isBroken) return [];
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const items: ParsedItem[] = [];
    for (;;) {
      const item = this.#next();
      if (item === null) break;
      items.push(item);
      if (item.kind === 'malformed') {
        this.#isBroken = true;
        this.#buffer = Buffer.alloc(0);
        break;
      }
    }
    return items;
  }

  #next(): ParsedItem | null {
    let start = 0;
    // Blank lines between requests are allowed (RFC 2326 §15.1 refers to HTTP's robustness rule).
    while (
      start < this.#buffer.length &&
      (this.#buffer[start] === 0x0d || this.#buffer[start] === 0x0a)
    ) {
      start += 1;
    }
    if (start > 0) this.#buffer = this.#buffer.subarray(start);
    const buffer = this.#buffer;
    if (buffer.length === 0) return null;
    if (buffer[0] === DOLLAR) {
      if (buffer.length < 4) return null;
      const length = buffer.readUInt16BE(2);
      if (buffer.length < 4 + length) return null;
      const payload = buffer.subarray(4, 4 + length);
      this.#buffer = buffer.subarray(4 + length);
      return { kind: 'interleaved', channel: buffer[1] ?? 0, payload };
    }
    const headEnd = findHeadEnd(buffer);
    if (headEnd === null) {
      if (buffer.length > MAX_HEAD_BYTES)
        return { kind: 'malformed', reason: 'request head too long' };
      // A request line that can never become valid is refused at once, not after 16 KiB of garbage.
      const firstLineEnd = buffer.indexOf(0x0a);
      const firstLine = buffer.subarray(0, firstLineEnd < 0 ? buffer.length : firstLineEnd);
      if (firstLineEnd >= 0 && !REQUEST_LINE.test(firstLine.toString('latin1').trimEnd())) {
        return { kind: 'malformed', reason: 'bad request line' };
      }
      if (hasControlBytes(firstLine)) return { kind: 'malformed', reason: 'binary data' };
      return null;
    }
    if (headEnd.headLength > MAX_HEAD_BYTES)
      return { kind: 'malformed', reason: 'request head too long' };
    const head = buffer.subarray(0, headEnd.headLength).toString('latin1');
    const parsed = parseHead(head);
    if (typeof parsed === 'string') return { kind: 'malformed', reason: parsed };
    const lengthText = parsed.headers.get('content-length') ?? '0';
    if (!/^\d{1,7}$/.test(lengthText)) return { kind: 'malformed', reason: 'bad Content-Length' };
    const bodyLength = Number(lengthText);
    if (bodyLength > MAX_BODY_BYTES) return { kind: 'malformed', reason: 'body too large' };
    const total = headEnd.bodyStart + bodyLength;
    if (buffer.length < total) return null;
    const body = Buffer.from(buffer.subarray(headEnd.bodyStart, total));
    this.#buffer = buffer.subarray(total);
    return { kind: 'request', request: { ...parsed, body } };
  }
}

function findHeadEnd(buffer: Buffer): { headLength: number; bodyStart: number } | null {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { headLength: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { headLength: lf, bodyStart: lf + 2 };
  return null;
}

function hasControlBytes(bytes: Buffer): boolean {
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0d) || byte === 0x7f) return true;
  }
  return false;
}

function parseHead(head: string): Omit<RtspRequest, 'body'> | string {
  const [requestLine = '', ...lines] = head.split(/\r?\n/);
  const match = REQUEST_LINE.exec(requestLine.trimEnd());
  if (!match) return 'bad request line';
  const headers = new Map<string, string>();
  let lastName: string | null = null;
  for (const line of lines) {
    if (hasControlBytes(Buffer.from(line, 'latin1'))) return 'control bytes in a header';
    if (/^[ \t]/.test(line) && lastName !== null) {
      // Obsolete line folding: the line continues the previous header's value.
      headers.set(lastName, `${headers.get(lastName) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return 'bad header line';
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) return 'bad header name';
    headers.set(name, line.slice(colon + 1).trim());
    lastName = name;
  }
  const [, method = '', uri = '', version = ''] = match;
  return { method, uri, version, headers };
}
