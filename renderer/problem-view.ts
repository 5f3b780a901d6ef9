// Which problem the control window shows, if any: the camera's own first, then main's broadcast error (pure).
import type { AppError, BroadcastStatus } from '../electron/ipc.ts';
import type { LocalCamera } from './broadcast-view.ts';
import { cameraEndedProblem, type CameraProblem } from './camera-errors.ts';

export interface ProblemView {
  readonly problem: CameraProblem | null;
  /** True when the problem is the camera's (its "Try again" reopens the camera). */
  readonly isCameraProblem: boolean;
}

/** Main's error, in the shape the problem box shows. */
export function broadcastProblem(title: string, error: AppError): CameraProblem {
  return { code: error.code, title, detail: error.message, steps: [] };
}

export function problemView(camera: LocalCamera, status: BroadcastStatus): ProblemView {
  if (camera.kind === 'failed') return { problem: camera.problem, isCameraProblem: true };
  if (camera.kind === 'ended') return { problem: cameraEndedProblem, isCameraProblem: true };
  return {
    problem: status.error ? broadcastProblem('Broadcast problem', status.error) : null,
    isCameraProblem: false,
  };
}
