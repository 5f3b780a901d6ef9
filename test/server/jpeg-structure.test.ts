// The JPEG structure check (SOI, segments that fit, SOF, SOS, EOI) on real ffmpeg output and on damaged
// copies of it, and publish() refusing bad bytes or bad meta through the running server.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkJpeg, type JpegProblem } from '../../server/core/jpeg.ts';
import { get, makeFrames, withKey, withTestServer } from './harness.ts';

const [frame] = makeFrames(1, '176x144');
const jpeg = frame!.jpeg;

interface Segment {
  readonly marker: number;
  readonly offset: number;
  readonly length: number;
}

/** The header segments of a known-good JPEG, found independently of the code under test. */
function segmentsOf(bytes: Buffer): Segment[] {
  const segments: Segment[] = [];
  let i = 2;
  for (;;) {
    const marker = bytes[i + 1]!;
    const length = bytes.readUInt16BE(i + 2);
    segments.push({ marker, offset: i, length });
    if (marker === 0xda) return segments;
    i += 2 + length;
  }
}

const segments = segmentsOf(jpeg);
const find = (marker: number): Segment => {
  const segment = segments.find((s) => s.marker === marker);
  assert.ok(segment, `marker ${marker.toString(16)} present`);
  return segment;
};
const SOF0 = 0xc0;

function mutated(edit: (copy: Buffer) => unknown): Buffer {
  const copy = Buffer.from(jpeg);
  edit(copy);
  return copy;
}

function assertProblem(bytes: Uint8Array, problem: JpegProblem): void {
  assert.deepEqual(checkJpeg(bytes), { isValid: false, problem });
}

test('real JPEGs pass with their size; the shipped placeholder too', () => {
  const check = checkJpeg(jpeg);
  assert.ok(check.isValid);
  assert.deepEqual(check.info, { width: 176, height: 144, hasHuffmanTables: true });
  const placeholder = readFileSync(
    path.join(import.meta.dirname, '../../server/assets/placeholder.jpg'),
  );
  const placeholderCheck = checkJpeg(placeholder);
  assert.ok(placeholderCheck.isValid);
  assert.equal(placeholderCheck.info.width, 640);
});

test('an MJPEG frame without Huffman tables (as many USB cameras send) passes and says so', () => {
  const kept = segments.filter((s) => s.marker !== 0xc4);
  assert.ok(kept.length < segments.length, 'ffmpeg output has DHT segments to strip');
  const sos = find(0xda);
  const pieces = [jpeg.subarray(0, 2)];
  for (const s of kept) {
    if (s.marker !== 0xda) pieces.push(jpeg.subarray(s.offset, s.offset + 2 + s.length));
  }
  pieces.push(jpeg.subarray(sos.offset));
  const check = checkJpeg(Buffer.concat(pieces));
  assert.ok(check.isValid);
  assert.equal(check.info.hasHuffmanTables, false);
});

test('fill bytes between segments are allowed', () => {
  const sof = find(SOF0);
  const padded = Buffer.concat([
    jpeg.subarray(0, sof.offset),
    Buffer.from([0xff, 0xff, 0xff]),
    jpeg.subarray(sof.offset),
  ]);
  assert.ok(checkJpeg(padded).isValid);
});

test('damaged headers are refused with the reason', () => {
  assertProblem(Buffer.from('GIF89a this is not a jpeg at all'), 'no-soi');
  assertProblem(jpeg.subarray(0, 10), 'too-short');
  assertProblem(jpeg.subarray(0, jpeg.length - 1), 'no-eoi');
  const sof = find(SOF0);
  // A length that runs past the end of the data.
  assertProblem(
    mutated((b) => b.writeUInt16BE(0xfff0, segments[0]!.offset + 2)),
    'bad-segment-length',
  );
  // A length of 1 cannot even cover the length field.
  assertProblem(
    mutated((b) => b.writeUInt16BE(1, segments[0]!.offset + 2)),
    'bad-segment-length',
  );
  // Zero width or height.
  assertProblem(
    mutated((b) => b.writeUInt16BE(0, sof.offset + 7)),
    'bad-frame-header',
  );
  assertProblem(
    mutated((b) => b.writeUInt16BE(0, sof.offset + 5)),
    'bad-frame-header',
  );
  // Component count that disagrees with the segment length.
  assertProblem(
    mutated((b) => (b[sof.offset + 9] = 2)),
    'bad-frame-header',
  );
  // A byte that is not a marker where a segment should start.
  assertProblem(
    mutated((b) => (b[sof.offset] = 0x12)),
    'bad-marker',
  );
  // A second SOI inside the header.
  assertProblem(
    mutated((b) => (b[sof.offset + 1] = 0xd8)),
    'bad-marker',
  );
});

test('SOS before any frame header, and headers with no scan, are refused', () => {
  const sof = find(SOF0);
  const sos = find(0xda);
  const withoutSof = Buffer.concat([
    jpeg.subarray(0, sof.offset),
    jpeg.subarray(sof.offset + 2 + sof.length),
  ]);
  assertProblem(withoutSof, 'no-frame-header');
  // The headers alone, then EOI: nothing to decode.
  const headersOnly = Buffer.concat([jpeg.subarray(0, sos.offset), Buffer.from([0xff, 0xd9])]);
  assertProblem(headersOnly, 'no-scan');
  // A scan header with an impossible component count.
  assertProblem(
    mutated((b) => (b[sos.offset + 4] = 7)),
    'bad-scan-header',
  );
  // SOS that ends exactly at EOI: no entropy-coded data.
  const emptyScan = Buffer.concat([
    jpeg.subarray(0, sos.offset + 2 + sos.length),
    Buffer.from([0xff, 0xd9]),
  ]);
  assertProblem(emptyScan, 'no-scan');
});

test('publish() refuses damaged JPEGs and non-finite or non-positive meta, and counts each', async () => {
  await withTestServer(async (server) => {
    const good = { captureTimeMs: Date.now(), width: 176, height: 144 };
    const bad: [Uint8Array, unknown][] = [
      [mutated((b) => b.writeUInt16BE(0, find(SOF0).offset + 7)), good],
      [jpeg, { ...good, captureTimeMs: Number.NaN }],
      [jpeg, { ...good, captureTimeMs: -5 }],
      [jpeg, { ...good, width: Number.POSITIVE_INFINITY }],
      [jpeg, { ...good, width: 0 }],
      [jpeg, { ...good, height: -144 }],
      [jpeg, { ...good, height: '144' }],
      [jpeg, null],
    ];
    for (const [bytes, meta] of bad) {
      // The Electron side hands over IPC payloads; the server must not trust their types.
      assert.equal(server.publish(bytes, meta as typeof good), false, JSON.stringify(meta));
    }
    assert.equal(server.status().rejectedFrames, bad.length);
    assert.equal(server.status().state, 'waiting', 'nothing reached viewers');
    const snapshot = await get(withKey(server, '/snapshot.jpg'));
    assert.equal(snapshot.status, 503);
    await snapshot.body?.cancel();

    assert.equal(server.publish(jpeg, good), true);
    assert.equal(server.status().rejectedFrames, bad.length);
    assert.deepEqual(server.status().frame, { width: 176, height: 144, bytes: jpeg.length });
  });
});
