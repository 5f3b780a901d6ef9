// Owns the broadcast server's lifecycle and maps its status for the UI; the only importer of server/.
import type {
  AppError,
  BroadcastStatus,
  CameraState,
  CaptureFormat,
  ErrorCode,
  FrameMeta,
  Result,
  Settings,
} from '../ipc.ts';
import { startBroadcastServer } from '../../server/index.ts';
import type { BroadcastServer, Logger, ServerStatus } from '../../server/types.ts';

/** The port tried first when the user has not chosen one (the server falls back to the next free one). */
export const defaultPort = 8080;

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
}

export interface Broadcast {
  start(): Promise<Result<BroadcastStatus>>;
  stop(): Promise<Result<BroadcastStatus>>;
  status(): BroadcastStatus;
  readonly isLive: boolean;
  /** Hands a validated frame to the server (dropped while off). */
  publishFrame(jpeg: Uint8Array, meta: FrameMeta): void;
  /** Counts a frame the IPC layer refused, so the UI can show it. */
  noteRejectedFrame(): void;
  /** Camera lost → viewers see the paused placeholder; camera back → live again. */
  setCameraState(state: CameraState): void;
  /** A new encoded size/rotation: viewers reconnect so every part of a stream has one size. */
  setCaptureFormat(format: CaptureFormat): void;
  /** Restarts a running server when a setting it was started with (port, key, open mode) changed. */
  settingsChanged(previous: Settings, next: Settings): Promise<void>;
}

export interface StatusExtras {
  readonly cameraPaused: boolean;
  readonly rejectedFrames: number;
  readonly warning: AppError | null;
}

/** Pure mapping from the server's view to the contract's BroadcastStatus. */
export function mapServerStatus(
  server: Pick<BroadcastServer, 'urls' | 'port' | 'key'>,
  status: ServerStatus,
  extras: StatusExtras,
): BroadcastStatus {
  return {
    state: status.state === 'paused' || extras.cameraPaused ? 'paused' : 'live',
    urls: [...server.urls],
    port: server.port,
    key: server.key,
    viewerCount: status.viewerCount,
    viewers: status.viewers.map((viewer) => ({
      id: viewer.id,
      address: viewer.address,
      userAgent: viewer.userAgent,
      fps: viewer.fps,
      bytesSent: viewer.bytesSent,
      skippedFrames: viewer.skippedFrames,
      isSlow: viewer.isSlow,
      connectedAtMs: viewer.connectedAtMs,
    })),
    sourceFps: status.sourceFps,
    frameBytes: status.frame?.bytes ?? 0,
    outMbps: (status.bytesPerSecondOut * 8) / 1_000_000,
    rejectedFrames: status.rejectedFrames + extras.rejectedFrames,
    error: extras.warning,
  };
}

export function offStatus(rejectedFrames: number, error: AppError | null): BroadcastStatus {
  return {
    state: error ? 'error' : 'off',
    urls: [],
    port: null,
    key: null,
    viewerCount: 0,
    viewers: [],
    sourceFps: 0,
    frameBytes: 0,
    outMbps: 0,
    rejectedFrames,
    error,
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

function sameFormat(a: CaptureFormat, b: CaptureFormat): boolean {
  return a.width === b.width && a.height === b.height && a.rotation === b.rotation;
}

export function createBroadcast(options: BroadcastOptions): Broadcast {
  const { logger } = options;
  let server: BroadcastServer | null = null;
  let unsubscribe: () => void = () => undefined;
  let starting = false;
  let lastError: AppError | null = null;
  let warning: AppError | null = null;
  let rejectedFrames = 0;
  let cameraPaused = false;
  let format: CaptureFormat | null = null;
  // Start/stop/restart run one at a time, in call order: a Stop clicked during a slow Start waits for it.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const status = (): BroadcastStatus => {
    if (server)
      return mapServerStatus(server, server.status(), { cameraPaused, rejectedFrames, warning });
    if (starting) return { ...offStatus(rejectedFrames, null), state: 'starting' };
    return offStatus(rejectedFrames, lastError);
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
      if (cameraPaused) started.pause();
      warning =
        settings.port === null && started.port !== defaultPort
          ? {
              code: 'port-in-use',
              message: `Port ${defaultPort} was busy, so LanCam uses port ${started.port}.`,
            }
          : null;
      unsubscribe = started.onStatus((serverStatus) => {
        options.onStatus(
          mapServerStatus(started, serverStatus, { cameraPaused, rejectedFrames, warning }),
        );
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
    warning = null;
    unsubscribe();
    options.keepAwake?.stop();
    await Promise.all([running.close(), options.advertiser?.stop()]);
    logger.info('broadcast stopped, port freed');
  }

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
    publishFrame(jpeg, meta) {
      server?.publish(jpeg, meta);
    },
    noteRejectedFrame() {
      rejectedFrames += 1;
    },
    setCameraState(state) {
      const paused = state.kind !== 'running';
      if (paused === cameraPaused) return;
      cameraPaused = paused;
      if (paused) server?.pause();
      else server?.resume();
      logger.info(
        paused
          ? `camera ${state.kind}: viewers see the paused placeholder`
          : 'camera running again',
      );
      push();
    },
    setCaptureFormat(next) {
      const previous = format;
      format = next;
      if (previous && !sameFormat(previous, next)) server?.reconnectViewers();
    },
    settingsChanged(previous, next) {
      const affectsServer =
        previous.port !== next.port ||
        previous.accessKey !== next.accessKey ||
        previous.openMode !== next.openMode;
      if (!affectsServer || !server) return Promise.resolve();
      return serially(async () => {
        await close();
        await open();
      });
    },
  };
}
