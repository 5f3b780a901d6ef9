// Public types of the broadcast server: options, the handle returned by startBroadcastServer, its status.

/** Where the server writes what it has to say; tests pass a silent one, main routes it to its log. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface FrameMeta {
  /** Capture time, milliseconds since the Unix epoch; sent to viewers as the part's X-Timestamp. */
  readonly captureTimeMs: number;
  readonly width: number;
  readonly height: number;
}

export interface BroadcastServerOptions {
  /** Interface to bind; default '0.0.0.0' (the LAN). */
  readonly host?: string;
  /**
   * Port to listen on. Omitted: 8080, or the next free port if 8080 is busy.
   * Given: exactly that port (0 = any free port); busy is an error naming the port.
   */
  readonly port?: number;
  /** Access key; default a new random key (≥ 96 bits, URL-safe). Ignored when `auth` is false. */
  readonly key?: string;
  /** Require the access key (default true). `false` is open mode: anyone on the network can watch. */
  readonly auth?: boolean;
  /** Concurrent stream viewers; more get 503 + Retry-After. Default 32. */
  readonly maxViewers?: number;
  /**
   * Stream slots one client address may hold; more get 429 + Retry-After, so one address cannot take every
   * slot. Default max(2, ceil(maxViewers / 4)).
   */
  readonly maxViewersPerAddress?: number;
  /** Open sockets in total (`server.maxConnections`); default 2 × maxViewers + 64. */
  readonly maxConnections?: number;
  /** Open sockets per client address; more are closed on accept. Default maxViewersPerAddress + 8. */
  readonly maxConnectionsPerAddress?: number;
  /**
   * Addresses or CIDR ranges the per-address limits do not apply to (they still count towards the totals).
   * Default `['127.0.0.1', '::1']`: this machine itself, e.g. the preview window or a gateway (go2rtc, MediaMTX,
   * nginx) on the same host that fans the stream out to many. Trusted proxies are never capped per address.
   */
  readonly uncappedAddresses?: readonly string[];
  /**
   * Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed: the last address in it that
   * is not itself a trusted proxy counts as the client, for the lockout, the per-address limits and the status.
   * Default none: X-Forwarded-For is ignored.
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Open mode only: host names (besides IP addresses, `localhost`, this machine's name and `<name>.local`)
   * that requests may be addressed to. Other Host headers get 403, which defeats DNS rebinding.
   */
  readonly allowedHosts?: readonly string[];
  /** A viewer whose socket makes no write progress for this long is evicted. Default 10 000. */
  readonly stallTimeoutMs?: number;
  /** With no new frame, the latest is re-sent this often. Default 1 000. */
  readonly repeatIntervalMs?: number;
  readonly logger?: Logger;
  /** Serve H.264 over RTSP (default true). */
  readonly rtsp?: boolean;
  /** RTSP port. Omitted: 8554, or the next free one if busy. Given: exactly that port (0 = any free). */
  readonly rtspPort?: number;
  /** WWW-Authenticate schemes offered to RTSP clients, in order (default Digest, then Basic); both are accepted. */
  readonly rtspAuthSchemes?: readonly ('basic' | 'digest')[];
}

/** One H.264 access unit from the encoder (WebCodecs `EncodedVideoChunk` in Annex B form). */
export interface VideoChunk {
  /** Annex B: start codes before each NAL unit. A keyframe carries SPS and PPS (or they are known already). */
  readonly data: Uint8Array;
  readonly isKey: boolean;
  /** Presentation time in microseconds, increasing. */
  readonly timestampUs: number;
  readonly durationUs?: number;
}

/** One RTSP client in the status, next to the MJPEG viewers. */
export interface RtspClientStats {
  readonly id: number;
  readonly protocol: 'rtsp';
  readonly transport: 'tcp' | 'udp';
  readonly address: string;
  readonly userAgent: string;
  /** Access units delivered per second. */
  readonly fps: number;
  readonly bytesSent: number;
  readonly framesSent: number;
  /** Access units skipped while the client was behind (it then resumes at a keyframe). */
  readonly skippedFrames: number;
  readonly isSlow: boolean;
  readonly connectedAtMs: number;
  readonly pendingBytes: number;
}

