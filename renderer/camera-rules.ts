// When the control window's camera opens, closes or reopens, decided from plain values (pure).
import type { BroadcastState, CaptureSettings } from '../electron/ipc.ts';
import { cameraShouldRun, type LocalCamera } from './broadcast-view.ts';

export type CameraFollow = 'open' | 'stop' | null;

/**
 * Main's state changed without a click here (tray menu, start on launch, a stop elsewhere): the camera
 * follows. A click in this window is still being handled while `isRequestPending`, and it moves the camera
 * itself, so nothing is decided then.
 */
export function cameraFollow(
  previous: BroadcastState,
  next: BroadcastState,
  camera: LocalCamera['kind'],
  isRequestPending: boolean,
): CameraFollow {
  if (isRequestPending) return null;
  const wasRunning = cameraShouldRun(previous);
  const isRunning = cameraShouldRun(next);
  if (isRunning && !wasRunning && camera === 'off') return 'open';
  if (!isRunning && wasRunning && next === 'off') return 'stop';
  return null;
}

/** A camera came back (or a first one was plugged in) while we are meant to broadcast: resume by itself. */
export function shouldResumeCamera(
  camera: LocalCamera,
  cameraCount: number,
  state: BroadcastState,
): boolean {
  const isWaiting =
    camera.kind === 'ended' ||
    (camera.kind === 'failed' && camera.problem.code === 'NotFoundError');
  return isWaiting && cameraCount > 0 && cameraShouldRun(state);
}

/**
 * Changes the open camera cannot take live: another device, another preset, or a frame rate above the one
 * it was opened with (a lower one is only a pacing change in the worker).
 */
export function needsCameraReopen(before: CaptureSettings, after: CaptureSettings): boolean {
  return (
    before.cameraId !== after.cameraId ||
    before.resolution !== after.resolution ||
    before.fps < after.fps
  );
}
