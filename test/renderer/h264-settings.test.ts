// H.264 encoder settings (renderer/h264-settings.ts): level and codec string, bitrate scaling, keyframe timing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bitrateRangeBps,
  h264BitrateBps,
  h264CodecString,
  h264ConfigCandidates,
  h264LevelIdc,
  isKeyframeDue,
  keyframeIntervalUs,
  referenceBitrateBps,
} from '../../renderer/h264-settings.ts';

describe('H.264 level and codec string', () => {
  it('picks the lowest level of Table A-1 that holds the frame size and macroblock rate', () => {
    assert.equal(h264LevelIdc({ width: 640, height: 480, fps: 30 }), 30); // 1200 MBs, 36 000 MB/s
    assert.equal(h264LevelIdc({ width: 1280, height: 720, fps: 30 }), 31); // 3600 MBs, 108 000 MB/s
    assert.equal(h264LevelIdc({ width: 1280, height: 720, fps: 60 }), 32); // 216 000 MB/s
    assert.equal(h264LevelIdc({ width: 1920, height: 1080, fps: 30 }), 40); // 8160 MBs (1088 rows)
    assert.equal(h264LevelIdc({ width: 1920, height: 1080, fps: 60 }), 42);
    assert.equal(h264LevelIdc({ width: 3840, height: 2160, fps: 30 }), 51);
    assert.equal(h264LevelIdc({ width: 3840, height: 2160, fps: 60 }), 52);
    assert.equal(h264LevelIdc({ width: 7680, height: 4320, fps: 30 }), null);
  });

  it('is Constrained Baseline (42E0) with the level in hex, as RFC 6381 writes avc1', () => {
    assert.equal(h264CodecString({ width: 1280, height: 720, fps: 30 }), 'avc1.42E01F');
    assert.equal(h264CodecString({ width: 640, height: 480, fps: 30 }), 'avc1.42E01E');
    assert.equal(h264CodecString({ width: 1920, height: 1080, fps: 30 }), 'avc1.42E028');
    assert.equal(h264CodecString({ width: 1920, height: 1080, fps: 60 }), 'avc1.42E02A');
    assert.equal(h264CodecString({ width: 7680, height: 4320, fps: 30 }), null);
  });
});

describe('H.264 bitrate', () => {
  it('is 2.5 Mbit/s at 720p30 and scales with pixels × fps', () => {
    assert.equal(h264BitrateBps({ width: 1280, height: 720, fps: 30 }), 2_500_000);
    assert.equal(h264BitrateBps({ width: 1280, height: 720, fps: 15 }), 1_250_000);
    assert.equal(h264BitrateBps({ width: 1920, height: 1080, fps: 30 }), 5_625_000);
    assert.equal(h264BitrateBps({ width: 640, height: 360, fps: 30 }), 625_000);
  });

  it('honours another 720p30 reference and stays within its range', () => {
    assert.equal(h264BitrateBps({ width: 1280, height: 720, fps: 30 }, 4_000_000), 4_000_000);
    assert.equal(h264BitrateBps({ width: 160, height: 120, fps: 5 }), bitrateRangeBps.min);
    assert.equal(h264BitrateBps({ width: 3840, height: 2160, fps: 60 }), bitrateRangeBps.max);
    assert.equal(referenceBitrateBps, 2_500_000);
  });
});

describe('H.264 keyframes', () => {
  it('first frame, on request, and every 2 s', () => {
    assert.equal(isKeyframeDue(5_000_000, null, false), true);
    assert.equal(isKeyframeDue(5_000_000, 4_900_000, true), true);
    assert.equal(isKeyframeDue(5_000_000, 4_000_000, false), false);
    assert.equal(isKeyframeDue(4_000_000 + keyframeIntervalUs, 4_000_000, false), true);
    // A clock that went backwards (a new capture) starts a new GOP.
    assert.equal(isKeyframeDue(3_000_000, 4_000_000, false), true);
  });
});

describe('H.264 encoder configs', () => {
  it('tries hardware, then software, then no preference; realtime Annex B at the scaled bitrate', () => {
    const configs = h264ConfigCandidates({ width: 1280, height: 720, fps: 30 });
    assert.deepEqual(
      configs.map((c) => c.hardwareAcceleration),
      ['prefer-hardware', 'prefer-software', 'no-preference'],
    );
    for (const config of configs) {
      assert.equal(config.codec, 'avc1.42E01F');
      assert.equal(config.latencyMode, 'realtime');
      assert.deepEqual(config.avc, { format: 'annexb' });
      assert.equal(config.bitrate, 2_500_000);
      assert.equal(config.framerate, 30);
      assert.equal(`${config.width}x${config.height}`, '1280x720');
    }
    assert.deepEqual(h264ConfigCandidates({ width: 7680, height: 4320, fps: 30 }), []);
  });
});
