// A small RTSP client over real TCP for the tests that need many clients or byte-level control: requests and
// responses, RTP over the connection (interleaved), access units counted by the marker bit, a switch to stop
// reading (a stalled client). Players (ffmpeg, VLC…) prove interoperability; this proves behaviour at scale.
import net from 'node:net';

export interface RtspResponse {
  readonly status: number;
  readonly headers: Map<string, string[]>;
  readonly body: Buffer;
}

export class RtspTestClient {
  readonly socket: net.Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #cseq = 0;
  readonly #waiters: ((response: RtspResponse) => void)[] = [];
  /** Complete access units received (RTP packets with the marker bit on channel 0). */
  accessUnits = 0;
  rtpPackets = 0;
  rtcpPackets = 0;
  bytes = 0;
  /** Sequence numbers that did not follow the previous one. */
  sequenceJumps = 0;
  #lastSequence: number | null = null;
  /** Arrival time of each access unit's last packet. */
  readonly unitTimesMs: number[] = [];
  /** NAL type that opens each access unit (7 = SPS: a keyframe as the server sends them). */
  readonly unitFirstNalTypes: number[] = [];
  #isUnitStart = true;
  #isClosed = false;
  readonly closed: Promise<void>;

  readonly #userAgent: string;

  private constructor(socket: net.Socket, userAgent: string) {
    this.socket = socket;
    this.#userAgent = userAgent;
    socket.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      this.#parse();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#isClosed = true;
        resolve();
      });
    });
  }

  static connect(
    port: number,
    options: { host?: string; userAgent?: string; localAddress?: string } = {},
  ): Promise<RtspTestClient> {
    const host = options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        port,
        host,
        ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
      });
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RtspTestClient(socket, options.userAgent ?? 'lancam-test'));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  request(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    timeoutMs = 10_000,
  ): Promise<RtspResponse> {
    this.#cseq += 1;
    const lines = [
      `${method} ${url} RTSP/1.0`,
      `CSeq: ${this.#cseq}`,
      `User-Agent: ${this.#userAgent}`,
    ];
    for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
    return this.raw(`${lines.join('\r\n')}\r\n\r\n`, timeoutMs);
  }

  /** Sends bytes as they are and waits for the next response. */
  raw(bytes: string | Buffer, timeoutMs = 10_000): Promise<RtspResponse> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('no RTSP response in time'));
      }, timeoutMs);
      this.#waiters.push((response) => {
        clearTimeout(timer);
        resolve(response);
      });
      this.socket.write(bytes);
    });
  }

  /** DESCRIBE, SETUP (interleaved TCP) and PLAY with Basic auth; returns the session id. */
  async play(url: string, key: string | null): Promise<string> {
    const auth: Record<string, string> =
      key === null
        ? {}
        : { Authorization: `Basic ${Buffer.from(`viewer:${key}`).toString('base64')}` };
    const describe = await this.request('DESCRIBE', url, { ...auth, Accept: 'application/sdp' });
    if (describe.status !== 200) throw new Error(`DESCRIBE answered ${describe.status}`);
    const setup = await this.request('SETUP', `${url}/trackID=0`, {
      ...auth,
      Transport: 'RTP/AVP/TCP;unicast;interleaved=0-1',
    });
    if (setup.status !== 200) throw new Error(`SETUP answered ${setup.status}`);
    const session = (setup.headers.get('session')?.[0] ?? '').split(';')[0] ?? '';
    const play = await this.request('PLAY', url, { ...auth, Session: session });
    if (play.status !== 200) throw new Error(`PLAY answered ${play.status}`);
    return session;
  }

  /** Stops reading: the server's writes back up into the kernel buffers and then its own. */
  stall(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }

  #parse(): void {
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length === 0) return;
      if (buffer[0] === 0x24) {
        if (buffer.length < 4) return;
        const length = buffer.readUInt16BE(2);
        if (buffer.length < 4 + length) return;
        this.#onInterleaved(buffer[1] ?? 0, buffer.subarray(4, 4 + length));
        this.#buffer = buffer.subarray(4 + length);
        continue;
      }
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = new Map<string, string[]>();
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
      }
      const length = Number(headers.get('content-length')?.[0] ?? '0');
      if (buffer.length < end + 4 + length) return;
      const body = Buffer.from(buffer.subarray(end + 4, end + 4 + length));
      this.#buffer = buffer.subarray(end + 4 + length);
      const status = Number(/^RTSP\/1\.0 (\d{3})/.exec(statusLine)?.[1] ?? 0);
      this.#waiters.shift()?.({ status, headers, body });
    }
  }

  #onInterleaved(channel: number, packet: Buffer): void {
    if (channel === 1) {
      this.rtcpPackets += 1;
      return;
    }
    this.rtpPackets += 1;
    const sequence = packet.readUInt16BE(2);
    if (this.#lastSequence !== null && sequence !== ((this.#lastSequence + 1) & 0xffff)) {
      this.sequenceJumps += 1;
    }
    this.#lastSequence = sequence;
    if (this.#isUnitStart) {
      // Byte 12 is the NAL header; FU-A (28) carries the real type in the FU header after it.
      const type = (packet[12] ?? 0) & 0x1f;
      this.unitFirstNalTypes.push(type === 28 ? (packet[13] ?? 0) & 0x1f : type);
    }
    this.#isUnitStart = ((packet[1] ?? 0) & 0x80) !== 0;
    if (this.#isUnitStart) {
      this.accessUnits += 1;
      this.unitTimesMs.push(Date.now());
    }
  }
}
