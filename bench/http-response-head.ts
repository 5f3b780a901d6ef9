// Reads an HTTP/1.1 response head off a raw socket: status and headers, and the body bytes that followed it.

export interface ResponseHead {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 16 * 1024;

/** Feed it the first bytes of a response until it returns the head; `body` is what came after it. */
export class ResponseHeadReader {
  #carried = Buffer.alloc(0);

  push(chunk: Buffer): { head: ResponseHead; body: Buffer } | null {
    const buf = this.#carried.length === 0 ? chunk : Buffer.concat([this.#carried, chunk]);
    const end = buf.indexOf(HEAD_END);
    if (end < 0) {
      if (buf.length > MAX_HEAD_BYTES) throw new Error('response head longer than 16 KiB');
      // Copied: the caller may reuse the chunk's memory for the next read.
      this.#carried = Buffer.from(buf);
      return null;
    }
    const [statusLine = '', ...lines] = buf.subarray(0, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
    if (status === undefined) throw new Error(`bad status line ${JSON.stringify(statusLine)}`);
    const headers = new Map<string, string>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0)
        headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    this.#carried = Buffer.alloc(0);
    return { head: { status: Number(status), headers }, body: buf.subarray(end + HEAD_END.length) };
  }
}