export type ServerState = 'live' | 'paused' | 'waiting';

export interface ViewerStats {
  readonly id: number;
  readonly address: string;
  readonly userAgent: string;
  /** Frames delivered per second, measured over the last second or so. */
  readonly fps: number;
  readonly bytesSent: number;
  readonly framesSent: number;
  readonly skippedFrames: number;
  readonly isSlow: boolean;
  /** Epoch milliseconds. */
  readonly connectedAtMs: number;
  /**
   * Bytes held for this viewer in user space (at most one part; its kernel socket buffer comes on top).
   * Optional so code that builds ViewerStats by hand (fakes, mappers) keeps compiling; the server always sets it.
   */
  readonly pendingBytes?: number;
  /** The `?client=` tag the viewer sent, if any: lets the viewer page find its own stream in /status.json. */
  readonly clientId?: string;
  /**
   * How the viewer receives frames: 'mjpeg' is the multipart stream every player reads; 'websocket' is the
   * viewer page's acknowledged frame channel.
   */
  readonly protocol?: ViewerProtocol;
  /**
   * Capture → drawn, in milliseconds, for the last frame the viewer acknowledged (acknowledged channels only:
   * a multipart reader never says when it showed a frame).
   */
  readonly frameAgeMs?: number;
  /** Channel viewers: what they receive, JPEG frames or H.264 (decoded in the page). */
  readonly codec?: 'jpeg' | 'h264';
  /**
   * Which source the viewer watches (1 … MAX_SOURCES). Optional so code that builds ViewerStats by hand keeps
   * compiling; the server always sets it.
   */
  readonly sourceId?: number;
}

export type ViewerProtocol = 'mjpeg' | 'websocket';

export interface ServerStatus {
  /** 'waiting' before the first frame, 'paused' after pause(), else 'live'. */
  readonly state: ServerState;
  /** Frames per second arriving through publish(). */
  readonly sourceFps: number;
  readonly frame: {
    readonly width: number;
    readonly height: number;
    readonly bytes: number;
  } | null;
  readonly uptimeMs: number;
  /** Frames publish() refused: bytes that fail the JPEG structure check, or meta that is not finite and positive. */
  readonly rejectedFrames: number;
  /** Bytes per second sent to all viewers together. */
  readonly bytesPerSecondOut: number;
  readonly viewerCount: number;
  readonly viewers: readonly ViewerStats[];
  /** Clients playing the RTSP stream (optional so hand-built statuses keep compiling). */
  readonly rtspClients?: readonly RtspClientStats[];
  /** H.264 consumers connected: the encoder needs to run only while this is ≥ 1. */
  readonly videoConsumers?: number;
  /** Chunks publishVideo() refused. */
  readonly rejectedVideoChunks?: number;
  /**
   * Addresses refused after blockAddress(), with when each block ends (epoch ms). Optional so code that builds
   * a status by hand keeps compiling; the server always sets it.
   */
  readonly blockedAddresses?: readonly BlockedAddressStatus[];
  /**
   * Every source served, source 1 first. The top-level state, sourceFps, frame and rejectedFrames are source
   * 1's (what today's paths serve); viewers and viewerCount cover every source (each viewer names its
   * sourceId). Optional so hand-built statuses keep compiling; the server always sets it.
   */
  readonly sources?: readonly SourceStatus[];
}

/** How many sources one server serves at most (/cam/1 … /cam/4). */
export const MAX_SOURCES = 4;

/** One source's frame input; the server's own publish/pause/resume/reconnectViewers act on source 1. */
export interface BroadcastSource {
  readonly id: number;
  readonly name: string;
  /** Same contract as BroadcastServer.publish (checked, counted in this source's rejectedFrames, never throws). */
  publish(jpeg: Uint8Array, meta: FrameMeta): boolean;
  pause(): void;
  resume(): void;
  /** End this source's streams so its viewers reconnect (after a size or rotation change). */
  reconnectViewers(): void;
  rename(name: string): void;
  status(): SourceStatus;
}

