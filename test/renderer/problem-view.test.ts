// renderer/problem-view.ts: the camera's problem wins over main's error; each problem offers only the action
// that fixes it; a port fallback while live is a note, not an error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BroadcastStatus } from '../../electron/ipc.ts';
import { cameraEndedProblem } from '../../renderer/camera-errors.ts';
import { offStatus } from '../../renderer/initial-status.ts';
import { broadcastProblem, problemView } from '../../renderer/problem-view.ts';

const portBusy: BroadcastStatus = {
  ...offStatus,
  state: 'error',
  error: { code: 'port-in-use', message: 'Port 8080 is in use' },
};
const blocked = { code: 'NotAllowedError', title: 'Blocked', detail: 'd', steps: ['a'] };

describe('problemView', () => {
  it('shows nothing when all is well', () => {
    assert.deepEqual(problemView({ kind: 'running', label: 'Cam' }, offStatus, false), {
      problem: null,
      fix: null,
      note: null,
    });
  });

  it('a blocked camera offers Try again (after the steps); an unplugged one offers nothing', () => {
    assert.deepEqual(problemView({ kind: 'failed', problem: blocked }, portBusy, true), {
      problem: blocked,
      fix: 'retry',
      note: null,
    });
    assert.deepEqual(problemView({ kind: 'ended' }, { ...offStatus, state: 'paused' }, true), {
      problem: cameraEndedProblem,
      fix: null,
      note: null,
    });
  });

  it('a busy fixed port offers the automatic port, never a retry', () => {
    const view = problemView({ kind: 'off' }, portBusy, true);
    assert.deepEqual(view.problem, {
      code: 'port-in-use',
      title: 'Broadcast problem',
      detail: 'Port 8080 is in use',
      steps: [],
    });
    assert.equal(view.fix, 'use-automatic-port');
    // The start failure as the controller records it (on the camera) gets the same fix.
    const failed = broadcastProblem('The broadcast could not start', {
      code: 'port-in-use',
      message: 'x',
    });
    assert.equal(
      problemView({ kind: 'failed', problem: failed }, offStatus, true).fix,
      'use-automatic-port',
    );
    // Already automatic, or an internal error: no button that would fail the same way.
    assert.equal(problemView({ kind: 'off' }, portBusy, false).fix, null);
    const internal = {
      ...offStatus,
      state: 'error',
      error: { code: 'internal', message: 'x' },
    } as const;
    assert.equal(problemView({ kind: 'off' }, internal, true).fix, null);
  });

  it('a port fallback while live is a neutral note, not a problem', () => {
    const fallback: BroadcastStatus = {
      ...offStatus,
      state: 'live',
      port: 8081,
      error: { code: 'port-in-use', message: 'Port 8080 was busy, so LanCam uses port 8081.' },
    };
    assert.deepEqual(problemView({ kind: 'running', label: 'Cam' }, fallback, false), {
      problem: null,
      fix: null,
      note: 'Port 8080 was busy, so LanCam uses port 8081.',
    });
  });
});
