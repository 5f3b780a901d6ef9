// Public entry of the broadcast server: startBroadcastServer() wires the sources' frame hubs, the HTTP app and the
// listener together and returns the handle the Electron main process, the CLI, the tests and the bench use.
import { createServer, type Server } from 'node:http';
import type { BlockList, Socket } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { createApp } from './http/app.ts';
import { loadAssets } from './assets.ts';
import type { AccessPolicy } from './core/access.ts';
import { defaultViewersPerAddress, ViewerAdmission } from './core/admission.ts';
import { AuthGate, generateKey } from './core/auth.ts';
import { BlockedAddresses } from './core/blocked-addresses.ts';
import { isListed, parseAddressList } from './core/client-address.ts';
import { guardConnections } from './core/connection-guard.ts';
import { allowedHostNames, hostNameOf } from './core/host-check.ts';
import { shareUrls } from './core/lan-urls.ts';
import { listenWithFallback } from './core/listen.ts';
import { createRateLimitedLog } from './core/rate-limited-log.ts';
import { RateMeter } from './core/rate-meter.ts';
import { createSourceHandle } from './core/source-handle.ts';
import { MAIN_SOURCE_ID, SourceTable, type SourceEntry } from './core/sources.ts';
import { buildStatus } from './core/status.ts';
import type {
  BroadcastServer,
  BroadcastSource,
  BroadcastServerOptions,
  FrameMeta,
  Logger,
  ServerStatus,
} from './types.ts';
import { ViewerRegistry } from './core/viewer-registry.ts';
import { startVideoOutputs, type VideoOutputs } from './rtsp/start-rtsp.ts';
import { createFrameChannel } from './ws/frame-channel.ts';

export type * from './types.ts';
export { MAX_SOURCES } from './types.ts';
/** The one JPEG structure check (also behind publish()): for callers that want to know why bytes fail. */
export { checkJpeg, isJpeg } from './core/jpeg.ts';
export type { JpegCheck, JpegInfo, JpegProblem } from './core/jpeg.ts';

const ignore = (): void => undefined;
const silentLogger: Logger = { info: ignore, warn: ignore, error: ignore };

/** After close() asked streams to end, sockets still open this much later are destroyed. */
const CLOSE_GRACE_MS = 1000;

/** A socket that has not sent its first byte this long after connecting is closed. */
const FIRST_BYTE_TIMEOUT_MS = 3000;

interface ResolvedOptions {
  readonly host: string;
  readonly port: number | undefined;
  readonly key: string | null;
  /** The key was generated here (128 random bits), so it is strong by construction. */
  readonly isKeyGenerated: boolean;
  readonly maxViewers: number;
  readonly maxViewersPerAddress: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly uncapped: BlockList;
  readonly trustedProxies: BlockList | null;
  readonly allowedHosts: readonly string[];
  readonly stallTimeoutMs: number;
  readonly repeatIntervalMs: number;
  readonly logger: Logger;
  readonly rtspPort: number | undefined;
}

function resolveOptions(options: BroadcastServerOptions): ResolvedOptions {
  const isAuth = options.auth ?? true;
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const result = value ?? fallback;
    if (!Number.isFinite(result) || result <= 0) {
      throw new RangeError(`${name} must be a positive number, got ${String(value)}`);
    }
    return result;
  };
  const count = (name: string, value: number | undefined, fallback: number): number => {
    const result = positive(name, value, fallback);
    if (!Number.isInteger(result)) throw new RangeError(`${name} must be an integer`);
    return result;
  };
  const maxViewers = count('maxViewers', options.maxViewers, 32);
  const maxViewersPerAddress = count(
    'maxViewersPerAddress',
    options.maxViewersPerAddress,
    defaultViewersPerAddress(maxViewers),
  );
  let key: string | null = null;
  if (isAuth) {
    key = options.key ?? generateKey();
    if (key.length === 0 || key.length > 256) {
      throw new RangeError('key must be 1 to 256 characters long');
    }
  }
  const trustedProxies = options.trustedProxies ?? [];
  const allowedHosts = options.allowedHosts ?? [];
  const badHost = allowedHosts.find((name) => hostNameOf(name) === null);
  if (badHost !== undefined) throw new RangeError(`allowedHosts: "${badHost}" is not a host name`);
  return {
    host: options.host ?? '0.0.0.0',
    port,
    key,
    isKeyGenerated: isAuth && options.key === undefined,
    maxViewers,
    maxViewersPerAddress,
    maxConnections: count('maxConnections', options.maxConnections, 2 * maxViewers + 64),
    maxConnectionsPerAddress: count(
      'maxConnectionsPerAddress',
      options.maxConnectionsPerAddress,
      maxViewersPerAddress + 8,
    ),
    uncapped: parseAddressList(
      'uncappedAddresses',
      options.uncappedAddresses ?? ['127.0.0.1', '::1'],
    ),
    trustedProxies:
      trustedProxies.length === 0 ? null : parseAddressList('trustedProxies', trustedProxies),
    allowedHosts,
    stallTimeoutMs: positive('stallTimeoutMs', options.stallTimeoutMs, 10_000),
    repeatIntervalMs: positive('repeatIntervalMs', options.repeatIntervalMs, 1000),
    logger: options.logger ?? silentLogger,
    rtspPort: checkedRtspPort(options.rtspPort),
  };
}

