import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { CaptureStats } from '../../renderer/capture-stats.ts';
import { formatDuration, formatKb, formatMbps } from '../../renderer/format.ts';
import { overlayText } from '../../renderer/shared/overlay-text.ts';
import { clampFps, clampQuality, parsePort } from '../../renderer/setting-inputs.ts';
import { viewerModeText } from '../../renderer/viewer-mode.ts';

describe('capture stats', () => {
  it('reports fps, encode time and bytes over the window', () => {
    const stats = new CaptureStats(2000);
    for (let i = 0; i < 60; i += 1) stats.record(1000 + i * 33.3, 8 + (i % 2), 90_000);
    const snap = stats.snapshot(2999);
    assert.equal(Math.round(snap.fps), 30);
    assert.equal(snap.encodeMsAvg, 8.5);
    assert.equal(snap.encodeMsP95, 9);
    assert.equal(snap.bytesPerFrame, 90_000);
    assert.equal(stats.snapshot(10_000).fps, 0);
  });
});

describe('settings limits', () => {
  it('clamps fps and quality to the offered ranges', () => {
    assert.equal(clampFps(2), 5);
    assert.equal(clampFps(120), 60);
    assert.equal(clampFps(Number.NaN), 30);
    assert.equal(clampQuality(0.1), 0.5);
    assert.equal(clampQuality(1), 0.95);
    assert.equal(clampQuality(0.8000001), 0.8);
  });

  it('accepts a whole port number from 1024 to 65535 and explains anything else', () => {
    assert.deepEqual(parsePort(' 8081 '), { ok: true, port: 8081 });
    assert.deepEqual(parsePort('1024'), { ok: true, port: 1024 });
    assert.deepEqual(parsePort('65535'), { ok: true, port: 65_535 });
    for (const bad of ['', '80', '1023', '65536', '8080.5', '1e4', '-8080', 'abc', '0x1f90']) {
      const parsed = parsePort(bad);
      assert.equal(parsed.ok, false, bad);
      assert.match(parsed.message, /1024 to 65535/);
    }
  });
});

describe('overlay text and formatting', () => {
  it('formats the overlay in local time', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    assert.equal(overlayText('  Workshop ', at), 'Workshop · 2026-01-02 03:04:05');
    assert.equal(overlayText('', at), '2026-01-02 03:04:05');
  });

  it('formats stats numbers', () => {
    assert.equal(formatKb(92_160), '90.0');
    assert.equal(formatKb(204_800), '200');
    assert.equal(formatMbps(21.6), '22');
    assert.equal(formatMbps(2.16), '2.2');
    assert.equal(formatDuration(65_000), '1 min 5 s');
    assert.equal(formatDuration(3_725_000), '1 h 2 min');
  });
});

test('viewerModeText names how each viewer watches', () => {
  assert.equal(viewerModeText({ protocol: 'rtsp', codec: 'h264' }), 'RTSP · H.264');
  assert.equal(viewerModeText({ protocol: 'websocket', codec: 'h264' }), 'viewer page · H.264');
  assert.equal(viewerModeText({ protocol: 'websocket', codec: 'jpeg' }), 'viewer page');
  assert.equal(viewerModeText({ protocol: 'mjpeg', codec: 'jpeg' }), 'MJPEG stream');
});
