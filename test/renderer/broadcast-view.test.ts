import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BroadcastStatus } from '../../electron/ipc.ts';
import { broadcastView, cameraShouldRun } from '../../renderer/broadcast-view.ts';
import { describeCameraError } from '../../renderer/camera-errors.ts';
import { offStatus as off } from '../../renderer/initial-status.ts';

const live: BroadcastStatus = { ...off, state: 'live', port: 8080, viewerCount: 2 };
const running = { kind: 'running', label: 'Cam' } as const;

describe('broadcast view', () => {
  it('is off with a start button when nothing runs', () => {
    assert.deepEqual(broadcastView(off, { kind: 'off' }, false), {
      state: 'off',
      label: 'Off',
      action: 'start',
      isActionBusy: false,
    });
  });

  it('is starting while the camera opens or the start request is pending', () => {
    assert.equal(broadcastView(off, { kind: 'opening' }, true).state, 'starting');
    assert.equal(broadcastView(off, running, true).state, 'starting');
    assert.equal(broadcastView(off, { kind: 'opening' }, true).action, 'stop');
  });

  it('is live with viewers, and says so when nobody watches', () => {
    assert.equal(
      broadcastView({ ...live, viewerCount: 2 }, running, false).label,
      'Live · 2 watching',
    );
    assert.equal(
      broadcastView({ ...live, viewerCount: 0 }, running, false).label,
      'Live · nobody watching',
    );
  });

  it('is paused when the camera ended during a broadcast', () => {
    const view = broadcastView(live, { kind: 'ended' }, false);
    assert.equal(view.state, 'paused');
    assert.equal(view.action, 'stop');
  });

  it('is an error when the camera failed', () => {
    const problem = describeCameraError({ name: 'NotAllowedError' }, 'linux');
    const view = broadcastView(off, { kind: 'failed', problem }, false);
    assert.equal(view.state, 'error');
    assert.equal(view.action, 'start');
  });

  it('offers Stop while it waits for a busy camera, so the user can end the waiting', () => {
    const problem = describeCameraError({ name: 'NotReadableError' }, 'windows');
    const view = broadcastView(off, { kind: 'failed', problem }, false);
    assert.equal(view.state, 'error');
    assert.equal(view.action, 'stop');
  });

  it('runs the camera exactly while main broadcasts', () => {
    assert.deepEqual(
      (['off', 'starting', 'live', 'paused', 'error'] as const).map(cameraShouldRun),
      [false, true, true, true, false],
    );
  });
});
