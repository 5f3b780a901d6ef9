// Owns the broadcast server's lifecycle and maps its status for the UI; the only importer of server/.
import type {
  AppError,
  BroadcastStatus,
  CameraState,
  ErrorCode,
  FrameMeta,
  FrameRejectReason,
  Result,
  Settings,
  SourceSummary,
  VideoChunkMeta,
  ViewerSummary,
} from '../ipc.ts';
import { startBroadcastServer } from '../../server/index.ts';
import type {
  BroadcastServer,
  Logger,
  RtspClientStats,
  ServerState,
  ServerStatus,
  SourceStatus,
  ViewerStats,
} from '../../server/types.ts';
import { defaultPort, disconnectBlockMs } from '../settings-limits.ts';
import { syncSources } from './source-sync.ts';
import { describeUserAgent } from './user-agent.ts';
import type { GateRejectReason } from './validate.ts';

/** Keeps the machine awake while live (main passes powerSaveBlocker; tests pass nothing). */
export interface KeepAwake {
  start(): void;
  stop(): void;
}

/** Announces the stream on the LAN while live (mdns.ts; tests pass nothing, so no multicast leaves them). */
export interface Advertiser {
  start(port: number): void;
  stop(): Promise<void>;
}

export interface BroadcastOptions {
  readonly settings: () => Settings;
  /** Where every status change goes: the control window, the tray. */
  readonly onStatus: (status: BroadcastStatus) => void;
  readonly logger: Logger;
  readonly keepAwake?: KeepAwake;
  readonly advertiser?: Advertiser;
  /** Interface to bind; omitted = the server's default, the whole LAN. */
  readonly host?: string;
  /** An H.264 consumer joined (or the stream broke): the renderer should encode a keyframe now. */
  readonly onKeyframeRequest?: () => void;
}

export interface Broadcast {
  start(): Promise<Result<BroadcastStatus>>;
  stop(): Promise<Result<BroadcastStatus>>;
  status(): BroadcastStatus;
  readonly isLive: boolean;
  /**
   * Hands a frame that passed the IPC gate to its source on the server (dropped while off). The one place
   * that decides "the format changed": a frame whose size differs from the source's last published one first
   * ends that source's open streams, so its viewers reconnect and each stream's parts share one size
   * (Firefox needs that).
   */
  publishFrame(jpeg: Uint8Array, meta: FrameMeta, sourceId: number): void;
  /** Hands an H.264 access unit that passed the IPC video gate to the server (dropped while off). */
  publishVideo(data: Uint8Array, meta: VideoChunkMeta): void;
  /** Asks the renderer for a keyframe (through `onKeyframeRequest`). */
  requestKeyframe(): void;
  /** Counts a frame the IPC gate refused, under the gate's reason, so the UI can show it. */
  noteRejectedFrame(reason: GateRejectReason): void;
  /** A source's camera lost → that source's viewers see the paused placeholder; camera back → live again. */
  setCameraState(state: CameraState, sourceId: number): void;
  /**
   * Restarts a running server when a setting it was started with (port, key, open mode) changed; otherwise
   * serves the extra sources the settings now list.
   */
  settingsChanged(previous: Settings, next: Settings): Promise<void>;
  /** Ends every stream from this viewer's address and refuses the address for `disconnectBlockMs`. */
  disconnectViewer(id: number): Result<BroadcastStatus>;
  /** Ends every stream and refuses each viewer's address for `disconnectBlockMs`. */
  disconnectAll(): Result<BroadcastStatus>;
  /** Lifts the block on an address early. */
  allowAddress(address: string): Result<BroadcastStatus>;
}

export type GateRejects = Readonly<Partial<Record<GateRejectReason, number>>>;

export interface StatusExtras {
  /** Sources whose camera is lost or failed. */
  readonly pausedSources: ReadonlySet<number>;
  /** Main's own gate rejects; the server's count arrives in its status and is shown as 'not-jpeg'. */
  readonly gateRejects: GateRejects;
  readonly warning: AppError | null;
  readonly liveSinceMs: number | null;
}

/** Main's reasons next to the server's one: each reason has one counter, and the total is their sum. */
function rejectFields(
  gateRejects: GateRejects,
  serverRejects: number,
  serverVideoRejects = 0,
): Pick<BroadcastStatus, 'rejectedFrames' | 'rejectedByReason'> {
  const byReason: Partial<Record<FrameRejectReason, number>> = { ...gateRejects };
  if (serverRejects > 0) byReason['not-jpeg'] = serverRejects;
  if (serverVideoRejects > 0) byReason['video-refused'] = serverVideoRejects;
  const total = Object.values(byReason).reduce((sum, count) => sum + count, 0);
  return { rejectedFrames: total, rejectedByReason: byReason };
}

