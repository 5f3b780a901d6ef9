// Screens and windows as a source: which ids are screens, what getDisplayMedia is asked for, and the picker list
// (cameras first, then the screens and windows main reports).
import type { LanCamApi, ScreenSource } from '../electron/ipc.ts';
import { PRESET_SIZES, type CameraRequest } from './camera-constraints.ts';
import type { CameraDevice } from './camera-devices.ts';

/** Electron's desktopCapturer ids; a camera deviceId never looks like this (it is a hex hash). */
export function isScreenSourceId(id: string | null): boolean {
  return id !== null && /^(screen|window):/.test(id);
}

export function screenPickerEntry(source: ScreenSource): CameraDevice {
  return {
    deviceId: source.id,
    label: `${source.kind === 'screen' ? 'Screen' : 'Window'}: ${source.name}`,
  };
}

/**
 * getDisplayMedia options for a preset: a screen is scaled down to fit the preset (never up), keeping its
 * aspect ratio; "max" takes it at full size. No audio (not designed yet).
 */
export function displayMediaOptions(request: CameraRequest): DisplayMediaStreamOptions {
  const video: MediaTrackConstraints = { frameRate: { max: request.fps } };
  if (request.resolution !== 'max') {
    const size = PRESET_SIZES[request.resolution];
    video.width = { max: size.width };
    video.height = { max: size.height };
  }
  return { video, audio: false };
}

/** Tells main which screen or window the next getDisplayMedia() gets; throws like getUserMedia would. */
export async function chooseScreenSource(
  api: Pick<LanCamApi, 'chooseScreenSource'>,
  id: string,
): Promise<void> {
  const result = await api.chooseScreenSource(id);
  if (!result.ok) throw new DOMException(result.message, 'NotFoundError');
}

/** The picker's list: cameras (hot-plug) plus screens and windows (refreshed when the window gets focus). */
export class SourceList {
  readonly #api: LanCamApi;
  readonly #onChange: (sources: readonly CameraDevice[]) => void;
  #cameras: readonly CameraDevice[] = [];
  #screens: readonly CameraDevice[] = [];

  constructor(api: LanCamApi, onChange: (sources: readonly CameraDevice[]) => void) {
    this.#api = api;
    this.#onChange = onChange;
    // Windows open and close all the time; coming back to LanCam is when the user may want the new one.
    window.addEventListener('focus', () => void this.refreshScreens());
  }

  setCameras(cameras: readonly CameraDevice[]): void {
    this.#cameras = cameras;
    this.#emit();
  }

  async refreshScreens(): Promise<void> {
    const result = await this.#api.listScreenSources().catch(() => null);
    // No screens (not available here, or listing failed): the picker simply shows cameras only.
    this.#screens = result?.ok ? result.value.map(screenPickerEntry) : [];
    this.#emit();
  }

  #emit(): void {
    this.#onChange([...this.#cameras, ...this.#screens]);
  }
}
