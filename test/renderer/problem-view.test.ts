// renderer/problem-view.ts: the camera's problem wins over main's error; main's error shows otherwise.
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
    assert.deepEqual(problemView({ kind: 'running', label: 'Cam' }, offStatus), {
      problem: null,
      isCameraProblem: false,
    });
  });

  it('shows a failed or ended camera as the camera problem, even when main has an error', () => {
    assert.deepEqual(problemView({ kind: 'failed', problem: blocked }, portBusy), {
      problem: blocked,
      isCameraProblem: true,
    });
    assert.deepEqual(problemView({ kind: 'ended' }, portBusy), {
      problem: cameraEndedProblem,
      isCameraProblem: true,
    });
  });

  it("shows main's error otherwise, as a broadcast problem", () => {
    assert.deepEqual(problemView({ kind: 'off' }, portBusy), {
      problem: {
        code: 'port-in-use',
        title: 'Broadcast problem',
        detail: 'Port 8080 is in use',
        steps: [],
      },
      isCameraProblem: false,
    });
    assert.deepEqual(broadcastProblem('Could not start', { code: 'internal', message: 'x' }), {
      code: 'internal',
      title: 'Could not start',
      detail: 'x',
      steps: [],
    });
  });
});
