// The H.264 hub and its parsers against real libx264 output: Annex B splitting, access units, the MP4 reader,
// SPS parsing, validation and reject counting, keyframe-first, consumer count and keyframe requests, GOP gate.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { joinAnnexB, nalType, splitAnnexB } from '../../server/video/annex-b.ts';
import { splitAccessUnits } from '../../server/video/access-units.ts';
import { GopGate } from '../../server/video/gop-gate.ts';
import { profileLevelId, spsPictureSize } from '../../server/video/h264-parameter-sets.ts';
import { readMp4H264 } from '../../server/video/mp4-h264.ts';
import { VideoHub, type AccessUnit } from '../../server/video/video-hub.ts';
import { makeH264Clip } from '../helpers/h264-clip.ts';

const clip = makeH264Clip({ size: '320x240', seconds: 2, gop: 15 });

/** ffprobe's view of the packets: one line per packet, its flags (K = key). */
function probePackets(file: string): { keys: boolean[]; sizes: number[] } {
  const out = execFileSync('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=flags,size'],
    ...['-of', 'csv=p=0', file],
  ]).toString();
  const rows = out
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  return {
    sizes: rows.map((row) => Number(row[0])),
    keys: rows.map((row) => (row[1] ?? '').startsWith('K')),
  };
}

test('Annex B: the file splits into as many access units as ffprobe counts packets, keys alike', () => {
  const units = splitAccessUnits(readFileSync(clip.annexB));
  const probed = probePackets(clip.mp4);
  assert.equal(units.length, probed.keys.length);
  assert.deepEqual(
    units.map((unit) => unit.isKey),
    probed.keys,
  );
  assert.equal(probed.keys.filter(Boolean).length, 4, '60 frames with a GOP of 15');
});

test('MP4: samples, keyframes and timing match ffprobe; keyframes carry SPS and PPS', () => {
  const track = readMp4H264(readFileSync(clip.mp4));
  const probed = probePackets(clip.mp4);
  assert.equal(track.samples.length, probed.keys.length);
  assert.deepEqual(
    track.samples.map((sample) => sample.isKey),
    probed.keys,
  );
  assert.deepEqual([track.width, track.height], [320, 240]);
  const first = track.samples[0]!;
  assert.deepEqual(splitAnnexB(first.data).slice(0, 2).map(nalType), [7, 8]);
  assert.ok(Math.abs(first.durationUs - 33_333) < 10, `duration ${first.durationUs}`);
  assert.ok(Math.abs(track.samples[30]!.timeUs - 1_000_000) < 10);
  // Same pictures as the Annex B file: the slice NAL units are byte-identical.
  const annexB = splitAccessUnits(readFileSync(clip.annexB));
  const slices = (data: Uint8Array): string[] =>
    splitAnnexB(data)
      .filter((nal) => nalType(nal) === 1 || nalType(nal) === 5)
      .map((nal) => Buffer.from(nal).toString('hex'));
  assert.deepEqual(slices(track.samples[5]!.data), slices(annexB[5]!.data));
});

test('SPS: picture size with cropping, and profile-level-id', () => {
  const odd = makeH264Clip({ size: '250x142', seconds: 1 });
  for (const [file, width, height] of [
    [clip.annexB, 320, 240],
    [odd.annexB, 250, 142],
  ] as const) {
    const sps = splitAnnexB(readFileSync(file)).find((nal) => nalType(nal) === 7)!;
    assert.deepEqual(spsPictureSize(sps), { width, height });
    assert.match(profileLevelId(sps), /^42C0[0-9A-F]{2}$/, 'constrained baseline');
  }
});

test('splitAnnexB handles 3- and 4-byte start codes and trailing zeros', () => {
  const data = Uint8Array.from([
    0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 0, 1, 0x65, 4, 5, 0,
  ]);
  const units = splitAnnexB(data).map((unit) => Array.from(unit));
  assert.deepEqual(units, [
    [0x67, 1, 2],
    [0x68, 3],
    [0x65, 4, 5],
  ]);
  assert.deepEqual(Array.from(joinAnnexB([Uint8Array.of(9, 9)])), [0, 0, 0, 1, 9, 9]);
});

function units(): { key: Uint8Array; delta: Uint8Array; keyWithoutSets: Uint8Array } {
  const all = splitAccessUnits(readFileSync(clip.annexB));
  const key = all[0]!.data;
  const keyNals = splitAnnexB(all[15]!.data).filter((nal) => nalType(nal) === 5);
  return { key, delta: all[1]!.data, keyWithoutSets: joinAnnexB(keyNals) };
}