/** A source's state: 'waiting' (no frame yet) reads as starting, a lost camera as paused. */
export function sourceStateOf(
  state: ServerState,
  isCameraPaused: boolean,
): BroadcastStatus['state'] {
  if (state === 'paused' || isCameraPaused) return 'paused';
  return state === 'waiting' ? 'starting' : 'live';
}

/** A source's viewer page on the preferred share URL's host, keeping its key (`?key=…`). */
export function sourcePageUrl(shareUrl: string | undefined, pagePath: string): string {
  if (shareUrl === undefined) return pagePath;
  const url = new URL(shareUrl);
  url.pathname = pagePath;
  return url.toString();
}

export function mapSource(
  source: SourceStatus,
  shareUrl: string | undefined,
  pausedSources: ReadonlySet<number>,
): SourceSummary {
  return {
    id: source.id,
    name: source.name,
    state: sourceStateOf(source.state, pausedSources.has(source.id)),
    sourceFps: source.sourceFps,
    frameBytes: source.frame?.bytes ?? 0,
    viewerCount: source.viewerCount,
    url: sourcePageUrl(shareUrl, source.paths.page),
  };
}

/** Everyone the server serves: stream and channel viewers and RTSP clients (one id space). */
function clientsOf(status: ServerStatus): readonly (ViewerStats | RtspClientStats)[] {
  return [...status.viewers, ...(status.rtspClients ?? [])];
}

/** What every kind of client shows in the viewer list. */
function viewerFields(
  viewer: ViewerStats | RtspClientStats,
): Omit<ViewerSummary, 'sourceId' | 'protocol' | 'codec'> {
  return {
    id: viewer.id,
    address: viewer.address,
    userAgent: viewer.userAgent,
    device: describeUserAgent(viewer.userAgent),
    fps: viewer.fps,
    bytesSent: viewer.bytesSent,
    skippedFrames: viewer.skippedFrames,
    isSlow: viewer.isSlow,
    connectedAtMs: viewer.connectedAtMs,
  };
}

/** Pure mapping from the server's view to the contract's BroadcastStatus. */
export function mapServerStatus(
  server: Pick<BroadcastServer, 'urls' | 'port' | 'key' | 'rtspUrls' | 'rtspPort'>,
  status: ServerStatus,
  extras: StatusExtras,
): BroadcastStatus {
  return {
    state: status.state === 'paused' || extras.pausedSources.has(1) ? 'paused' : 'live',
    urls: [...server.urls],
    port: server.port,
    key: server.key,
    // RTSP clients (NVRs, VLC) are people watching too: counted, listed, and disconnectable like the others.
    viewerCount: status.viewerCount + (status.rtspClients?.length ?? 0),
    viewers: [
      ...status.viewers.map((viewer) => ({
        ...viewerFields(viewer),
        sourceId: viewer.sourceId ?? 1,
        protocol: viewer.protocol ?? 'mjpeg',
        codec: viewer.codec ?? 'jpeg',
      })),
      ...(status.rtspClients ?? []).map((client) => ({
        ...viewerFields(client),
        sourceId: 1,
        protocol: 'rtsp' as const,
        codec: 'h264' as const,
      })),
    ].sort((a, b) => a.connectedAtMs - b.connectedAtMs),
    blockedAddresses: (status.blockedAddresses ?? []).map(({ address, untilMs }) => ({
      address,
      untilMs,
    })),
    liveSinceMs: extras.liveSinceMs,
    sourceFps: status.sourceFps,
    frameBytes: status.frame?.bytes ?? 0,
    outMbps: (status.bytesPerSecondOut * 8) / 1_000_000,
    ...rejectFields(extras.gateRejects, status.rejectedFrames, status.rejectedVideoChunks ?? 0),
    error: extras.warning,
    rtspUrls: [...server.rtspUrls],
    rtspPort: server.rtspPort,
    videoConsumers: status.videoConsumers ?? 0,
    sources: (status.sources ?? []).map((source) =>
      mapSource(source, server.urls[0], extras.pausedSources),
    ),
  };
}

