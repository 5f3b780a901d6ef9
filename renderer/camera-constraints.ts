// getUserMedia constraints for a preset, the fallback ladder when a camera refuses them, and the "you got less" note.
import type { ResolutionPreset } from '../electron/ipc.ts';

export interface CameraRequest {
  /** null = the system default camera. */
  readonly cameraId: string | null;
  readonly resolution: ResolutionPreset;
  readonly fps: number;
}

export interface CameraMode {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export const PRESET_SIZES: Readonly<Record<ResolutionPreset, { width: number; height: number }>> = {
  '480p': { width: 640, height: 480 },
  '720p': { width: 1280, height: 720 },
  '1080p': { width: 1920, height: 1080 },
  // "Camera max": ask for 4K and let the browser pick the closest (largest) mode the camera has.
  max: { width: 3840, height: 2160 },
};

export const PRESET_LABELS: Readonly<Record<ResolutionPreset, string>> = {
  '480p': '480p',
  '720p': '720p HD',
  '1080p': '1080p Full HD',
  max: 'Camera maximum',
};

/**
 * Attempts in order. Everything but the device is `ideal`, so a camera that cannot do the mode still opens in
 * its nearest one; the device is `exact` so we never silently open another camera — unless that camera has
 * gone (OverconstrainedError on deviceId), which is the last rung: any camera.
 */
export function constraintLadder(request: CameraRequest): MediaStreamConstraints[] {
  const size = PRESET_SIZES[request.resolution];
  const mode: MediaTrackConstraints = {
    width: { ideal: size.width },
    height: { ideal: size.height },
    frameRate: { ideal: request.fps },
  };
  const attempts: MediaStreamConstraints[] = [];
  if (request.cameraId) {
    attempts.push({ audio: false, video: { ...mode, deviceId: { exact: request.cameraId } } });
    attempts.push({ audio: false, video: { deviceId: { exact: request.cameraId } } });
  }
  attempts.push({ audio: false, video: mode });
  attempts.push({ audio: false, video: true });
  return attempts;
}

/** Errors that mean "try the next rung"; anything else (denied, busy) would fail on every rung. */
export function isConstraintError(name: string): boolean {
  return name === 'OverconstrainedError' || name === 'NotFoundError';
}

/** A sentence when the camera gave noticeably less than asked (so the user knows), else null. */
export function describeModeShortfall(request: CameraRequest, actual: CameraMode): string | null {
  const wanted = PRESET_SIZES[request.resolution];
  const notes: string[] = [];
  if (request.resolution !== 'max' && actual.width * actual.height < wanted.width * wanted.height) {
    notes.push(`${actual.width}×${actual.height} instead of ${wanted.width}×${wanted.height}`);
  }
  if (actual.fps > 0 && actual.fps < request.fps - 0.5) {
    notes.push(`${Math.round(actual.fps)} fps instead of ${request.fps}`);
  }
  if (notes.length === 0) return null;
  return `This camera's nearest mode is ${notes.join(' at ')}; LanCam is using that.`;
}
