// What the control window shows, derived from main's status and the local camera state (pure).
import type { BroadcastState, BroadcastStatus } from '../electron/ipc.ts';
import type { CameraProblem } from './camera-errors.ts';

/** The local camera as the control window knows it. */
export type LocalCamera =
  | { readonly kind: 'off' }
  | { readonly kind: 'opening' }
  | { readonly kind: 'running'; readonly label: string }
  | { readonly kind: 'ended' }
  | { readonly kind: 'failed'; readonly problem: CameraProblem };

export interface BroadcastView {
  readonly state: BroadcastState;
  readonly label: string;
  /** The big button: start when nothing runs, stop otherwise. */
  readonly action: 'start' | 'stop';
  readonly isActionBusy: boolean;
}

const labels: Readonly<Record<BroadcastState, string>> = {
  off: 'Off',
  starting: 'Starting…',
  live: 'Live',
  paused: 'Paused',
  error: 'Error',
};

/** The LIVE marker says how many watch, in words. */
function liveLabel(viewerCount: number): string {
  if (viewerCount === 0) return 'Live · nobody watching';
  return `Live · ${viewerCount} watching`;
}

export function broadcastView(
  status: BroadcastStatus,
  camera: LocalCamera,
  isRequestPending: boolean,
): BroadcastView {
  let state: BroadcastState = status.state;
  if (camera.kind === 'failed') state = 'error';
  else if (camera.kind === 'ended' && status.state !== 'off') state = 'paused';
  else if (camera.kind === 'opening' || (isRequestPending && status.state === 'off'))
    state = 'starting';
  else if (status.state === 'live' && camera.kind !== 'running') state = 'starting';
  // Waiting for a busy camera counts as running, so the big button offers Stop (which ends the waiting).
  const isWaitingForCamera = camera.kind === 'failed' && camera.problem.isRetriedAutomatically;
  const isRunning =
    status.state !== 'off' ||
    camera.kind === 'opening' ||
    camera.kind === 'running' ||
    isWaitingForCamera === true;
  return {
    state,
    label: state === 'live' ? liveLabel(status.viewerCount) : labels[state],
    action: isRunning ? 'stop' : 'start',
    isActionBusy: isRequestPending,
  };
}

/** Main's broadcast went from off to running (or back): the camera must follow. */
export function cameraShouldRun(state: BroadcastState): boolean {
  return state === 'starting' || state === 'live' || state === 'paused';
}