export function offStatus(gateRejects: GateRejects, error: AppError | null): BroadcastStatus {
  return {
    state: error ? 'error' : 'off',
    urls: [],
    port: null,
    key: null,
    viewerCount: 0,
    viewers: [],
    blockedAddresses: [],
    liveSinceMs: null,
    sourceFps: 0,
    frameBytes: 0,
    outMbps: 0,
    ...rejectFields(gateRejects, 0),
    error,
    rtspUrls: [],
    rtspPort: null,
    videoConsumers: 0,
    sources: [],
  };
}

/** Classifies a listen failure; the server names the port in its message. */
export function startErrorOf(error: unknown, port: number | null): AppError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const inUse: ErrorCode = 'port-in-use';
  if (code === 'EADDRINUSE' || /in use/i.test(message)) {
    return {
      code: inUse,
      message: `Port ${port ?? defaultPort} is in use by another program. Pick another port in the settings.`,
    };
  }
  return { code: 'listen-failed', message: `Could not start the broadcast: ${message}` };
}

export function createBroadcast(options: BroadcastOptions): Broadcast {
  const { logger } = options;
  let server: BroadcastServer | null = null;
  let unsubscribe: () => void = () => undefined;
  let unsubscribeKeyframes: () => void = () => undefined;
  let isVideoRejectLogged = false;
  let starting = false;
  let lastError: AppError | null = null;
  let warning: AppError | null = null;
  const gateRejects: Partial<Record<GateRejectReason, number>> = {};
  /** Sources whose camera is lost or failed (kept across restarts: the camera is still gone). */
  const pausedSources = new Set<number>();
  let liveSinceMs: number | null = null;
  /** Per source, the size of the last frame the running server accepted (absent until the first one). */
  const publishedSizes = new Map<number, { readonly width: number; readonly height: number }>();
  let isServerRejectLogged = false;
  // Start/stop/restart run one at a time, in call order: a Stop clicked during a slow Start waits for it.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const status = (): BroadcastStatus => {
    if (server)
      return mapServerStatus(server, server.status(), {
        pausedSources,
        gateRejects,
        warning,
        liveSinceMs,
      });
    if (starting) return { ...offStatus(gateRejects, null), state: 'starting' };
    return offStatus(gateRejects, lastError);
  };
  const push = (): void => {
    options.onStatus(status());
  };

  async function open(): Promise<Result<BroadcastStatus>> {
    if (server) return { ok: true, value: status() };
    const settings = options.settings();
    starting = true;
    lastError = null;
    push();
    try {
      const started = await startBroadcastServer({
        ...(options.host === undefined ? {} : { host: options.host }),
        ...(settings.port === null ? {} : { port: settings.port }),
        auth: !settings.openMode,
        key: settings.accessKey,
        logger,
      });
      server = started;
      liveSinceMs = Date.now();
      serveSources(started, settings);
      warning =
        settings.port === null && started.port !== defaultPort
          ? {
              code: 'port-in-use',
              message: `Port ${defaultPort} was busy, so LanCam uses port ${started.port}.`,
            }
          : null;
      unsubscribe = started.onStatus((serverStatus) => {
        options.onStatus(
          mapServerStatus(started, serverStatus, {
            pausedSources,
            gateRejects,
            warning,
            liveSinceMs,
          }),
        );
      });
      unsubscribeKeyframes = started.onKeyframeRequest(() => {
        options.onKeyframeRequest?.();
      });
      options.keepAwake?.start();
      options.advertiser?.start(started.port);
      logger.info(`broadcast live on port ${started.port}`);
      return { ok: true, value: status() };
    } catch (error) {
      lastError = startErrorOf(error, settings.port);
      logger.warn(`broadcast start failed: ${lastError.message}`);
      return { ok: false, code: lastError.code, message: lastError.message };
    } finally {
      starting = false;
      push();
    }
  }

  async function close(): Promise<void> {
    const running = server;
    if (!running) return;
    server = null;
    liveSinceMs = null;
    warning = null;
    publishedSizes.clear();
    unsubscribe();
    unsubscribeKeyframes();
    options.keepAwake?.stop();
    await Promise.all([running.close(), options.advertiser?.stop()]);
    logger.info('broadcast stopped, port freed');
  }

  /** The extra sources the settings list, served under their ids; every paused camera's source paused. */
  function serveSources(running: BroadcastServer, settings: Settings): void {
    const wanted = settings.extraSources ?? [];
    const { added, removed } = syncSources(running, wanted);
    for (const id of removed) {
      publishedSizes.delete(id);
      pausedSources.delete(id);
    }
    for (const id of [1, ...added]) if (pausedSources.has(id)) running.source(id)?.pause();
    if (added.length > 0 || removed.length > 0)
      logger.info(
        `sources: added ${added.join(', ') || '-'}, removed ${removed.join(', ') || '-'}`,
      );
  }

  const notRunning: Result<never> = {
    ok: false,
    code: 'not-running',
    message: 'The broadcast is off, so nobody is watching.',
  };
  /** Block first, then end the streams: a page that reconnects at once is already refused. */
  const disconnectAddresses = (running: BroadcastServer, addresses: ReadonlySet<string>): void => {
    for (const address of addresses) running.blockAddress(address, disconnectBlockMs);
    for (const client of clientsOf(running.status())) {
      if (addresses.has(client.address)) running.disconnectViewer(client.id);
    }
    logger.info(`disconnected and blocked ${[...addresses].join(', ')}`);
  };

  return {
    start: () => serially(open),
    stop: () =>
      serially(async () => {
        lastError = null;
        try {
          await close();
          return { ok: true, value: status() } as const;
        } catch (error) {
          return {
            ok: false,
            code: 'internal',
            message: `Stopping failed: ${String(error)}`,
          } as const;
        } finally {
          push();
        }
      }),
    status,
    get isLive() {
      return server !== null;
    },
    publishFrame(jpeg, meta, sourceId) {
      const source = server?.source(sourceId);
      if (!source) return;
      const publishedSize = publishedSizes.get(sourceId);
      const isNewSize =
        publishedSize !== undefined &&
        (publishedSize.width !== meta.width || publishedSize.height !== meta.height);
      if (isNewSize) source.reconnectViewers();
      if (source.publish(jpeg, meta)) {
        publishedSizes.set(sourceId, { width: meta.width, height: meta.height });
      } else if (!isServerRejectLogged) {
        // The server counts every refusal; one line is enough to say it happens.
        isServerRejectLogged = true;
        logger.warn('frame rejected: not-jpeg (further rejects of this kind are only counted)');
      }
    },
    publishVideo(data, meta) {
      if (!server) return;
      const chunk = {
        data,
        isKey: meta.isKey,
        timestampUs: meta.timestampUs,
        ...(meta.durationUs > 0 ? { durationUs: meta.durationUs } : {}),
      };
      if (!server.publishVideo(chunk) && !isVideoRejectLogged) {
        // The server counts every refusal (shown as 'video-refused'); one line says it happens.
        isVideoRejectLogged = true;
        logger.warn('video chunk rejected by the server (further rejects are only counted)');
      }
    },
    requestKeyframe() {
      options.onKeyframeRequest?.();
    },
    noteRejectedFrame(reason) {
      gateRejects[reason] = (gateRejects[reason] ?? 0) + 1;
    },
    setCameraState(state, sourceId) {
      const paused = state.kind !== 'running';
      if (paused === pausedSources.has(sourceId)) return;
      if (paused) pausedSources.add(sourceId);
      else pausedSources.delete(sourceId);
      const source = server?.source(sourceId);
      if (paused) source?.pause();
      else source?.resume();
      logger.info(
        paused
          ? `source ${String(sourceId)} camera ${state.kind}: its viewers see the paused placeholder`
          : `source ${String(sourceId)} camera running again`,
      );
      push();
    },
    disconnectViewer(id) {
      if (!server) return notRunning;
      const viewer = clientsOf(server.status()).find((candidate) => candidate.id === id);
      if (!viewer) {
        return { ok: false, code: 'invalid-argument', message: 'That viewer has already left.' };
      }
      disconnectAddresses(server, new Set([viewer.address]));
      push();
      return { ok: true, value: status() };
    },
    disconnectAll() {
      if (!server) return notRunning;
      disconnectAddresses(
        server,
        new Set(clientsOf(server.status()).map((client) => client.address)),
      );
      push();
      return { ok: true, value: status() };
    },
    allowAddress(address) {
      if (!server) return notRunning;
      server.allowAddress(address);
      push();
      return { ok: true, value: status() };
    },
    settingsChanged(previous, next) {
      const affectsServer =
        previous.port !== next.port ||
        previous.accessKey !== next.accessKey ||
        previous.openMode !== next.openMode;
      if (!server) return Promise.resolve();
      if (!affectsServer) {
        if (previous.extraSources !== next.extraSources) {
          serveSources(server, next);
          push();
        }
        return Promise.resolve();
      }
      return serially(async () => {
        await close();
        await open();
      });
    },
  };
}
