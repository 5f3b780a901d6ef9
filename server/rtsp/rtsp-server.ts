// The RTSP server: accepts control connections, keeps the sessions, drives their upkeep from one timer
// (sender reports, stalled TCP clients, silent UDP clients), and fans the hub's access units out.
import { createServer, type Server, type Socket } from 'node:net';
import type { ViewerAdmission, ViewerSlot } from '../core/admission.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import type { Logger } from '../types.ts';
import type { AccessUnit, VideoHub } from '../video/video-hub.ts';
import { RtspConnection, SESSION_TIMEOUT_S, type UdpPair } from './rtsp-connection.ts';
import { packetize, type PacketizedUnit } from './rtp-packetizer.ts';
import type { RtspAuthenticator } from './rtsp-auth.ts';
import type { RtspSession } from './rtsp-session.ts';
import type { RtspClientStats } from '../types.ts';

export interface RtspServerOptions {
  readonly hub: VideoHub;
  readonly auth: RtspAuthenticator;
  readonly udp: UdpPair | null;
  readonly maxClients: number;
  /** Viewer slots shared with the HTTP protocols: the total and each address's share. */
  readonly admission?: ViewerAdmission;
  readonly stallTimeoutMs: number;
  /** User-space bytes a TCP client may have queued before it skips to the next keyframe. */
  readonly maxPendingBytes?: number;
  readonly bytesOut: RateMeter;
  readonly logger: Logger;
  readonly onClientsChanged: () => void;
  /** Ids shared with the other protocols' viewers, so one id names one client in the status. */
  readonly nextClientId?: () => number;
}

/**
 * 512 KiB: about 1.5 s of a 2.5 Mbit/s stream on top of the kernel's socket buffer, and enough for any
 * keyframe; a client further behind than that is better served by the next GOP than by this backlog.
 */
export const DEFAULT_MAX_PENDING_BYTES = 512 * 1024;
/** Control connections beyond the sessions allowed (DESCRIBE-only probes, keep-alives). */
const EXTRA_CONNECTIONS = 16;
/**
 * A connection with nothing playing over it that sends no complete request for this long is closed, so idle or
 * half-sent connections cannot hold the connection slots. Playing TCP clients may stay silent (RFC 2326 §12.37:
 * the session lives as long as its connection).
 */
const IDLE_CONNECTION_MS = 60_000;

export class RtspServer {
  readonly server: Server;
  readonly #options: RtspServerOptions;
  readonly #connections = new Set<RtspConnection>();
  readonly #sessions = new Set<RtspSession>();
  readonly #slots = new Map<RtspSession, ViewerSlot>();
  readonly #udpClients = new Map<string, RtspSession>();
  readonly #timer: NodeJS.Timeout;
  #lastClientId = 0;
  #cached: PacketizedUnit | null = null;

  constructor(options: RtspServerOptions) {
    this.#options = options;
    this.server = createServer((socket) => {
      this.#accept(socket);
    });
    this.server.on('error', (error) => {
      options.logger.error(`rtsp server: ${error.message}`);
    });
    options.udp?.rtcp.on('message', (_message, remote) => {
      // Receiver reports keep a UDP session alive (RFC 2326 §12.37 counts RTCP as activity).
      this.#udpClients.get(`${remote.address}:${remote.port}`)?.touch();
    });
    const tickMs = Math.max(10, Math.min(250, options.stallTimeoutMs / 4));
    this.#timer = setInterval(() => {
      this.#tick();
    }, tickMs);
    this.#timer.unref();
  }

  get sessionCount(): number {
    return this.#sessions.size;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  stats(nowMs = Date.now()): RtspClientStats[] {
    const list: RtspClientStats[] = [];
    for (const session of this.#sessions) {
      if (session.state === 'playing') list.push(session.stats(nowMs));
    }
    return list;
  }

  /** Ends the sessions (and their control connections) of the clients `shouldEnd` picks; returns how many. */
  endSessions(
    shouldEnd: (client: { readonly id: number; readonly address: string }) => boolean,
  ): number {
    let count = 0;
    for (const connection of [...this.#connections]) {
      const session = connection.session;
      if (session === null || !shouldEnd({ id: session.id, address: session.address })) continue;
      connection.destroy();
      count += 1;
    }
    return count;
  }

  #accept(socket: Socket): void {
    if (this.#connections.size >= this.#options.maxClients + EXTRA_CONNECTIONS) {
      socket.destroy();
      return;
    }
    const options = this.#options;
    const connection = new RtspConnection(socket, {
      hub: options.hub,
      auth: options.auth,
      udp: options.udp,
      packetize: (unit) => this.#packetize(unit),
      maxPendingBytes: options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES,
      bytesOut: options.bytesOut,
      logger: options.logger,
      nextClientId: options.nextClientId ?? (() => ++this.#lastClientId),
      addSession: (session) => this.#addSession(session),
      removeSession: (session) => {
        this.#removeSession(session);
      },
    });
    this.#connections.add(connection);
    socket.once('close', () => {
      this.#connections.delete(connection);
    });
  }

  /** Every session gets the same access unit in the same turn: packetize it once. */
  #packetize(unit: AccessUnit): PacketizedUnit {
    if (this.#cached?.unit !== unit) this.#cached = packetize(unit);
    return this.#cached;
  }

  #addSession(session: RtspSession): boolean {
    if (this.#sessions.size >= this.#options.maxClients) return false;
    const admission = this.#options.admission?.admit(session.address);
    if (admission && !admission.isAdmitted) return false;
    if (admission) this.#slots.set(session, admission.slot);
    this.#sessions.add(session);
    const transport = session.transport;
    if (transport.kind === 'udp') {
      this.#udpClients.set(`${transport.address}:${transport.clientPorts[1]}`, session);
    }
    this.#options.onClientsChanged();
    return true;
  }

  #removeSession(session: RtspSession): void {
    if (!this.#sessions.delete(session)) return;
    this.#slots.get(session)?.release();
    this.#slots.delete(session);
    const transport = session.transport;
    if (transport.kind === 'udp') {
      this.#udpClients.delete(`${transport.address}:${transport.clientPorts[1]}`);
    }
    this.#options.onClientsChanged();
  }

  #tick(): void {
    const nowMs = Date.now();
    const { stallTimeoutMs, logger } = this.#options;
    for (const connection of [...this.#connections]) {
      const session = connection.session;
      if (session?.state !== 'playing' && nowMs - connection.lastRequestMs > IDLE_CONNECTION_MS) {
        connection.destroy();
        continue;
      }
      if (!session) continue;
      if (session.tick(nowMs, stallTimeoutMs) === 'stalled') {
        logger.warn(
          `rtsp: evicting ${connection.address}: no write progress for ${stallTimeoutMs} ms`,
        );
        connection.destroy();
        continue;
      }
      const isSilentUdp =
        session.transport.kind === 'udp' &&
        nowMs - session.lastActivityMs > SESSION_TIMEOUT_S * 1000;
      if (isSilentUdp) {
        logger.info(`rtsp: session of ${connection.address} timed out`);
        connection.destroy();
      }
    }
  }

  /** Stops accepting, ends every connection and frees the ports. */
  close(): Promise<void> {
    clearInterval(this.#timer);
    for (const connection of [...this.#connections]) connection.destroy();
    const udp = this.#options.udp;
    udp?.rtp.close();
    udp?.rtcp.close();
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => {
        resolve();
      });
    });
  }
}
