// One RTSP session: its RTP state (SSRC, sequence, 90 kHz clock), GOP-level latest-wins over TCP or plain
// sending over UDP, RTCP sender reports, stall and timeout checks, and its line in the status.
import { randomBytes } from 'node:crypto';
import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { RateMeter } from '../core/rate-meter.ts';
import type { RtspClientStats } from '../types.ts';
import { GopGate } from '../video/gop-gate.ts';
import type { AccessUnit, VideoConsumer, VideoHub } from '../video/video-hub.ts';
import { senderReport } from './rtcp.ts';
import {
  patchTcpCopy,
  RTP_HEADER_BYTES,
  writeRtpHeader,
  type PacketizedUnit,
} from './rtp-packetizer.ts';

export type SessionTransport =
  | { readonly kind: 'tcp'; readonly socket: Socket; readonly channels: readonly [number, number] }
  | {
      readonly kind: 'udp';
      readonly address: string;
      readonly clientPorts: readonly [number, number];
      readonly rtp: UdpSocket;
      readonly rtcp: UdpSocket;
    };

export interface SessionOptions {
  readonly id: number;
  readonly address: string;
  readonly userAgent: string;
  readonly transport: SessionTransport;
  readonly hub: VideoHub;
  readonly packetize: (unit: AccessUnit) => PacketizedUnit;
  /** Bytes queued in user space before a TCP session skips to the next keyframe. */
  readonly maxPendingBytes: number;
  readonly bytesOut: RateMeter;
}

/** Consecutive skipped access units after which a client is flagged slow (as for MJPEG viewers). */
const SLOW_AFTER_SKIPS = 5;
/** RFC 3550 §6.2 suggests 5 s as the minimum report interval. */
const SENDER_REPORT_INTERVAL_MS = 5000;
const RTP_CLOCK_HZ = 90_000;
/** A timestamp jump beyond this (an encoder restart, a loop of a file) is smoothed over instead of sent. */
const MAX_TIMESTAMP_JUMP_US = 5_000_000;
const DEFAULT_FRAME_US = 33_333;

export type SessionState = 'ready' | 'playing' | 'closed';

