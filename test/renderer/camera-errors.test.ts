import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeCameraError, platformOf } from '../../renderer/camera-errors.ts';

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

  it('keeps an unknown error readable', () => {
    const problem = describeCameraError(new TypeError('weird'), 'linux');
    assert.equal(problem.code, 'TypeError');
    assert.equal(problem.detail, 'weird');
    assert.equal(describeCameraError('plain', 'linux').detail, 'plain');
  });
});
