// The camera settings form: fills itself from Settings and the camera list, reports each change as a patch.
import type { ResolutionPreset, Rotation, Settings } from '../../electron/ipc.ts';
import { PRESET_LABELS, PRESET_SIZES } from '../camera-constraints.ts';
import type { CameraDevice } from '../camera-devices.ts';
import type { Size } from '../shared/frame-geometry.ts';
import {
  estimateMbpsPerViewer,
  formatEstimate,
  qualityLabels,
  qualityLevelOf,
  qualityLevels,
  qualityValues,
  type QualityLevel,
} from '../quality-levels.ts';
import {
  fpsRange,
  h264BitrateRange,
  overlayTextMaxLength,
  resolutionPresets,
  rotations,
} from '../../electron/settings-limits.ts';
import { clampBitrateMbps, clampFps } from '../setting-inputs.ts';
import { byId } from './dom.ts';

const presets: readonly ResolutionPreset[] = resolutionPresets;

function isPreset(value: string): value is ResolutionPreset {
  return (presets as readonly string[]).includes(value);
}

/** Frame-rate presets, in people's words; a saved rate outside them is listed too, so it is not lost. */
export const fpsPresets: readonly (readonly [number, string])[] = [
  [5, '5 fps (saves bandwidth)'],
  [10, '10 fps'],
  [15, '15 fps'],
  [24, '24 fps (film)'],
  [30, '30 fps (smooth)'],
  [60, '60 fps (very smooth)'],
];

function isQualityLevel(value: string): value is QualityLevel {
  return (qualityLevels as readonly string[]).includes(value);
}

function toRotation(value: string): Rotation {
  return rotations.find((rotation) => String(rotation) === value) ?? 0;
}

export class SettingsForm {
  readonly #camera = byId('camera', HTMLSelectElement);
  readonly #resolution = byId('resolution', HTMLSelectElement);
  readonly #rotation = byId('rotation', HTMLSelectElement);
  readonly #fps = byId('fps', HTMLSelectElement);
  readonly #quality = byId('quality', HTMLSelectElement);
  readonly #estimate = byId('quality-estimate', HTMLElement);
  readonly #bitrate = byId('bitrate', HTMLInputElement);
  readonly #bitrateValue = byId('bitrate-value', HTMLOutputElement);
  readonly #mirror = byId('mirror', HTMLInputElement);
  readonly #overlay = byId('overlay', HTMLInputElement);
  readonly #overlayText = byId('overlay-text', HTMLInputElement);
  readonly #overlayField = byId('overlay-text-field', HTMLElement);
  #cameraId: string | null = null;
  #settings: Settings | null = null;
  /** The encoded size while the camera runs; before that the resolution preset stands in. */
  #outputSize: Size | null = null;

  constructor(onChange: (patch: Partial<Settings>) => void) {
    this.#quality.replaceChildren(
      ...qualityLevels.map((level) => new Option(qualityLabels[level], level)),
    );
    this.#bitrate.min = String(h264BitrateRange.min);
    this.#bitrate.max = String(h264BitrateRange.max);
    this.#overlayText.maxLength = overlayTextMaxLength;
    this.#resolution.replaceChildren(
      ...presets.map((preset) => new Option(PRESET_LABELS[preset], preset)),
    );
    byId('settings', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
    });
    this.#camera.addEventListener('change', () => {
      this.#cameraId = this.#camera.value || null;
      onChange({ cameraId: this.#cameraId });
    });
    this.#resolution.addEventListener('change', () => {
      if (isPreset(this.#resolution.value)) onChange({ resolution: this.#resolution.value });
    });
    this.#rotation.addEventListener('change', () => {
      onChange({ rotation: toRotation(this.#rotation.value) });
    });
    this.#fps.addEventListener('change', () => {
      onChange({ fps: clampFps(Number(this.#fps.value)) });
    });
    this.#quality.addEventListener('change', () => {
      const level = this.#quality.value;
      if (isQualityLevel(level)) onChange({ jpegQuality: qualityValues[level] });
    });
    this.#bitrate.addEventListener('input', () => {
      this.#bitrateValue.value = clampBitrateMbps(this.#bitrate.valueAsNumber).toFixed(1);
    });
    this.#bitrate.addEventListener('change', () => {
      onChange({ h264BitrateMbps: clampBitrateMbps(this.#bitrate.valueAsNumber) });
    });
    this.#mirror.addEventListener('change', () => {
      onChange({ mirror: this.#mirror.checked });
    });
    this.#overlay.addEventListener('change', () => {
      this.#overlayField.hidden = !this.#overlay.checked;
      onChange({ overlay: this.#overlay.checked });
    });
    this.#overlayText.addEventListener('change', () => {
      onChange({ overlayText: this.#overlayText.value.trim() });
    });
  }

  render(settings: Settings): void {
    this.#cameraId = settings.cameraId;
    this.#selectCamera();
    this.#resolution.value = settings.resolution;
    this.#rotation.value = String(settings.rotation);
    this.#settings = settings;
    this.#renderFps(clampFps(settings.fps));
    this.#quality.value = qualityLevelOf(settings.jpegQuality);
    this.#renderEstimate();
    const bitrate = clampBitrateMbps(settings.h264BitrateMbps ?? Number.NaN);
    this.#bitrate.valueAsNumber = bitrate;
    this.#bitrateValue.value = bitrate.toFixed(1);
    this.#mirror.checked = settings.mirror;
    this.#overlay.checked = settings.overlay;
    this.#overlayField.hidden = !settings.overlay;
    if (document.activeElement !== this.#overlayText)
      this.#overlayText.value = settings.overlayText;
  }

  /** The size frames are encoded at (null when the camera is off), for the bandwidth estimate. */
  setOutputSize(size: Size | null): void {
    if (size?.width === this.#outputSize?.width && size?.height === this.#outputSize?.height)
      return;
    this.#outputSize = size;
    this.#renderEstimate();
  }

  #renderFps(fps: number): void {
    const options = fpsPresets
      .filter(([value]) => value >= fpsRange.min && value <= fpsRange.max)
      .map(([value, label]) => new Option(label, String(value)));
    if (!fpsPresets.some(([value]) => value === fps)) {
      options.push(new Option(`${fps} fps (your setting)`, String(fps)));
      options.sort((a, b) => Number(a.value) - Number(b.value));
    }
    this.#fps.replaceChildren(...options);
    this.#fps.value = String(fps);
  }

  #renderEstimate(): void {
    const settings = this.#settings;
    if (!settings) return;
    const size = this.#outputSize ?? PRESET_SIZES[settings.resolution];
    const level = qualityLevelOf(settings.jpegQuality);
    const mbps = estimateMbpsPerViewer(size.width, size.height, clampFps(settings.fps), level);
    this.#estimate.textContent = formatEstimate(mbps);
  }

  setCameras(cameras: readonly CameraDevice[]): void {
    const options = [new Option('System default camera', '')];
    for (const camera of cameras) options.push(new Option(camera.label, camera.deviceId));
    // A saved camera that is unplugged stays listed, so the choice is not silently lost.
    if (this.#cameraId && !cameras.some((camera) => camera.deviceId === this.#cameraId)) {
      options.push(new Option('Saved camera (not connected)', this.#cameraId));
    }
    this.#camera.replaceChildren(...options);
    this.#selectCamera();
  }

  #selectCamera(): void {
    this.#camera.value = this.#cameraId ?? '';
  }
}
