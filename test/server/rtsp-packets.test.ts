// The RTSP building blocks on their own: RFC 6184 packetization (single NAL, FU-A, marker), RTCP sender
// reports (RFC 3550 §6.4.1), Transport header choice, and the request parser on split and pipelined input.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import {
  MAX_PAYLOAD_BYTES,
  packetize,
  patchTcpCopy,
  RTP_HEADER_BYTES,
} from '../../server/rtsp/rtp-packetizer.ts';
import { senderReport } from '../../server/rtsp/rtcp.ts';
import { RtspRequestParser } from '../../server/rtsp/rtsp-request-parser.ts';
import { chooseTransport } from '../../server/rtsp/rtsp-transport.ts';
import type { AccessUnit } from '../../server/video/video-hub.ts';

function unitOf(...nalUnits: Uint8Array[]): AccessUnit {
  return {
    seq: 1,
    isKey: true,
    timestampUs: 0,
    nalUnits,
    bytes: nalUnits.reduce((sum, nal) => sum + nal.length, 0),
  };
}

/** Undoes FU-A the way a receiver does (RFC 6184 §5.8), from the interleaved TCP form. */
function depacketize(template: Buffer): { nals: Buffer[]; markers: boolean[]; sizes: number[] } {
  const nals: Buffer[] = [];
  const markers: boolean[] = [];
  const sizes: number[] = [];
  let fragments: Buffer[] = [];
  let offset = 0;
  while (offset < template.length) {
    assert.equal(template[offset], 0x24);
    const length = template.readUInt16BE(offset + 2);
    const rtp = template.subarray(offset + 4, offset + 4 + length);
    assert.equal(rtp[0], 0x80, 'RTP version 2');
    markers.push((rtp[1]! & 0x80) !== 0);
    assert.equal(rtp[1]! & 0x7f, 96);
    const payload = rtp.subarray(RTP_HEADER_BYTES);
    sizes.push(payload.length);
    if ((payload[0]! & 0x1f) === 28) {
      const fuHeader = payload[1]!;
      if (fuHeader & 0x80) fragments = [Buffer.of((payload[0]! & 0xe0) | (fuHeader & 0x1f))];
      fragments.push(payload.subarray(2));
      if (fuHeader & 0x40) nals.push(Buffer.concat(fragments));
    } else {
      nals.push(Buffer.from(payload));
    }
    offset += 4 + length;
  }
  return { nals, markers, sizes };
}

test('packetize: small NAL units go whole, large ones as FU-A, the marker only on the last packet', () => {
  const sps = Uint8Array.of(0x67, 0x42, 0xc0, 0x1e, 1, 2, 3);
  const pps = Uint8Array.of(0x68, 0xce, 0x3c, 0x80);
  const idr = Uint8Array.from([0x65, ...randomBytes(5000)]);
  const exact = Uint8Array.from([0x41, ...randomBytes(MAX_PAYLOAD_BYTES - 1)]);
  const packetized = packetize(unitOf(sps, pps, idr, exact));
  const { nals, markers, sizes } = depacketize(packetized.tcpTemplate);
  assert.deepEqual(
    nals.map((nal) => nal.toString('hex')),
    [sps, pps, idr, exact].map((nal) => Buffer.from(nal).toString('hex')),
  );
  assert.equal(markers.filter(Boolean).length, 1);
  assert.equal(markers.at(-1), true);
  assert.ok(
    sizes.every((size) => size <= MAX_PAYLOAD_BYTES),
    `payloads ${sizes.join(',')}`,
  );
  // 5000 bytes of IDR data after its header, 1398 per fragment: 4 fragments.
  assert.equal(packetized.payloads.length, 2 + 4 + 1);
  assert.equal(
    packetized.payloadBytes,
    sizes.reduce((a, b) => a + b, 0),
  );
});

test('patchTcpCopy: consecutive sequence numbers (wrapping at 16 bits), one timestamp and SSRC', () => {
  const packetized = packetize(unitOf(Uint8Array.from([0x65, ...randomBytes(3000)])));
  const copy = Buffer.from(packetized.tcpTemplate);
  const next = patchTcpCopy(copy, packetized, 4, 0xfffe, 0xdeadbeef, 0x01020304);
  assert.equal(next, 1, 'three packets from 0xfffe wrap to 1');
  const sequences = packetized.tcpOffsets.map((offset) => copy.readUInt16BE(offset + 6));
  assert.deepEqual(sequences, [0xfffe, 0xffff, 0]);
  for (const offset of packetized.tcpOffsets) {
    assert.equal(copy[offset + 1], 4, 'channel');
    assert.equal(copy.readUInt32BE(offset + 8), 0xdeadbeef);
    assert.equal(copy.readUInt32BE(offset + 12), 0x01020304);
  }
  assert.equal(packetized.tcpTemplate[1], 0, 'the shared template stays untouched');
});