test('publish: keyframe first, validation, reject counts, SPS/PPS in front of every keyframe', () => {
  const hub = new VideoHub({ maxAccessUnitBytes: 200_000 });
  const { key, delta, keyWithoutSets } = units();
  const received: AccessUnit[] = [];
  hub.subscribe({ onAccessUnit: (unit) => received.push(unit) });
  assert.equal(hub.publish({ data: delta, isKey: false, timestampUs: 0 }), false, 'delta first');
  assert.equal(
    hub.publish({ data: keyWithoutSets, isKey: true, timestampUs: 0 }),
    false,
    'no SPS yet',
  );
  assert.equal(hub.publish({ data: delta.subarray(4), isKey: false, timestampUs: 0 }), false);
  assert.equal(hub.publish({ data: delta, isKey: true, timestampUs: 0 }), false, 'key without IDR');
  assert.equal(hub.publish({ data: new Uint8Array(300_000), isKey: true, timestampUs: 0 }), false);
  assert.equal(hub.publish({ data: key, isKey: true, timestampUs: Number.NaN }), false);
  assert.equal(
    hub.publish({ data: 'x' as unknown as Uint8Array, isKey: true, timestampUs: 0 }),
    false,
  );
  assert.equal(hub.parameterSets, null);
  assert.equal(received.length, 0);
  assert.equal(hub.rejectedChunks, 7);
  assert.deepEqual(Object.fromEntries(hub.rejectsByReason()), {
    'no-keyframe-yet': 1,
    'no-parameter-sets': 1,
    'no-start-code': 1,
    'key-without-idr': 1,
    'too-large': 1,
    'bad-timestamp': 1,
    'not-bytes': 1,
  });

  assert.equal(hub.publish({ data: key, isKey: true, timestampUs: 0 }), true);
  assert.equal(hub.publish({ data: delta, isKey: false, timestampUs: 33_333 }), true);
  // A later keyframe without its own SPS/PPS gets the remembered ones in front.
  assert.equal(hub.publish({ data: keyWithoutSets, isKey: true, timestampUs: 66_666 }), true);
  assert.deepEqual(hub.pictureSize, { width: 320, height: 240 });
  assert.deepEqual(
    received.map((unit) => [unit.seq, unit.isKey, unit.nalUnits.map(nalType)[0]]),
    [
      [1, true, 7],
      [2, false, 1],
      [3, true, 7],
    ],
  );
  assert.deepEqual(received[2]!.nalUnits.map(nalType).slice(0, 3), [7, 8, 5]);
});

test('consumers: count, a keyframe request on every join, unsubscribe', () => {
  const hub = new VideoHub();
  let requests = 0;
  const off = hub.onKeyframeRequest(() => (requests += 1));
  const counts: number[] = [];
  hub.onConsumerCountChange((count) => counts.push(count));
  hub.onKeyframeRequest(() => {
    throw new Error('a broken listener must not stop the others');
  });
  const leave1 = hub.subscribe({ onAccessUnit: () => undefined });
  const leave2 = hub.subscribe({ onAccessUnit: () => undefined });
  assert.equal(hub.consumerCount, 2);
  assert.equal(requests, 2);
  leave1();
  leave2();
  assert.equal(hub.consumerCount, 0);
  leave1();
  assert.deepEqual(counts, [1, 2, 1, 0], 'each join and leave once');
  off();
  hub.subscribe({ onAccessUnit: () => undefined });
  assert.equal(requests, 2);
});

test('GOP gate: waits for a keyframe, skips while backed up, resumes only at the next keyframe', () => {
  const gate = new GopGate(1000);
  const unit = (isKey: boolean): AccessUnit => ({
    seq: 0,
    isKey,
    timestampUs: 0,
    nalUnits: [],
    bytes: 10,
  });
  assert.equal(gate.decide(unit(false), 0), 'skip', 'joining: no delta before a keyframe');
  assert.equal(gate.skippedUnits, 0, 'joining is not falling behind');
  assert.equal(gate.decide(unit(true), 0), 'send');
  assert.equal(gate.decide(unit(false), 500), 'send');
  assert.equal(gate.decide(unit(false), 1001), 'skip', 'backed up');
  assert.equal(gate.decide(unit(false), 0), 'skip', 'drained, but the GOP is broken');
  assert.equal(gate.decide(unit(true), 2000), 'skip', 'a keyframe while still backed up');
  assert.equal(gate.isWaitingForKey, true);
  assert.equal(gate.decide(unit(true), 0), 'send');
  assert.equal(gate.skippedUnits, 3);
  assert.equal(gate.consecutiveSkips, 0);
  gate.rejoin();
  assert.equal(gate.decide(unit(false), 0), 'skip', 'after a pause, a keyframe first');
  assert.equal(gate.skippedUnits, 3, 'rejoining is not falling behind');
  assert.equal(gate.decide(unit(true), 0), 'send');
});
