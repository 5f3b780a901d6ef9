// renderer/encode-options.ts: what the worker and getUserMedia are asked for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Settings } from '../../electron/ipc.ts';
import { settingDefaults } from '../../electron/settings-limits.ts';
import { cameraRequestFor, encodeOptionsFor } from '../../renderer/encode-options.ts';

const settings: Settings = {
  ...settingDefaults,
  accessKey: 'k'.repeat(22),
  cameraId: 'usb-1',
  resolution: '1080p',
  fps: 24,
  jpegQuality: 0.7,
  mirror: true,
  rotation: 270,
  overlay: true,
  overlayText: 'Door',
};

describe('encodeOptionsFor', () => {
  it('carries the picture settings and idles with no viewers', () => {
    const { fps, jpegQuality, mirror, rotation, overlay, overlayText } = settings;
    const picture = {
      fps,
      jpegQuality,
      mirror,
      rotation,
      overlay,
      overlayText,
      h264BitrateBps: 2_500_000,
    };
    assert.deepEqual(encodeOptionsFor(settings, 0), {
      ...picture,
      isIdle: true,
      videoConsumers: 0,
      isJpegIdle: true,
    });
    assert.deepEqual(encodeOptionsFor(settings, 3), {
      ...picture,
      isIdle: false,
      videoConsumers: 0,
      isJpegIdle: false,
    });
  });

  it('carries the H.264 bitrate setting in bit/s: 2.5 Mbit/s when absent, clamped to its range', () => {
    assert.equal(
      encodeOptionsFor({ ...settings, h264BitrateMbps: 4 }, 1).h264BitrateBps,
      4_000_000,
    );
    // A settings file from before the field existed.
    const older: Settings = { ...settings };
    Reflect.deleteProperty(older, 'h264BitrateMbps');
    assert.equal(encodeOptionsFor(older, 1).h264BitrateBps, 2_500_000);
    assert.equal(
      encodeOptionsFor({ ...settings, h264BitrateMbps: 80 }, 1).h264BitrateBps,
      8_000_000,
    );
    assert.equal(
      encodeOptionsFor({ ...settings, h264BitrateMbps: 0.1 }, 1).h264BitrateBps,
      500_000,
    );
  });

  it('an H.264 consumer (an RTSP client) is someone watching: no idle mode, and the count goes along', () => {
    const options = encodeOptionsFor(settings, 0, 2);
    assert.equal(options.isIdle, false);
    assert.equal(options.videoConsumers, 2);
    assert.equal(options.isJpegIdle, true, 'but no JPEG viewer: JPEG only for the snapshot');
  });

  it('uses the defaults before main has answered, and clamps out-of-range values', () => {
    const early = encodeOptionsFor(null, 1);
    assert.equal(early.fps, 30);
    assert.equal(early.jpegQuality, 0.8);
    assert.equal(early.rotation, 0);
    assert.equal(early.mirror || early.overlay || early.isIdle, false);
    const wild = encodeOptionsFor({ ...settings, fps: 500, jpegQuality: 0.1 }, 1);
    assert.equal(wild.fps, 60);
    assert.equal(wild.jpegQuality, 0.5);
  });
});

describe('cameraRequestFor', () => {
  it('asks for the chosen camera, preset and frame rate', () => {
    assert.deepEqual(cameraRequestFor(settings), {
      cameraId: 'usb-1',
      resolution: '1080p',
      fps: 24,
    });
    assert.deepEqual(cameraRequestFor(null), { cameraId: null, resolution: '720p', fps: 30 });
  });
});
