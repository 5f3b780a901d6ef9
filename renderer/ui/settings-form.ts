// The camera settings form: fills itself from Settings and the camera list, reports each change as a patch.
import type { ResolutionPreset, Rotation, Settings } from '../../electron/ipc.ts';
import { PRESET_LABELS } from '../camera-constraints.ts';
import type { CameraDevice } from '../camera-devices.ts';
import {
  fpsRange,
  h264BitrateRange,
  jpegQualityRange,
  overlayTextMaxLength,
  resolutionPresets,
  rotations,
} from '../../electron/settings-limits.ts';
import { clampBitrateMbps, clampFps, clampQuality } from '../setting-inputs.ts';
import { byId } from './dom.ts';

const presets: readonly ResolutionPreset[] = resolutionPresets;

function isPreset(value: string): value is ResolutionPreset {
  return (presets as readonly string[]).includes(value);
}

function toRotation(value: string): Rotation {
  return rotations.find((rotation) => String(rotation) === value) ?? 0;
}

export class SettingsForm {
  readonly #camera = byId('camera', HTMLSelectElement);
  readonly #resolution = byId('resolution', HTMLSelectElement);
  readonly #rotation = byId('rotation', HTMLSelectElement);
  readonly #fps = byId('fps', HTMLInputElement);
  readonly #fpsValue = byId('fps-value', HTMLOutputElement);
  readonly #quality = byId('quality', HTMLInputElement);
  readonly #qualityValue = byId('quality-value', HTMLOutputElement);
  readonly #bitrate = byId('bitrate', HTMLInputElement);
  readonly #bitrateValue = byId('bitrate-value', HTMLOutputElement);
  readonly #mirror = byId('mirror', HTMLInputElement);
  readonly #overlay = byId('overlay', HTMLInputElement);
  readonly #overlayText = byId('overlay-text', HTMLInputElement);
  readonly #overlayField = byId('overlay-text-field', HTMLElement);
  #cameraId: string | null = null;

  constructor(onChange: (patch: Partial<Settings>) => void) {
    this.#fps.min = String(fpsRange.min);
    this.#fps.max = String(fpsRange.max);
    this.#quality.min = String(jpegQualityRange.min);
    this.#quality.max = String(jpegQualityRange.max);
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
    // Sliders: show the value while dragging, apply on release (one settings write, not fifty).
    this.#fps.addEventListener('input', () => {
      this.#fpsValue.value = String(clampFps(this.#fps.valueAsNumber));
    });
    this.#fps.addEventListener('change', () => {
      onChange({ fps: clampFps(this.#fps.valueAsNumber) });
    });
    this.#quality.addEventListener('input', () => {
      this.#qualityValue.value = clampQuality(this.#quality.valueAsNumber).toFixed(2);
    });
    this.#quality.addEventListener('change', () => {
      onChange({ jpegQuality: clampQuality(this.#quality.valueAsNumber) });
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
    const fps = clampFps(settings.fps);
    this.#fps.valueAsNumber = fps;
    this.#fpsValue.value = String(fps);
    const quality = clampQuality(settings.jpegQuality);
    this.#quality.valueAsNumber = quality;
    this.#qualityValue.value = quality.toFixed(2);
    const bitrate = clampBitrateMbps(settings.h264BitrateMbps ?? Number.NaN);
    this.#bitrate.valueAsNumber = bitrate;
    this.#bitrateValue.value = bitrate.toFixed(1);
    this.#mirror.checked = settings.mirror;
    this.#overlay.checked = settings.overlay;
    this.#overlayField.hidden = !settings.overlay;
    if (document.activeElement !== this.#overlayText)
      this.#overlayText.value = settings.overlayText;
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