function checkedRtspPort(port: number | undefined): number | undefined {
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    throw new RangeError(`rtspPort must be an integer from 0 to 65535, got ${String(port)}`);
  }
  return port;
}

/**
 * Starts serving the stream, snapshot, status and viewer page, and resolves once the port is bound.
 * Rejects (and leaves nothing running) on invalid options or when an explicitly requested port is busy.
 */
export async function startBroadcastServer(
  options: BroadcastServerOptions = {},
): Promise<BroadcastServer> {
  const config = resolveOptions(options);
  const { logger } = config;
  const assets = await loadAssets();
  const startedAtMs = Date.now();
  const sources = new SourceTable(assets.placeholderJpeg, startedAtMs);
  // Source 1's hub never changes: today's publish() goes straight to it, as before there were sources.
  const hub = sources.main.hub;
  // The upkeep tick must be finer than the shortest interval it enforces.
  const tickMs = Math.max(
    10,
    Math.min(100, config.repeatIntervalMs / 4, config.stallTimeoutMs / 4),
  );
  const registry = new ViewerRegistry(tickMs);
  // Shared by every protocol served here (the MJPEG route today, other frame channels later): one log for
  // client-caused lines, one access decision (client address, Host, key, lockout), one count of viewer slots.
  const clientLog = createRateLimitedLog(logger);
  const gate: AuthGate = new AuthGate({
    key: config.key,
    ...(config.isKeyGenerated && { isKeyStrong: true }),
    onLockout: (group) => {
      clientLog.warn(
        'lockout',
        `${group} locked out for ${Math.round(gate.lockoutMs / 60_000)} min after repeated wrong keys` +
          (gate.isKeyStrong ? ' (the right key still works)' : ''),
      );
    },
  });
  const { trustedProxies, uncapped } = config;
  const isUncapped = (address: string): boolean =>
    isListed(uncapped, address) || (trustedProxies !== null && isListed(trustedProxies, address));
  const admission = new ViewerAdmission({
    maxViewers: config.maxViewers,
    maxViewersPerAddress: config.maxViewersPerAddress,
    isUncapped,
  });
  const blocked = new BlockedAddresses();
  const access: AccessPolicy = {
    gate,
    blocked,
    trustedProxies,
    allowedHosts: allowedHostNames(hostname(), config.allowedHosts),
    log: clientLog,
  };
  const bytesOut = new RateMeter(startedAtMs);
  const listeners = new Set<(status: ServerStatus) => void>();

  // Assigned once the HTTP port is bound; the status reads it lazily.
  let video: VideoOutputs | null = null;
  const status = (): ServerStatus => {
    const base = buildStatus({
      sources: sources.values(),
      viewers: registry.values(),
      viewerCount: registry.size,
      startedAtMs,
      bytesOut,
    });
    return {
      ...base,
      rtspClients: video?.rtspClients() ?? [],
      videoConsumers: video?.hub.consumerCount ?? 0,
      rejectedVideoChunks: video?.hub.rejectedChunks ?? 0,
      blockedAddresses: blocked.list(),
    };
  };

  const emitStatus = (): void => {
    if (listeners.size === 0) return;
    const snapshot = status();
    for (const listener of [...listeners]) {
      try {
        listener(snapshot);
      } catch (error) {
        logger.error(`status listener threw: ${String(error)}`);
      }
    }
  };
  // Joins and leaves come in bursts (a page reload, a storm of reconnects): one status per event-loop turn.
  let statusQueued: NodeJS.Immediate | null = null;
  const queueStatus = (): void => {
    statusQueued ??= setImmediate(() => {
      statusQueued = null;
      emitStatus();
    });
  };

  const handles = new Map<SourceEntry, BroadcastSource>();
  const handleOf = (entry: SourceEntry): BroadcastSource => {
    let handle = handles.get(entry);
    if (!handle) {
      handle = createSourceHandle(entry, { registry, logger, onChange: queueStatus });
      handles.set(entry, handle);
    }
    return handle;
  };
  const mainSource = handleOf(sources.main);

  const app = createApp({
    sources,
    access,
    assets,
    log: clientLog,
    status,
    stream: {
      registry,
      admission,
      log: clientLog,
      stallTimeoutMs: config.stallTimeoutMs,
      repeatIntervalMs: config.repeatIntervalMs,
      bytesOut,
      onViewersChanged: queueStatus,
    },
  });

  const handle = app.callback();
  const server: Server = createServer(
    // Slow or silent clients of ordinary requests are cut off; stream sockets lift the idle timeout.
    // Node enforces the first two only when it checks, every connectionsCheckingInterval (default 30 s).
    {
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 5000,
      connectionsCheckingInterval: 1000,
    },
    (req, res) => {
      // Koa's handler settles its own errors (reported through app 'error').
      void handle(req, res);
    },
  );
  server.timeout = 30_000;
  guardConnections(server, {
    maxConnections: config.maxConnections,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    firstByteTimeoutMs: FIRST_BYTE_TIMEOUT_MS,
    isUncapped,
    log: clientLog,
  });
  const frameChannel = createFrameChannel({
    access,
    videoHub: () => video?.hub ?? null,
    sources,
    stream: {
      registry,
      admission,
      log: clientLog,
      stallTimeoutMs: config.stallTimeoutMs,
      bytesOut,
      onViewersChanged: queueStatus,
    },
  });
  server.on('upgrade', (req, socket, head) => {
    frameChannel.handleUpgrade(req, socket, head);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const port = await listenWithFallback(server, config.host, config.port);
  try {
    video = await startVideoOutputs({
      host: config.host,
      isRtspEnabled: options.rtsp ?? true,
      rtspPort: config.rtspPort,
      key: config.key,
      gate,
      authSchemes: options.rtspAuthSchemes,
      isBlocked: (address) => blocked.isBlocked(address),
      maxClients: config.maxViewers,
      admission,
      stallTimeoutMs: config.stallTimeoutMs,
      bytesOut,
      logger,
      onClientsChanged: queueStatus,
      nextClientId: () => registry.nextId(),
    });
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  const videoOutputs = video;
  const urls = shareUrls({
    interfaces: networkInterfaces(),
    hostname: hostname(),
    port,
    key: config.key,
    host: config.host,
  });
  logger.info(`serving on port ${port}${config.key === null ? ' without an access key' : ''}`);

  const statusTimer = setInterval(emitStatus, 1000);
  statusTimer.unref();
  let closing: Promise<void> | null = null;

  return {
    urls,
    port,
    key: config.key,
    publish(jpeg: Uint8Array, meta: FrameMeta): boolean {
      try {
        return hub.publish(jpeg, meta);
      } catch (error) {
        logger.error(`publish failed: ${String(error)}`);
        return false;
      }
    },
    pause() {
      hub.pause();
      queueStatus();
    },
    resume() {
      hub.resume();
      queueStatus();
    },
    reconnectViewers() {
      registry.endSource(MAIN_SOURCE_ID);
    },
    mainSource,
    get sources() {
      return sources.values().map(handleOf);
    },
    source(id: number) {
      const entry = sources.get(id);
      return entry === undefined ? undefined : handleOf(entry);
    },
    addSource(sourceOptions = {}) {
      const entry = sources.add(sourceOptions.name, sourceOptions.id);
      logger.info(`serving source ${entry.id}${entry.name === '' ? '' : ` (${entry.name})`}`);
      queueStatus();
      return handleOf(entry);
    },
    removeSource(id: number) {
      const entry = sources.remove(id);
      if (entry === undefined) return false;
      handles.delete(entry);
      registry.endSource(id);
      logger.info(`stopped serving source ${id}`);
      queueStatus();
      return true;
    },
    publishVideo: (chunk) => videoOutputs.publishVideo(chunk),
    rtspPort: videoOutputs.rtspPort,
    rtspUrls: videoOutputs.rtspUrls(urls),
    get videoConsumers() {
      return videoOutputs.hub.consumerCount;
    },
    onKeyframeRequest: (listener) => videoOutputs.hub.onKeyframeRequest(listener),
    disconnectViewer(id: number) {
      const viewer = [...registry.values()].find((candidate) => candidate.id === id);
      viewer?.end();
      return viewer !== undefined || videoOutputs.endClients((client) => client.id === id) > 0;
    },
    disconnectAll() {
      const count = registry.size;
      registry.endAll();
      return count + videoOutputs.endClients(() => true);
    },
    blockAddress(address: string, durationMs: number) {
      blocked.block(address, durationMs);
      queueStatus();
    },
    allowAddress(address: string) {
      const wasBlocked = blocked.allow(address);
      queueStatus();
      return wasBlocked;
    },
    status,
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(statusTimer);
        if (statusQueued) clearImmediate(statusQueued);
        statusQueued = null;
        listeners.clear();
        clientLog.close();
        const videoClosed = videoOutputs.close();
        server.close(() => {
          clearTimeout(forceTimer);
          void videoClosed.then(resolve);
        });
        registry.endAll();
        server.closeIdleConnections();
        const forceTimer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, CLOSE_GRACE_MS);
      });
      return closing;
    },
  };
}