export class RtspSession implements VideoConsumer {
  /** Opaque, unguessable (RFC 2326 §12.37): it is all that links a UDP client's later requests to it. */
  readonly sessionId = randomBytes(8).toString('hex');
  readonly ssrc = randomBytes(4).readUInt32BE(0);
  readonly connectedAtMs = Date.now();
  readonly #options: SessionOptions;
  readonly #gate: GopGate;
  readonly #fps: RateMeter;
  #state: SessionState = 'ready';
  #unsubscribe: (() => void) | null = null;
  #sequence = randomBytes(2).readUInt16BE(0);
  readonly #rtpBase = randomBytes(4).readUInt32BE(0);
  /** Source timestamp that maps to #rtpBase; set by the first access unit. */
  #baseUs: number | null = null;
  #lastUs: number | null = null;
  #lastRtp = 0;
  #lastSentWallMs = 0;
  #packetCount = 0;
  #octetCount = 0;
  #framesSent = 0;
  #bytesSent = 0;
  #nextReportMs = 0;
  #lastActivityMs = Date.now();
  #lastProgressMs = Date.now();
  readonly #onFlushed = (error?: Error | null): void => {
    if (!error) this.#lastProgressMs = Date.now();
  };

  constructor(options: SessionOptions) {
    this.#options = options;
    this.#gate = new GopGate(options.maxPendingBytes);
    this.#fps = new RateMeter(this.connectedAtMs);
  }

  get state(): SessionState {
    return this.#state;
  }

  get transport(): SessionTransport {
    return this.#options.transport;
  }

  /** The client's id in the status (shared with the other protocols' viewers). */
  get id(): number {
    return this.#options.id;
  }

  /** The client's address, for the viewer slots shared with the other protocols. */
  get address(): string {
    return this.#options.address;
  }

  /** The first sequence number and RTP time of the stream, for the PLAY response's RTP-Info. */
  get rtpInfo(): { sequence: number; rtpTime: number } {
    return {
      sequence: this.#sequence,
      rtpTime: this.#baseUs === null ? this.#rtpBase : this.#lastRtp,
    };
  }

  /** A request or an RTCP packet from the client: it is still there (RFC 2326 §12.37 timeout). */
  touch(nowMs = Date.now()): void {
    this.#lastActivityMs = nowMs;
  }

  get lastActivityMs(): number {
    return this.#lastActivityMs;
  }

  play(): void {
    if (this.#state === 'closed') return;
    this.#state = 'playing';
    this.#lastProgressMs = Date.now();
    // Deltas after a pause would reference pictures the client never got.
    this.#gate.rejoin();
    this.#unsubscribe ??= this.#options.hub.subscribe(this);
  }

  pause(): void {
    if (this.#state !== 'playing') return;
    this.#state = 'ready';
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  close(): void {
    this.pause();
    this.#state = 'closed';
  }

  onAccessUnit(unit: AccessUnit): void {
    if (this.#state !== 'playing') return;
    const transport = this.#options.transport;
    const pending = transport.kind === 'tcp' ? transport.socket.writableLength : 0;
    if (transport.kind === 'tcp' && (transport.socket.destroyed || !transport.socket.writable))
      return;
    if (this.#gate.decide(unit, pending) === 'skip') return;
    const packetized = this.#options.packetize(unit);
    const timestamp = this.#rtpTimestamp(unit.timestampUs);
    let bytes: number;
    if (transport.kind === 'tcp') {
      const copy = Buffer.from(packetized.tcpTemplate);
      this.#sequence = patchTcpCopy(
        copy,
        packetized,
        transport.channels[0],
        this.#sequence,
        timestamp,
        this.ssrc,
      );
      // Only the last write of an access unit reports back: one callback per frame, not per packet.
      transport.socket.write(copy, this.#onFlushed);
      bytes = copy.length;
    } else {
      bytes = this.#sendUdp(transport, packetized, timestamp);
    }
    this.#packetCount += packetized.payloads.length;
    this.#octetCount += packetized.payloadBytes;
    this.#lastRtp = timestamp;
    const nowMs = Date.now();
    this.#lastSentWallMs = nowMs;
    this.#framesSent += 1;
    this.#bytesSent += bytes;
    this.#fps.add(1, nowMs);
    this.#options.bytesOut.add(bytes, nowMs);
    if (this.#nextReportMs === 0) this.#sendReport(nowMs);
  }

  #sendUdp(
    transport: Extract<SessionTransport, { kind: 'udp' }>,
    packetized: PacketizedUnit,
    timestamp: number,
  ): number {
    let bytes = 0;
    const last = packetized.payloads.length - 1;
    packetized.payloads.forEach((parts, index) => {
      const header = Buffer.allocUnsafe(RTP_HEADER_BYTES);
      writeRtpHeader(header, 0, index === last, this.#sequence, timestamp, this.ssrc);
      this.#sequence = (this.#sequence + 1) & 0xffff;
      // No backpressure on UDP: what the network cannot carry is lost, which RTP clients expect.
      transport.rtp.send(
        [header, ...parts],
        transport.clientPorts[0],
        transport.address,
        ignoreError,
      );
      bytes += header.length + parts.reduce((sum, part) => sum + part.length, 0);
    });
    return bytes;
  }

  #rtpTimestamp(timestampUs: number): number {
    if (this.#baseUs === null || this.#lastUs === null) {
      this.#baseUs = timestampUs;
    } else {
      const stepUs = timestampUs - this.#lastUs;
      if (stepUs <= 0 || stepUs > MAX_TIMESTAMP_JUMP_US) {
        // Rebase so the clock keeps going forward by one frame: decoders dislike time running backwards.
        const lastOffsetUs = ((this.#lastRtp - this.#rtpBase) >>> 0) / (RTP_CLOCK_HZ / 1_000_000);
        this.#baseUs = timestampUs - lastOffsetUs - DEFAULT_FRAME_US;
      }
    }
    this.#lastUs = timestampUs;
    return (
      (this.#rtpBase + Math.round(((timestampUs - this.#baseUs) * RTP_CLOCK_HZ) / 1_000_000)) >>> 0
    );
  }

  #sendReport(nowMs: number): void {
    this.#nextReportMs = nowMs + SENDER_REPORT_INTERVAL_MS;
    const elapsedTicks = Math.round(((nowMs - this.#lastSentWallMs) * RTP_CLOCK_HZ) / 1000);
    const report = senderReport({
      ssrc: this.ssrc,
      wallClockMs: nowMs,
      rtpTimestamp: (this.#lastRtp + elapsedTicks) >>> 0,
      packetCount: this.#packetCount,
      octetCount: this.#octetCount,
    });
    const transport = this.#options.transport;
    if (transport.kind === 'udp') {
      transport.rtcp.send(report, transport.clientPorts[1], transport.address, ignoreError);
      return;
    }
    const framed = Buffer.allocUnsafe(4 + report.length);
    framed[0] = 0x24;
    framed[1] = transport.channels[1];
    framed.writeUInt16BE(report.length, 2);
    report.copy(framed, 4);
    // A report is small and periodic; a socket already backed up does not need it.
    if (transport.socket.writableLength === 0) transport.socket.write(framed);
  }

  /** Periodic upkeep: sender reports; says whether a TCP client stopped reading for `stallTimeoutMs`. */
  tick(nowMs: number, stallTimeoutMs: number): 'ok' | 'stalled' {
    if (this.#state !== 'playing') return 'ok';
    if (this.#nextReportMs !== 0 && nowMs >= this.#nextReportMs) this.#sendReport(nowMs);
    const transport = this.#options.transport;
    if (transport.kind !== 'tcp') return 'ok';
    if (transport.socket.writableLength === 0) {
      this.#lastProgressMs = nowMs;
      return 'ok';
    }
    return nowMs - this.#lastProgressMs > stallTimeoutMs ? 'stalled' : 'ok';
  }

  stats(nowMs = Date.now()): RtspClientStats {
    const transport = this.#options.transport;
    return {
      id: this.#options.id,
      protocol: 'rtsp',
      transport: transport.kind,
      address: this.#options.address,
      userAgent: this.#options.userAgent,
      fps: Math.round(this.#fps.rate(nowMs) * 10) / 10,
      bytesSent: this.#bytesSent,
      framesSent: this.#framesSent,
      skippedFrames: this.#gate.skippedUnits,
      isSlow: this.#gate.consecutiveSkips >= SLOW_AFTER_SKIPS,
      connectedAtMs: this.connectedAtMs,
      pendingBytes: transport.kind === 'tcp' ? transport.socket.writableLength : 0,
    };
  }
}

const ignoreError = (): void => undefined;
