// One RTSP control connection: answers OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, GET_PARAMETER and TEARDOWN
// (RFC 2326 §10) for the one stream, with an error status (never a crash) for anything else.
import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { normalizeAddress } from '../core/client-address.ts';
import { formatResponse, type HeaderList } from './rtsp-response.ts';
import { RtspRequestParser, type RtspRequest } from './rtsp-request-parser.ts';
import type { RtspAuthenticator } from './rtsp-auth.ts';
import { chooseTransport } from './rtsp-transport.ts';
import { buildSdp, TRACK_CONTROL } from './sdp.ts';
import { RtspSession, type SessionTransport } from './rtsp-session.ts';
import type { AccessUnit, VideoHub } from '../video/video-hub.ts';
import type { PacketizedUnit } from './rtp-packetizer.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import type { Logger } from '../types.ts';

/** The stream's paths; `/stream` matches the MJPEG alias so one path works for both. */
const STREAM_PATHS = new Set(['/live', '/stream']);
const SUPPORTED = ['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'PAUSE', 'GET_PARAMETER', 'TEARDOWN'];
/** Methods of RFC 2326 this server knows but does not allow on its stream (it only plays). */
const NOT_ALLOWED = new Set(['ANNOUNCE', 'RECORD', 'SET_PARAMETER', 'REDIRECT']);
export const SESSION_TIMEOUT_S = 60;
/** Pipelined requests waiting for their answer; real clients wait for each answer (CSeq order). */
const MAX_UNANSWERED = 16;
/** How long DESCRIBE waits for a first keyframe (the encoder starts on demand) before answering 503. */
const DESCRIBE_WAIT_MS = 5000;

export interface UdpPair {
  readonly rtp: UdpSocket;
  readonly rtcp: UdpSocket;
  readonly ports: readonly [number, number];
}

export interface ConnectionDeps {
  readonly hub: VideoHub;
  readonly auth: RtspAuthenticator;
  readonly udp: UdpPair | null;
  readonly packetize: (unit: AccessUnit) => PacketizedUnit;
  readonly maxPendingBytes: number;
  readonly bytesOut: RateMeter;
  readonly logger: Logger;
  readonly nextClientId: () => number;
  /** Registers a new session; false when the server is full. */
  readonly addSession: (session: RtspSession) => boolean;
  readonly removeSession: (session: RtspSession) => void;
}

type Handled = readonly [status: number, headers?: HeaderList, body?: Buffer];

export class RtspConnection {
  readonly #socket: Socket;
  readonly #deps: ConnectionDeps;
  readonly #parser = new RtspRequestParser();
  readonly address: string;
  #session: RtspSession | null = null;
  #isAuthenticated = false;
  #userAgent = '';
  /** Requests are answered in order even when DESCRIBE has to wait for a keyframe. */
  #queue: Promise<void> = Promise.resolve();
  /** Requests received but not answered yet; a client that piles them up is cut off. */
  #unanswered = 0;
  /** When the last complete request arrived: a connection with nothing playing times out on this. */
  lastRequestMs = Date.now();
  #isClosed = false;

  constructor(socket: Socket, deps: ConnectionDeps) {
    this.#socket = socket;
    this.#deps = deps;
    // The same normalisation as HTTP, so both protocols count wrong keys against one address.
    this.address = normalizeAddress(socket.remoteAddress);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 5000);
    socket.on('data', (chunk: Buffer) => {
      this.#onData(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.#finish();
    });
  }

  get session(): RtspSession | null {
    return this.#session;
  }

  get socket(): Socket {
    return this.#socket;
  }

  /** Ends the connection and its session (server close, eviction). */
  destroy(): void {
    this.#socket.destroy();
    this.#finish();
  }

  #finish(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    if (this.#session) {
      this.#session.close();
      this.#deps.removeSession(this.#session);
      this.#session = null;
    }
  }

  #onData(chunk: Buffer): void {
    for (const item of this.#parser.push(chunk)) {
      if (item.kind === 'interleaved') {
        // RTCP receiver reports over TCP: the client is alive.
        this.#session?.touch();
        continue;
      }
      if (item.kind === 'malformed') {
        this.#queue = this.#queue.then(() => {
          this.#send(formatResponse(400, null, [['Connection', 'close']]));
          this.#socket.end();
        });
        return;
      }
      const { request } = item;
      this.lastRequestMs = Date.now();
      this.#unanswered += 1;
      if (this.#unanswered > MAX_UNANSWERED) {
        this.destroy();
        return;
      }
      this.#queue = this.#queue.then(async () => {
        if (this.#isClosed) return;
        try {
          await this.#answer(request);
        } catch (error) {
          this.#deps.logger.error(`rtsp: ${request.method} failed: ${String(error)}`);
          this.#send(formatResponse(500, request.headers.get('cseq') ?? null));
        } finally {
          this.#unanswered -= 1;
        }
      });
    }
  }

  #send(bytes: Buffer): void {
    if (!this.#socket.destroyed && this.#socket.writable) this.#socket.write(bytes);
  }

  async #answer(request: RtspRequest): Promise<void> {
    const cseq = request.headers.get('cseq') ?? null;
    this.#userAgent = request.headers.get('user-agent') ?? this.#userAgent;
    this.#session?.touch();
    let handled: Handled;
    if (cseq === null || !/^\d{1,10}$/.test(cseq)) handled = [400];
    else if (request.version !== 'RTSP/1.0') handled = [505];
    else handled = await this.#route(request);
    const [status, headers = [], body] = handled;
    this.#send(formatResponse(status, cseq, headers, body));
  }

  async #route(request: RtspRequest): Promise<Handled> {
    const { method } = request;
    // No option extensions are implemented, so any Require is refused (RFC 2326 §12.32).
    const required = request.headers.get('require');
    if (required !== undefined) return [551, [['Unsupported', required]]];
    if (method === 'OPTIONS') return [200, [['Public', SUPPORTED.join(', ')]]];
    if (NOT_ALLOWED.has(method)) return [405, [['Allow', SUPPORTED.join(', ')]]];
    if (!SUPPORTED.includes(method)) return [501, [['Public', SUPPORTED.join(', ')]]];
    const target = parseTarget(request.uri);
    if (target === null) return [400];
    if (target === 'not-found') return [404];
    const denial = this.#authenticate(request, target.query);
    if (denial) return denial;
    switch (method) {
      case 'DESCRIBE':
        return this.#describe(target.base);
      case 'SETUP':
        return this.#setup(request);
      case 'PLAY':
        return this.#play(request, target.base);
      case 'PAUSE':
        return this.#withSession(request, (session) => {
          session.pause();
          return [200];
        });
      case 'GET_PARAMETER':
        if (!request.headers.has('session')) return [200];
        return this.#withSession(request, () => [200]);
      case 'TEARDOWN':
        return this.#withSession(request, (session) => {
          session.close();
          this.#deps.removeSession(session);
          this.#session = null;
          return [200];
        });
      default:
        return [501];
    }
  }

  #authenticate(request: RtspRequest, query: URLSearchParams): Handled | null {
    if (this.#isAuthenticated) return null;
    const verdict = this.#deps.auth.judge(
      request.method,
      query,
      request.headers.get('authorization'),
      this.address,
    );
    if (verdict === 'ok') {
      this.#isAuthenticated = true;
      return null;
    }
    if (verdict === 'locked') return [403];
    const challenges = this.#deps.auth.challenges(verdict === 'stale');
    return [401, challenges.map((value) => ['WWW-Authenticate', value] as const)];
  }

  async #describe(base: string): Promise<Handled> {
    const sets = this.#deps.hub.parameterSets ?? (await this.#waitForParameterSets());
    if (sets === null) return [503, [['Retry-After', '2']]];
    const sdp = buildSdp({
      parameterSets: sets,
      serverAddress: (this.#socket.localAddress ?? '0.0.0.0').replace(/^::ffff:/, ''),
      sessionId: String(Date.now()),
    });
    return [
      200,
      [
        ['Content-Base', `${base}/`],
        ['Content-Type', 'application/sdp'],
      ],
      Buffer.from(sdp, 'utf8'),
    ];
  }

  /** Counts as a consumer while waiting, so an encoder that runs only for consumers starts. */
  #waitForParameterSets(): Promise<VideoHub['parameterSets']> {
    const hub = this.#deps.hub;
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.#socket.off('close', done);
        resolve(hub.parameterSets);
      };
      const unsubscribe = hub.subscribe({
        onAccessUnit: (unit) => {
          if (unit.isKey) done();
        },
      });
      const timer = setTimeout(done, DESCRIBE_WAIT_MS);
      this.#socket.once('close', done);
    });
  }

  #setup(request: RtspRequest): Handled {
    const sessionHeader = request.headers.get('session');
    if (this.#session) {
      if (sessionHeader !== undefined && sessionIdOf(sessionHeader) !== this.#session.sessionId) {
        return [454];
      }
      // One track only: a second SETUP in the same session changes nothing we could honour.
      return [459];
    }
    if (sessionHeader !== undefined) return [454];
    const requested = chooseTransport(request.headers.get('transport'));
    if (requested === null) return [461];
    let transport: SessionTransport;
    if (requested.kind === 'tcp') {
      transport = { kind: 'tcp', socket: this.#socket, channels: requested.channels };
    } else {
      const udp = this.#deps.udp;
      if (udp === null) return [461];
      // RTP goes back to the address that holds this connection, never to a `destination` of the
      // client's choosing (RFC 2326 §16: otherwise the server could be aimed at a third party). The raw
      // form, since on a dual-stack (udp6) socket an IPv4 peer must be addressed as ::ffff:a.b.c.d.
      transport = {
        kind: 'udp',
        address: this.#socket.remoteAddress ?? this.address,
        clientPorts: requested.clientPorts,
        ...udp,
      };
    }
    const session = new RtspSession({
      id: this.#deps.nextClientId(),
      address: this.address,
      userAgent: this.#userAgent,
      transport,
      hub: this.#deps.hub,
      packetize: this.#deps.packetize,
      maxPendingBytes: this.#deps.maxPendingBytes,
      bytesOut: this.#deps.bytesOut,
    });
    if (!this.#deps.addSession(session)) return [453];
    this.#session = session;
    const ssrc = session.ssrc.toString(16).padStart(8, '0').toUpperCase();
    const transportReply =
      requested.kind === 'tcp'
        ? `RTP/AVP/TCP;unicast;interleaved=${requested.channels[0]}-${requested.channels[1]};ssrc=${ssrc}`
        : `RTP/AVP;unicast;client_port=${requested.clientPorts[0]}-${requested.clientPorts[1]};` +
          `server_port=${this.#deps.udp?.ports[0] ?? 0}-${this.#deps.udp?.ports[1] ?? 0};ssrc=${ssrc}`;
    return [
      200,
      [
        ['Transport', transportReply],
        ['Session', `${session.sessionId};timeout=${SESSION_TIMEOUT_S}`],
      ],
    ];
  }

  #play(request: RtspRequest, base: string): Handled {
    return this.#withSession(request, (session) => {
      session.play();
      const { sequence, rtpTime } = session.rtpInfo;
      return [
        200,
        [
          ['Range', 'npt=0.000-'],
          ['RTP-Info', `url=${base}/${TRACK_CONTROL};seq=${sequence};rtptime=${rtpTime}`],
        ],
      ];
    });
  }

  #withSession(request: RtspRequest, action: (session: RtspSession) => Handled): Handled {
    const header = request.headers.get('session');
    const session = this.#session;
    if (header === undefined) return session ? [454] : [455];
    if (session?.sessionId !== sessionIdOf(header)) return [454];
    const [status, headers = []] = action(session);
    return [status, [['Session', `${session.sessionId};timeout=${SESSION_TIMEOUT_S}`], ...headers]];
  }
}

const sessionIdOf = (header: string): string => header.split(';')[0]?.trim() ?? '';

/**
 * The request URL: '*' (OPTIONS only), or an rtsp:// URL whose path is a stream path, optionally followed by
 * our track's control suffix. Returns the stream's base URL (no credentials, no query) and the query.
 */
function parseTarget(uri: string): { base: string; query: URLSearchParams } | 'not-found' | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return uri.startsWith('/') ? parseTarget(`rtsp://localhost${uri}`) : null;
  }
  if (url.protocol !== 'rtsp:' && url.protocol !== 'rtspt:') return null;
  let path = url.pathname.replace(/\/+$/, '');
  const track = `/${TRACK_CONTROL}`;
  if (path.endsWith(track)) path = path.slice(0, -track.length);
  if (!STREAM_PATHS.has(path)) return 'not-found';
  return { base: `rtsp://${url.host}${path}`, query: url.searchParams };
}
