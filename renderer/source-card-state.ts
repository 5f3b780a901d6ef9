// What an extra source's card says about itself, from its camera and its slice of main's status (pure).
import type { BroadcastState, SourceSummary } from '../electron/ipc.ts';
import type { LocalCamera } from './broadcast-view.ts';
import type { CameraProblem } from './camera-errors.ts';

export interface SourceCardState {
  /** Drives the dot's colour, like the top bar's state. */
  readonly state: BroadcastState;
  readonly label: string;
  /** A camera problem with its fix, shown under the figures. */
  readonly problem: CameraProblem | null;
}

export function sourceCardState(
  camera: LocalCamera,
  summary: SourceSummary | undefined,
  isBroadcastOn: boolean,
): SourceCardState {
  switch (camera.kind) {
    case 'failed':
      return {
        state: 'error',
        label: camera.problem.isRetriedAutomatically === true ? 'Waiting for the camera' : 'Error',
        problem: camera.problem,
      };
    case 'ended':
      return {
        state: 'paused',
        label: 'Paused · camera lost',
        problem: {
          code: 'ended',
          title: 'The camera stopped (unplugged?)',
          detail:
            'Viewers of this source see "Broadcast paused"; it resumes by itself when the camera is back.',
          steps: [],
        },
      };
    case 'opening':
      return { state: 'starting', label: 'Opening the camera…', problem: null };
    case 'off':
      return {
        state: 'off',
        label: isBroadcastOn ? 'Off' : 'Off · starts with the broadcast',
        problem: null,
      };
    case 'running':
      if (!summary || summary.state === 'starting')
        return { state: 'starting', label: 'Starting…', problem: null };
      if (summary.state === 'paused') return { state: 'paused', label: 'Paused', problem: null };
      return {
        state: 'live',
        label:
          summary.viewerCount === 0
            ? 'Live · nobody watching'
            : `Live · ${String(summary.viewerCount)} watching`,
        problem: null,
      };
  }
}
