// renderer/camera-rules.ts: when the camera follows main, resumes by itself, or must reopen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Settings } from '../../electron/ipc.ts';
import { settingDefaults } from '../../electron/settings-limits.ts';
import {
  cameraFollow,
  needsCameraReopen,
  shouldResumeCamera,
} from '../../renderer/camera-rules.ts';

const settings: Settings = { ...settingDefaults, accessKey: 'k'.repeat(22) };
const notFound = {
  kind: 'failed',
  problem: { code: 'NotFoundError', title: 'No camera', detail: '', steps: [] },
} as const;
const denied = {
  kind: 'failed',
  problem: { code: 'NotAllowedError', title: 'Blocked', detail: '', steps: [] },
} as const;

describe('cameraFollow', () => {
  it('opens an idle camera when main starts from elsewhere (tray, start on launch)', () => {
    assert.equal(cameraFollow('off', 'starting', 'off', false), 'open');
    assert.equal(cameraFollow('off', 'live', 'off', false), 'open');
    assert.equal(cameraFollow('error', 'paused', 'off', false), 'open');
  });

  it('stops the camera when main goes off from elsewhere, but not on an error', () => {
    assert.equal(cameraFollow('live', 'off', 'running', false), 'stop');
    assert.equal(cameraFollow('paused', 'off', 'ended', false), 'stop');
    assert.equal(cameraFollow('live', 'error', 'running', false), null);
  });

  it('leaves everything to a click being handled, and to a camera already moving', () => {
    assert.equal(cameraFollow('off', 'live', 'off', true), null);
    assert.equal(cameraFollow('live', 'off', 'running', true), null);
    assert.equal(cameraFollow('off', 'live', 'opening', false), null);
    assert.equal(cameraFollow('live', 'live', 'running', false), null);
    assert.equal(cameraFollow('off', 'off', 'off', false), null);
  });
});

describe('shouldResumeCamera', () => {
  it('resumes an unplugged or missing camera once one is there and the broadcast runs', () => {
    assert.equal(shouldResumeCamera({ kind: 'ended' }, 1, 'paused'), true);
    assert.equal(shouldResumeCamera(notFound, 2, 'live'), true);
  });

  it('does not resume without a camera, while off, or after a denial', () => {
    assert.equal(shouldResumeCamera({ kind: 'ended' }, 0, 'paused'), false);
    assert.equal(shouldResumeCamera({ kind: 'ended' }, 1, 'off'), false);
    assert.equal(shouldResumeCamera(denied, 1, 'live'), false);
    assert.equal(shouldResumeCamera({ kind: 'running', label: 'Cam' }, 1, 'live'), false);
  });
});

describe('needsCameraReopen', () => {
  it('reopens for another camera, another preset or a higher frame rate', () => {
    assert.equal(needsCameraReopen(settings, { ...settings, cameraId: 'usb-2' }), true);
    assert.equal(needsCameraReopen(settings, { ...settings, resolution: '1080p' }), true);
    assert.equal(needsCameraReopen({ ...settings, fps: 15 }, { ...settings, fps: 30 }), true);
  });

  it('keeps the camera open for a lower frame rate and for picture-only changes', () => {
    assert.equal(needsCameraReopen({ ...settings, fps: 30 }, { ...settings, fps: 15 }), false);
    assert.equal(
      needsCameraReopen(settings, { ...settings, jpegQuality: 0.6, mirror: true }),
      false,
    );
    assert.equal(needsCameraReopen(settings, { ...settings, rotation: 90, overlay: true }), false);
  });
});