/** One source (camera, screen, frame folder) in the status: what /cam/N/… serves. */
export interface SourceStatus {
  /** 1 … MAX_SOURCES; source 1 is also served at today's paths (/stream.mjpg, /snapshot.jpg, …). */
  readonly id: number;
  /** What the user calls it ("Front door", "Screen"); may be empty. */
  readonly name: string;
  readonly state: ServerState;
  readonly sourceFps: number;
  readonly frame: {
    readonly width: number;
    readonly height: number;
    readonly bytes: number;
  } | null;
  readonly rejectedFrames: number;
  /** Viewers of this source (MJPEG and channel; RTSP clients are counted at the top level). */
  readonly viewerCount: number;
  /** Server-relative paths of this source's outputs. */
  readonly paths: { readonly page: string; readonly stream: string; readonly snapshot: string };
}

export interface BlockedAddressStatus {
  readonly address: string;
  readonly untilMs: number;
}

export interface BroadcastServer {
  /** Share URLs, private IPv4 first, then `http://<hostname>.local:<port>/`; each carries `?key=` unless open. */
  readonly urls: readonly string[];
  readonly port: number;
  /** The key in force, or null in open mode. */
  readonly key: string | null;
  /**
   * Publish one JPEG. Returns false, and counts it in `rejectedFrames`, when the bytes fail the JPEG structure
   * check (SOI, well-formed segments, SOF with a size, SOS, EOI: see `checkJpeg`) or when a meta number is not
   * finite and positive. This is the only frame check callers need. Never throws.
   */
  publish(jpeg: Uint8Array, meta: FrameMeta): boolean;
  /** Viewers get the "Broadcast paused" placeholder until resume(); frames published meanwhile are kept, not sent. */
  pause(): void;
  resume(): void;
  /** End source 1's streams so its viewers reconnect (after a size or rotation change). */
  reconnectViewers(): void;
  /** Source 1, always present (its name defaults to ''). */
  readonly mainSource: BroadcastSource;
  /** Every source served now, by id. */
  readonly sources: readonly BroadcastSource[];
  source(id: number): BroadcastSource | undefined;
  /**
   * Serve one more source at /cam/N/… under `id` (2 … MAX_SOURCES; a saved link such as /cam/4/ keeps its
   * id across restarts) or, without one, the lowest free id. It is 'waiting' until its first frame. Throws
   * RangeError when the id is taken or out of range, or when MAX_SOURCES are served already.
   */
  addSource(options?: { readonly name?: string; readonly id?: number }): BroadcastSource;
  /**
   * Stop serving source `id` (2 … MAX_SOURCES): its viewers' streams end, its paths answer 404, its handle
   * refuses further frames. False if absent, and for source 1, which is never removed.
   */
  removeSource(id: number): boolean;
  /**
   * End one viewer's stream or RTSP session (the id from status().viewers or status().rtspClients: one id
   * space); false when no such client is connected.
   */
  disconnectViewer(id: number): boolean;
  /** End every viewer's stream and every RTSP session; returns how many were ended. */
  disconnectAll(): number;
  /** Refuse every request from `address` (403, every protocol) for `durationMs`. Throws RangeError on ≤ 0. */
  blockAddress(address: string, durationMs: number): void;
  /** Lift a block early; false when the address was not blocked. */
  allowAddress(address: string): boolean;
  status(): ServerStatus;
  /** Called on every viewer join/leave, pause/resume, and once a second while running. Returns unsubscribe. */
  onStatus(listener: (status: ServerStatus) => void): () => void;
  /** End every stream, free the port; resolves once every socket is gone. */
  close(): Promise<void>;
  /**
   * Publish one H.264 access unit to the RTSP clients and the viewer pages that play H.264. Returns false, and
   * counts it, if refused. Never throws. H.264 is source 1's only: other sources serve JPEG (MJPEG, channel).
   */
  publishVideo(chunk: VideoChunk): boolean;
  /** Bound RTSP port, or null when RTSP is off. */
  readonly rtspPort: number | null;
  /** `rtsp://viewer:KEY@HOST:PORT/live` per share host (no user info in open mode); empty when RTSP is off. */
  readonly rtspUrls: readonly string[];
  /** H.264 consumers connected now; run the encoder only while this is ≥ 1. */
  readonly videoConsumers: number;
  /** Called when a consumer joins and wants a keyframe at once. Returns unsubscribe. */
  onKeyframeRequest(listener: () => void): () => void;
}
