// RFC 6184 packetization of one access unit: single NAL unit packets and FU-A fragments (packetization-mode
// 1), marker bit on the last packet. Done once per access unit; every session only patches the headers.
import type { AccessUnit } from '../video/video-hub.ts';
import { PAYLOAD_TYPE } from './sdp.ts';

/** RTP payload bytes per packet: keeps IP+UDP+RTP under a 1500-byte Ethernet MTU with room for tunnels. */
export const MAX_PAYLOAD_BYTES = 1400;
export const RTP_HEADER_BYTES = 12;
/** '$', channel, 16-bit length (RFC 2326 §10.12). */
export const INTERLEAVED_HEADER_BYTES = 4;
const FU_A = 28;

export interface PacketizedUnit {
  readonly unit: AccessUnit;
  /** Each packet's payload, as the parts to send after the RTP header (no copy of the NAL data). */
  readonly payloads: readonly (readonly Uint8Array[])[];
  readonly payloadBytes: number;
  /**
   * Every packet in interleaved form ($ header + RTP header + payload), with sequence number, timestamp,
   * SSRC and channel left zero; a TCP session copies it once and patches those fields.
   */
  readonly tcpTemplate: Buffer;
  /** Offset of each packet's '$' byte in tcpTemplate. */
  readonly tcpOffsets: readonly number[];
}

export function packetize(unit: AccessUnit, maxPayloadBytes = MAX_PAYLOAD_BYTES): PacketizedUnit {
  const payloads: Uint8Array[][] = [];
  for (const nal of unit.nalUnits) {
    if (nal.length <= maxPayloadBytes) {
      payloads.push([nal]);
      continue;
    }
    const header = nal[0] ?? 0;
    const indicator = (header & 0xe0) | FU_A;
    const type = header & 0x1f;
    const chunkBytes = maxPayloadBytes - 2;
    // The NAL header is not sent in FU-A: its bits travel in the FU indicator and FU header.
    for (let offset = 1; offset < nal.length; offset += chunkBytes) {
      const end = Math.min(nal.length, offset + chunkBytes);
      const isStart = offset === 1;
      const isEnd = end === nal.length;
      const fuHeader = (isStart ? 0x80 : 0) | (isEnd ? 0x40 : 0) | type;
      payloads.push([Uint8Array.of(indicator, fuHeader), nal.subarray(offset, end)]);
    }
  }
  let payloadBytes = 0;
  let templateBytes = 0;
  for (const parts of payloads) {
    const size = parts.reduce((sum, part) => sum + part.length, 0);
    payloadBytes += size;
    templateBytes += INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES + size;
  }
  const tcpTemplate = Buffer.allocUnsafe(templateBytes);
  const tcpOffsets: number[] = [];
  let offset = 0;
  payloads.forEach((parts, index) => {
    const isLast = index === payloads.length - 1;
    const size = parts.reduce((sum, part) => sum + part.length, 0);
    tcpOffsets.push(offset);
    tcpTemplate[offset] = 0x24;
    tcpTemplate[offset + 1] = 0;
    tcpTemplate.writeUInt16BE(RTP_HEADER_BYTES + size, offset + 2);
    writeRtpHeader(tcpTemplate, offset + INTERLEAVED_HEADER_BYTES, isLast, 0, 0, 0);
    let at = offset + INTERLEAVED_HEADER_BYTES + RTP_HEADER_BYTES;
    for (const part of parts) {
      tcpTemplate.set(part, at);
      at += part.length;
    }
    offset = at;
  });
  return { unit, payloads, payloadBytes, tcpTemplate, tcpOffsets };
}

/** RTP fixed header (RFC 3550 §5.1): version 2, no padding, no extension, no CSRC. */
export function writeRtpHeader(
  target: Buffer,
  offset: number,
  isMarker: boolean,
  sequence: number,
  timestamp: number,
  ssrc: number,
): void {
  target[offset] = 0x80;
  target[offset + 1] = (isMarker ? 0x80 : 0) | PAYLOAD_TYPE;
  target.writeUInt16BE(sequence & 0xffff, offset + 2);
  target.writeUInt32BE(timestamp >>> 0, offset + 4);
  target.writeUInt32BE(ssrc >>> 0, offset + 8);
}

/** Patches a copy of the template for one session; returns the next sequence number. */
export function patchTcpCopy(
  copy: Buffer,
  packetized: PacketizedUnit,
  channel: number,
  firstSequence: number,
  timestamp: number,
  ssrc: number,
): number {
  let sequence = firstSequence;
  for (const offset of packetized.tcpOffsets) {
    copy[offset + 1] = channel;
    const rtp = offset + INTERLEAVED_HEADER_BYTES;
    copy.writeUInt16BE(sequence & 0xffff, rtp + 2);
    copy.writeUInt32BE(timestamp >>> 0, rtp + 4);
    copy.writeUInt32BE(ssrc >>> 0, rtp + 8);
    sequence = (sequence + 1) & 0xffff;
  }
  return sequence;
}
