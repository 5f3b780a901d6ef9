// Undoes Transfer-Encoding: chunked without copying data (the naive baseline streams chunked, LanCam does not).

const CR = 0x0d;
const LF = 0x0a;

export class ChunkedDecoder {
  // Hex size line of the next chunk, possibly split across reads.
  #sizeLine = '';
  #dataLeft = 0;
  // CRLF bytes still expected after a chunk's data.
  #crlfLeft = 0;
  #isDone = false;

  /** Returns the data bytes in `input` as views into it (valid until the caller's buffer is reused). */
  push(input: Buffer): Buffer[] {
    const out: Buffer[] = [];
    let i = 0;
    while (i < input.length && !this.#isDone) {
      if (this.#dataLeft > 0) {
        const take = Math.min(this.#dataLeft, input.length - i);
        out.push(input.subarray(i, i + take));
        this.#dataLeft -= take;
        i += take;
        if (this.#dataLeft === 0) this.#crlfLeft = 2;
      } else if (this.#crlfLeft > 0) {
        const expected = this.#crlfLeft === 2 ? CR : LF;
        if (input[i] !== expected) throw new Error('chunk data not followed by CRLF');
        this.#crlfLeft -= 1;
        i += 1;
      } else {
        const lf = input.indexOf(LF, i);
        const end = lf < 0 ? input.length : lf;
        this.#sizeLine += input.toString('latin1', i, end);
        if (this.#sizeLine.length > 64) throw new Error('chunk size line too long');
        i = end;
        if (lf < 0) break;
        i += 1;
        const size = Number.parseInt(this.#sizeLine.replace(/[;\r].*$/s, ''), 16);
        this.#sizeLine = '';
        if (!Number.isInteger(size) || size < 0) throw new Error('bad chunk size');
        if (size === 0) this.#isDone = true;
        this.#dataLeft = size;
      }
    }
    return out;
  }
}
