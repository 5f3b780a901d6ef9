// When capture cannot keep up, and the advice (renderer/capture-capacity.ts), with plain numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capacityAdvice,
  capacitySample,
  CapacityWatch,
  sustainableFps,
  type CapacitySample,
} from '../../renderer/capture-capacity.ts';

/** 1080p30 on one busy encoder: 8 fps at 120 ms a frame (the measurement on this machine). */
const slow1080: CapacitySample = {
  targetFps: 30,
  capturedFps: 8,
  encodeMsAvg: 120,
  encodeWorkers: 1,
  viewerCount: 1,
  resolution: '1080p',
  width: 1920,
  height: 1080,
};
const slow720: CapacitySample = {
  ...slow1080,
  capturedFps: 19,
  encodeMsAvg: 50,
  resolution: '720p',
  width: 1280,
  height: 720,
};

describe('capacityAdvice', () => {
  it('names the shortfall, the cause and a fix sized to the preset', () => {
    const at1080 = capacityAdvice(slow1080);
    assert.match(at1080 ?? '', /only 8 of 30 fps/);
    assert.match(at1080 ?? '', /1920×1080 frame takes 120 ms/);
    assert.match(at1080 ?? '', /Choose 720p/);
    const at720 = capacityAdvice(slow720);
    // 1000 ms / 50 ms = 20 fps fits on one encoder.
    assert.match(at720 ?? '', /Set the frame rate to 20 fps/);
  });

  it('stays quiet when capture keeps up, nobody watches, or the camera is the limit', () => {
    assert.equal(capacityAdvice({ ...slow720, capturedFps: 29 }), null);
    assert.equal(capacityAdvice({ ...slow1080, viewerCount: 0 }), null, 'idle is 1 fps on purpose');
    // 10 fps at 8 ms per frame: encoders idle 92 % of the time, so the camera sends only 10.
    assert.equal(capacityAdvice({ ...slow720, capturedFps: 10, encodeMsAvg: 8 }), null);
    assert.equal(capacityAdvice({ ...slow720, capturedFps: 0 }), null);
  });

  it('counts every encode worker: two workers at 60 ms sustain 33 fps', () => {
    assert.equal(Math.round(sustainableFps(60, 2)), 33);
    assert.equal(
      capacityAdvice({ ...slow720, capturedFps: 20, encodeMsAvg: 60, encodeWorkers: 2 }),
      null,
    );
    assert.equal(sustainableFps(0, 1), Number.POSITIVE_INFINITY);
  });
});

describe('CapacityWatch', () => {
  it('shows after 3 bad seconds in a row and clears after 3 good ones', () => {
    const watch = new CapacityWatch(3);
    const good = { ...slow720, capturedFps: 30 };
    assert.equal(watch.check(slow720), null);
    assert.equal(watch.check(slow720), null);
    assert.equal(watch.check(good), null, 'a good second restarts the count');
    assert.equal(watch.check(slow720), null);
    assert.equal(watch.check(slow720), null);
    assert.match(watch.check(slow720) ?? '', /only 19 of 30/);
    assert.match(
      watch.check({ ...slow720, capturedFps: 18 }) ?? '',
      /only 18 of 30/,
      'kept current',
    );
    assert.notEqual(watch.check(good), null);
    assert.notEqual(watch.check(good), null);
    assert.equal(watch.check(good), null);
  });

  it('reset clears at once', () => {
    const watch = new CapacityWatch(1);
    assert.notEqual(watch.check(slow1080), null);
    watch.reset();
    assert.equal(watch.check({ ...slow1080, viewerCount: 0 }), null);
  });

  it('a second with nothing measured clears at once and restarts the count', () => {
    const watch = new CapacityWatch(2);
    watch.check(slow720);
    assert.notEqual(watch.check(slow720), null);
    assert.equal(watch.check(null), null);
    assert.equal(watch.check(slow720), null, 'one bad second after a gap is not enough');
  });
});

describe('capacitySample', () => {
  const inputs = {
    isCameraRunning: true,
    frameSize: { width: 720, height: 1280 },
    settings: { fps: 30, resolution: '720p' as const },
    capture: { fps: 19, encodeMsAvg: 50 },
    encodeWorkers: 2,
    viewerCount: 3,
  };

  it('takes the encoded (rotated) frame size, the saved preset and the measured rates', () => {
    assert.deepEqual(capacitySample(inputs), {
      targetFps: inputs.settings.fps,
      capturedFps: inputs.capture.fps,
      encodeMsAvg: inputs.capture.encodeMsAvg,
      encodeWorkers: inputs.encodeWorkers,
      viewerCount: inputs.viewerCount,
      resolution: inputs.settings.resolution,
      width: inputs.frameSize.width,
      height: inputs.frameSize.height,
    });
  });

  it('is null while the camera is not running, before the first frame and before settings load', () => {
    assert.equal(capacitySample({ ...inputs, isCameraRunning: false }), null);
    assert.equal(capacitySample({ ...inputs, frameSize: null }), null);
    assert.equal(capacitySample({ ...inputs, settings: null }), null);
  });
});
