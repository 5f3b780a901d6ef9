// Which problem the control window shows, if any, and the one action that fixes it (pure): the camera's own
// problem first, then main's broadcast error. A live broadcast's warning (port fallback) is a neutral note.
import type { AppError, BroadcastStatus, ErrorCode } from '../electron/ipc.ts';
import type { LocalCamera } from './broadcast-view.ts';
import { cameraEndedProblem, type CameraProblem } from './camera-errors.ts';

/**
 * 'retry': try the camera again (after the steps shown, e.g. allowing access); 'use-automatic-port': switch
 * to the automatic port and start. No fix: nothing the window can do (the unplugged camera resumes by itself).
 */
export type ProblemFix = 'retry' | 'use-automatic-port';

export interface ProblemView {
  readonly problem: CameraProblem | null;
  readonly fix: ProblemFix | null;
  /** A neutral note, not an error: e.g. "Port 8080 was busy, so LanCam uses port 8081." */
  readonly note: string | null;
}

/** Main's error, in the shape the problem box shows. */
export function broadcastProblem(title: string, error: AppError): CameraProblem {
  return { code: error.code, title, detail: error.message, steps: [] };
}

const portCodes: ReadonlySet<string> = new Set<ErrorCode>(['port-in-use', 'listen-failed']);
const broadcastCodes: ReadonlySet<string> = new Set<ErrorCode>([
  'port-in-use',
  'listen-failed',
  'not-running',
  'invalid-argument',
  'invalid-url',
  'internal',
]);

/** The fix for a problem: retrying a broadcast error would fail the same way, so it never offers that. */
function fixFor(problem: CameraProblem, isPortFixed: boolean): ProblemFix | null {
  if (problem.code === cameraEndedProblem.code) return null;
  if (portCodes.has(problem.code)) return isPortFixed ? 'use-automatic-port' : null;
  if (broadcastCodes.has(problem.code)) return null;
  return 'retry';
}

export function problemView(
  camera: LocalCamera,
  status: BroadcastStatus,
  isPortFixed: boolean,
): ProblemView {
  const isRunning = status.state === 'live' || status.state === 'paused';
  const note = isRunning && status.error ? status.error.message : null;
  let problem: CameraProblem | null = null;
  if (camera.kind === 'failed') problem = camera.problem;
  else if (camera.kind === 'ended') problem = cameraEndedProblem;
  else if (!isRunning && status.error)
    problem = broadcastProblem('Broadcast problem', status.error);
  return { problem, fix: problem ? fixFor(problem, isPortFixed) : null, note };
}
