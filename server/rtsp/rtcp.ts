// RTCP sender reports (RFC 3550 §6.4.1) with the SDES CNAME every compound packet must carry (§6.1), so
// clients can map RTP timestamps to wall-clock time.

/** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
const CNAME = 'lancam';

export interface SenderReportInput {
  readonly ssrc: number;
  readonly wallClockMs: number;
  readonly rtpTimestamp: number;
  readonly packetCount: number;
  readonly octetCount: number;
}

export function senderReport(input: SenderReportInput): Buffer {
  const sdesItemBytes = 2 + CNAME.length;
  // SDES chunk: SSRC, items, a terminating zero item, padded to 32 bits.
  const sdesChunkBytes = Math.ceil((4 + sdesItemBytes + 1) / 4) * 4;
  const packet = Buffer.alloc(28 + 4 + sdesChunkBytes);
  packet[0] = 0x80;
  packet[1] = 200;
  packet.writeUInt16BE(6, 2);
  packet.writeUInt32BE(input.ssrc >>> 0, 4);
  const seconds = Math.floor(input.wallClockMs / 1000);
  const fraction = Math.floor(((input.wallClockMs % 1000) / 1000) * 2 ** 32);
  packet.writeUInt32BE((seconds + NTP_UNIX_OFFSET_S) >>> 0, 8);
  packet.writeUInt32BE(fraction >>> 0, 12);
  packet.writeUInt32BE(input.rtpTimestamp >>> 0, 16);
  packet.writeUInt32BE(input.packetCount >>> 0, 20);
  packet.writeUInt32BE(input.octetCount >>> 0, 24);
  const sdes = 28;
  packet[sdes] = 0x81;
  packet[sdes + 1] = 202;
  packet.writeUInt16BE((4 + sdesChunkBytes) / 4 - 1, sdes + 2);
  packet.writeUInt32BE(input.ssrc >>> 0, sdes + 4);
  packet[sdes + 8] = 1;
  packet[sdes + 9] = CNAME.length;
  packet.write(CNAME, sdes + 10, 'ascii');
  return packet;
}