test('sender report: RFC 3550 layout, NTP time of the wall clock, SDES CNAME', () => {
  const wallClockMs = Date.UTC(2026, 10, 30, 12, 0, 0, 500);
  const report = senderReport({
    ssrc: 0xabcdef01,
    wallClockMs,
    rtpTimestamp: 123_456,
    packetCount: 10,
    octetCount: 12_000,
  });
  assert.equal(report[0], 0x80);
  assert.equal(report[1], 200);
  assert.equal((report.readUInt16BE(2) + 1) * 4, 28);
  assert.equal(report.readUInt32BE(4), 0xabcdef01);
  assert.equal(report.readUInt32BE(8), Math.floor(wallClockMs / 1000) + 2_208_988_800);
  assert.equal(report.readUInt32BE(12), 2 ** 31, 'half a second');
  assert.equal(report.readUInt32BE(16), 123_456);
  assert.equal(report.readUInt32BE(20), 10);
  assert.equal(report.readUInt32BE(24), 12_000);
  const sdes = report.subarray(28);
  assert.equal(sdes[1], 202);
  assert.equal((sdes.readUInt16BE(2) + 1) * 4, sdes.length, 'SDES length covers the rest');
  assert.equal(sdes.length % 4, 0);
  assert.equal(sdes.subarray(10, 10 + sdes[9]!).toString(), 'lancam');
});

test('chooseTransport: the first acceptable alternative', () => {
  assert.deepEqual(chooseTransport('RTP/AVP/TCP;unicast;interleaved=2-3'), {
    kind: 'tcp',
    channels: [2, 3],
  });
  assert.deepEqual(chooseTransport('RTP/AVP/TCP;unicast'), { kind: 'tcp', channels: [0, 1] });
  assert.deepEqual(chooseTransport('RTP/AVP;unicast;client_port=5000-5001'), {
    kind: 'udp',
    clientPorts: [5000, 5001],
  });
  assert.deepEqual(
    chooseTransport('RTP/AVP;multicast;port=6000-6001,RTP/AVP/UDP;unicast;client_port=7000'),
    { kind: 'udp', clientPorts: [7000, 7001] },
  );
  for (const bad of [
    undefined,
    '',
    'RTP/SAVP;unicast;client_port=1-2',
    'RTP/AVP;unicast',
    'RTP/AVP;unicast;client_port=70000-70001',
    'RTP/AVP/TCP;interleaved=300-301',
  ]) {
    assert.equal(chooseTransport(bad), null, String(bad));
  }
});

test('request parser: requests split anywhere, pipelined, with bodies, with interleaved frames between', () => {
  const describe = 'DESCRIBE rtsp://h/live RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n';
  const withBody =
    'GET_PARAMETER rtsp://h/live RTSP/1.0\r\nCSeq: 3\r\nContent-Length: 5\r\n\r\nhello';
  const rtcp = Buffer.from([0x24, 1, 0, 3, 9, 9, 9]);
  const bytes = Buffer.concat([Buffer.from(describe), rtcp, Buffer.from(`\r\n${withBody}`)]);
  for (let split = 1; split < bytes.length; split += 7) {
    const parser = new RtspRequestParser();
    const items = [...parser.push(bytes.subarray(0, split)), ...parser.push(bytes.subarray(split))];
    assert.deepEqual(
      items.map((item) => item.kind),
      ['request', 'interleaved', 'request'],
      `split at ${split}`,
    );
    const [first, frame, second] = items;
    assert.ok(
      first?.kind === 'request' && frame?.kind === 'interleaved' && second?.kind === 'request',
    );
    assert.equal(first.request.method, 'DESCRIBE');
    assert.equal(first.request.headers.get('cseq'), '2');
    assert.equal(frame.channel, 1);
    assert.deepEqual([...frame.payload], [9, 9, 9]);
    assert.equal(second.request.body.toString(), 'hello');
  }
});

test('request parser: refuses garbage, oversized heads and bodies, and then parses nothing more', () => {
  const cases: [string, Buffer][] = [
    ['binary', Buffer.from([0x16, 3, 1, 2, 0, 1, 0xfc])],
    ['bad request line', Buffer.from('GET /\r\n\r\n')],
    ['bad header', Buffer.from('OPTIONS * RTSP/1.0\r\nno colon here\r\n\r\n')],
    ['huge head', Buffer.from(`OPTIONS * RTSP/1.0\r\nX: ${'a'.repeat(20_000)}`)],
    ['huge body', Buffer.from('OPTIONS * RTSP/1.0\r\nContent-Length: 100000\r\n\r\n')],
    ['bad length', Buffer.from('OPTIONS * RTSP/1.0\r\nContent-Length: -1\r\n\r\n')],
  ];
  for (const [name, bytes] of cases) {
    const parser = new RtspRequestParser();
    const items = parser.push(bytes);
    assert.equal(items.at(-1)?.kind, 'malformed', name);
    assert.deepEqual(parser.push(Buffer.from('OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n')), [], name);
  }
});
