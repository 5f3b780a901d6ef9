import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FramePacer, IDLE_INTERVAL_MS } from '../../renderer/shared/frame-pacer.ts';

/** Feeds frames at `cameraFps` with optional jitter for `seconds`; returns how many the pacer took. */
function taken(
  pacer: FramePacer,
  cameraFps: number,
  seconds: number,
  jitterMs = 0,
  startMs = 0,
): number {
  let count = 0;
  const frames = Math.round(cameraFps * seconds);
  for (let i = 0; i < frames; i += 1) {
    const jitter = jitterMs * Math.sin(i * 12.9898);
    if (pacer.shouldTake(startMs + (i * 1000) / cameraFps + jitter)) count += 1;
  }
  return count;
}

describe('FramePacer', () => {
  it('passes every frame of a jittery 30 fps camera at a 30 fps cap', () => {
    assert.equal(taken(new FramePacer(30), 30, 10, 5), 300);
  });

  it('caps a 60 fps camera at 30', () => {
    const n = taken(new FramePacer(30), 60, 10);
    assert.ok(n >= 299 && n <= 301, String(n));
  });

  it('keeps 20 of 30 camera frames at a 20 fps cap (not 15)', () => {
    const n = taken(new FramePacer(20), 30, 10);
    assert.ok(n >= 198 && n <= 201, String(n));
  });

  it('does not burst to catch up after the source stalls', () => {
    const pacer = new FramePacer(30);
    assert.ok(pacer.shouldTake(0));
    assert.ok(pacer.shouldTake(2000)); // after a 2 s stall
    assert.ok(!pacer.shouldTake(2001));
    assert.ok(!pacer.shouldTake(2010));
  });

  it('takes at most one frame a second while idle', () => {
    const pacer = new FramePacer(30);
    pacer.setIdle(true);
    const n = taken(pacer, 30, 10);
    assert.ok(n <= 10 && n >= 9, String(n));
    assert.equal(pacer.intervalMs, IDLE_INTERVAL_MS);
  });

  it('takes the very next frame when a viewer arrives', () => {
    const pacer = new FramePacer(30);
    pacer.setIdle(true);
    assert.ok(pacer.shouldTake(0));
    assert.ok(!pacer.shouldTake(100));
    pacer.setIdle(false);
    assert.ok(pacer.shouldTake(133));
    assert.ok(pacer.shouldTake(166));
  });

  it('follows an fps change', () => {
    const pacer = new FramePacer(30);
    taken(pacer, 30, 1);
    pacer.setFps(10);
    const n = taken(pacer, 30, 5, 0, 1000);
    assert.ok(n >= 49 && n <= 51, String(n));
  });
});
