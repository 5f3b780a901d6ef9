import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUSY_RETRY_STEP, describeCameraError, platformOf } from '../../renderer/camera-errors.ts';

const domError = (name: string, message = ''): { name: string; message: string } => ({
  name,
  message,
});

describe('camera errors', () => {
  it('recognises platforms from userAgentData or the user agent', () => {
    assert.equal(platformOf('Windows'), 'windows');
    assert.equal(platformOf('macOS'), 'macos');
    assert.equal(platformOf('Mozilla/5.0 (X11; Linux x86_64)'), 'linux');
    assert.equal(platformOf('Android'), 'other');
  });

  it('explains how to allow the camera, per platform', () => {
    const win = describeCameraError(domError('NotAllowedError'), 'windows');
    assert.equal(win.code, 'NotAllowedError');
    assert.equal(win.title, 'Camera access is blocked');
    assert.match(win.steps.join(' '), /Privacy & security → Camera/);
    assert.match(
      describeCameraError(domError('NotAllowedError'), 'macos').steps.join(' '),
      /System Settings/,
    );
    assert.match(
      describeCameraError(domError('NotAllowedError'), 'linux').steps.join(' '),
      /video/,
    );
  });

  it('maps busy, missing and over-constrained cameras', () => {
    assert.equal(
      describeCameraError(domError('NotReadableError'), 'linux').title,
      'The camera is busy',
    );
    assert.equal(describeCameraError(domError('NotFoundError'), 'linux').title, 'No camera found');
    assert.equal(
      describeCameraError(domError('OverconstrainedError'), 'linux').code,
      'OverconstrainedError',
    );
  });

  it('explains a busy camera per platform, naming the usual suspects, and retries by itself', () => {
    const win = describeCameraError(domError('NotReadableError'), 'windows');
    assert.match(win.detail, /one app at a time/);
    const winSteps = win.steps.join(' ');
    for (const suspect of ['Zoom', 'Teams', 'Camera app', 'browser tab']) {
      assert.ok(winSteps.includes(suspect), `Windows help should name ${suspect}`);
    }
    assert.match(
      describeCameraError(domError('NotReadableError'), 'macos').steps.join(' '),
      /FaceTime/,
    );
    assert.match(
      describeCameraError(domError('NotReadableError'), 'linux').steps.join(' '),
      /fuser/,
    );
    for (const platform of ['windows', 'macos', 'linux', 'other'] as const) {
      const busy = describeCameraError(domError('NotReadableError'), platform);
      assert.equal(busy.code, 'NotReadableError');
      assert.equal(busy.isRetriedAutomatically, true, platform);
      assert.equal(busy.steps.at(-1), BUSY_RETRY_STEP, platform);
      assert.doesNotMatch(
        busy.steps.join(' '),
        /Press Start again/,
        'nothing to press: it retries',
      );
    }
  });

  it("maps Chromium's older TrackStartError to the same busy help", () => {
    assert.deepEqual(
      describeCameraError(domError('TrackStartError'), 'windows'),
      describeCameraError(domError('NotReadableError'), 'windows'),
    );
  });

  it('does not retry by itself when access is refused or the camera is missing', () => {
    for (const name of ['NotAllowedError', 'NotFoundError', 'OverconstrainedError', 'TypeError']) {
      assert.notEqual(
        describeCameraError(domError(name), 'windows').isRetriedAutomatically,
        true,
        name,
      );
    }
  });

  it('keeps an unknown error readable', () => {
    const problem = describeCameraError(new TypeError('weird'), 'linux');
    assert.equal(problem.code, 'TypeError');
    assert.equal(problem.detail, 'weird');
    assert.equal(describeCameraError('plain', 'linux').detail, 'plain');
  });
});
