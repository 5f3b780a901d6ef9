// Main's H.264 chunk gate (electron/main/validate.ts createVideoGate): what reaches server.publishVideo.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkSettingsPatch,
  createVideoGate,
  isVideoChunkMeta,
  maxVideoChunkBytes,
  startsWithStartCode,
} from '../../electron/main/validate.ts';

/** An Annex B access unit: a 4-byte start code, then a NAL header byte (5 = IDR slice, 1 = non-IDR) and payload. */
const accessUnit = (nalType: number, size = 64): Uint8Array => {
  const bytes = new Uint8Array(size);
  bytes.set([0, 0, 0, 1, 0x60 | nalType]);
  return bytes;
};
const key = { isKey: true, timestampUs: 1_000_000, durationUs: 33_333 };
const delta = { isKey: false, timestampUs: 1_033_333, durationUs: 33_333 };

describe('video chunk guards', () => {
  it('start codes: 3- and 4-byte Annex B prefixes only', () => {
    assert.equal(startsWithStartCode(new Uint8Array([0, 0, 1, 0x65])), true);
    assert.equal(startsWithStartCode(new Uint8Array([0, 0, 0, 1, 0x65])), true);
    // AVC (length-prefixed) output, the format WebCodecs gives without avc.format 'annexb'.
    assert.equal(startsWithStartCode(new Uint8Array([0, 0, 0, 40, 0x65])), false);
    assert.equal(startsWithStartCode(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), false);
    assert.equal(startsWithStartCode(new Uint8Array([0, 0, 1])), false);
  });

  it('meta: boolean isKey, finite non-negative times, duration at most 10 s', () => {
    assert.equal(isVideoChunkMeta(key), true);
    assert.equal(isVideoChunkMeta({ ...key, durationUs: 0 }), true);
    assert.equal(isVideoChunkMeta({ ...key, isKey: 'yes' }), false);
    assert.equal(isVideoChunkMeta({ ...key, timestampUs: -1 }), false);
    assert.equal(isVideoChunkMeta({ ...key, timestampUs: Number.NaN }), false);
    assert.equal(isVideoChunkMeta({ ...key, durationUs: 11_000_000 }), false);
    assert.equal(isVideoChunkMeta(null), false);
  });
});

describe('video gate', () => {
  it('a keyframe first: deltas before it are refused, then deltas pass as the same bytes', () => {
    const gate = createVideoGate();
    assert.equal(gate.accept(accessUnit(1), delta), null);
    assert.deepEqual(gate.rejectedByReason, { 'video-no-keyframe-yet': 1 });
    const idr = accessUnit(5);
    assert.equal(gate.accept(idr, key)?.bytes, idr);
    const next = accessUnit(1);
    assert.equal(gate.accept(next.buffer, delta)?.bytes.buffer, next.buffer);
    assert.equal(gate.rejected, 1);
  });

  it('refuses non-binary, oversized, bad-meta and start-code-less chunks, counting and logging each once', () => {
    const logs: string[] = [];
    const counted: string[] = [];
    const gate = createVideoGate({
      logOnce: (line) => logs.push(line),
      onReject: (reason) => counted.push(reason),
    });
    assert.equal(gate.accept('bytes', key), null);
    assert.equal(gate.accept('bytes', key), null);
    assert.equal(gate.accept(accessUnit(5, maxVideoChunkBytes + 1), key), null);
    assert.equal(gate.accept(accessUnit(5), { ...key, timestampUs: 'now' }), null);
    assert.equal(gate.accept(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]), key), null);
    assert.deepEqual(gate.rejectedByReason, {
      'video-not-binary': 2,
      'video-too-large': 1,
      'video-bad-meta': 1,
      'video-no-start-code': 1,
    });
    assert.equal(gate.rejected, 5);
    assert.equal(counted.length, 5);
    assert.equal(logs.length, 4);
  });

  it('after a refused chunk it waits for the next keyframe and asks for one, once per break', () => {
    let keyframeRequests = 0;
    const gate = createVideoGate({ onKeyframeNeeded: () => (keyframeRequests += 1) });
    assert.ok(gate.accept(accessUnit(5), key));
    assert.ok(gate.accept(accessUnit(1), delta));
    assert.equal(gate.accept(new Uint8Array(8), delta), null); // no start code: the stream broke
    assert.equal(keyframeRequests, 1);
    assert.equal(gate.accept(accessUnit(1), delta), null);
    assert.equal(gate.accept(accessUnit(1), delta), null);
    assert.equal(keyframeRequests, 1, 'deltas while waiting do not ask again');
    assert.ok(gate.accept(accessUnit(5), key));
    assert.ok(gate.accept(accessUnit(1), delta));
    assert.equal(gate.rejectedByReason['video-no-keyframe-yet'], 2);
  });

  it('limits the rate with an injected clock (bursts up to a second, then the refill rate)', () => {
    let nowMs = 0;
    const gate = createVideoGate({ maxPerSecond: 10, now: () => nowMs });
    let accepted = 0;
    for (let i = 0; i < 15; i += 1) if (gate.accept(accessUnit(5), key)) accepted += 1;
    assert.equal(accepted, 10);
    assert.equal(gate.rejectedByReason['video-rate-limited'], 5);
    nowMs += 500;
    accepted = 0;
    for (let i = 0; i < 15; i += 1) if (gate.accept(accessUnit(5), key)) accepted += 1;
    assert.equal(accepted, 5);
  });

  it('expectKeyframe() makes the next chunk wait for a keyframe again', () => {
    const gate = createVideoGate();
    assert.ok(gate.accept(accessUnit(5), key));
    gate.expectKeyframe();
    assert.equal(gate.accept(accessUnit(1), delta), null);
    assert.ok(gate.accept(accessUnit(5), key));
  });
});

describe('H.264 bitrate setting', () => {
  it('accepts 0.5–8 Mbit/s (at 720p30) and nothing else', () => {
    assert.equal(checkSettingsPatch({ h264BitrateMbps: 2.5 }).ok, true);
    assert.equal(checkSettingsPatch({ h264BitrateMbps: 0.5 }).ok, true);
    assert.equal(checkSettingsPatch({ h264BitrateMbps: 8 }).ok, true);
    assert.equal(checkSettingsPatch({ h264BitrateMbps: 9 }).ok, false);
    assert.equal(checkSettingsPatch({ h264BitrateMbps: '2.5' }).ok, false);
    assert.equal(checkSettingsPatch({ h264BitrateMbps: Number.NaN }).ok, false);
  });
});
