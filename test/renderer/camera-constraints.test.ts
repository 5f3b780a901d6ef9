import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  constraintLadder,
  describeModeShortfall,
  isConstraintError,
} from '../../renderer/camera-constraints.ts';

describe('camera constraints', () => {
  it('asks for the chosen camera exactly and the mode ideally, then relaxes', () => {
    const ladder = constraintLadder({ cameraId: 'cam1', resolution: '1080p', fps: 30 });
    assert.deepEqual(ladder[0], {
      audio: false,
      video: {
        width: { ideal: 1920 },
        height: { ideal: 1080 },
        frameRate: { ideal: 30 },
        deviceId: { exact: 'cam1' },
      },
    });
    assert.deepEqual(ladder[1], { audio: false, video: { deviceId: { exact: 'cam1' } } });
    assert.deepEqual(ladder.at(-1), { audio: false, video: true });
    for (const rung of ladder) assert.equal(rung.audio, false);
  });

  it('skips the device rungs for the default camera', () => {
    const ladder = constraintLadder({ cameraId: null, resolution: '480p', fps: 15 });
    assert.equal(ladder.length, 2);
    assert.deepEqual(ladder[0]?.video, {
      width: { ideal: 640 },
      height: { ideal: 480 },
      frameRate: { ideal: 15 },
    });
  });

  it('only retries for constraint errors', () => {
    assert.ok(isConstraintError('OverconstrainedError'));
    assert.ok(!isConstraintError('NotAllowedError'));
    assert.ok(!isConstraintError('NotReadableError'));
  });

  it('says when the camera gave less than asked', () => {
    const request = { cameraId: null, resolution: '1080p', fps: 30 } as const;
    assert.equal(describeModeShortfall(request, { width: 1920, height: 1080, fps: 30 }), null);
    assert.equal(
      describeModeShortfall(request, { width: 1280, height: 720, fps: 15 }),
      "This camera's nearest mode is 1280×720 instead of 1920×1080 at 15 fps instead of 30; LanCam is using that.",
    );
    assert.equal(
      describeModeShortfall(
        { ...request, resolution: 'max' },
        { width: 640, height: 480, fps: 30 },
      ),
      null,
    );
  });
});
