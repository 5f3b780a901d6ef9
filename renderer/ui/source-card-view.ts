// One extra source's card: its preview, state, figures and link with Copy, Remove, and its own settings
// folded under "Settings". Built in code (one per source); reports each change as a patch.
import type {
  ResolutionPreset,
  Rotation,
  SourceSettings,
  SourceSettingsPatch,
} from '../../electron/ipc.ts';
import {
  fpsRange,
  overlayTextMaxLength,
  resolutionPresets,
  rotations,
  sourceNameMaxLength,
} from '../../electron/settings-limits.ts';
import { PRESET_LABELS } from '../camera-constraints.ts';
import { qualityLabels, qualityLevelOf, qualityLevels, qualityValues } from '../quality-levels.ts';
import { clampFps } from '../setting-inputs.ts';
import { maskKeyInUrl } from '../share-lines.ts';
import type { SourceCardState } from '../source-card-state.ts';
import { pickerLabel, sourceLabel, type PickerEntry } from '../source-rules.ts';
import { copyButton, element } from './dom.ts';
import { fpsPresets } from './settings-form.ts';

export interface SourceCardHandlers {
  readonly change: (patch: SourceSettingsPatch) => void;
  readonly remove: () => void;
  readonly copyLink: () => Promise<boolean>;
  readonly retry: () => void;
}

function labelled(text: string, control: HTMLElement, className = 'field'): HTMLLabelElement {
  return element('label', { className }, [element('span', { text }), control]);
}

function checkbox(text: string, input: HTMLInputElement): HTMLLabelElement {
  input.type = 'checkbox';
  return element('label', { className: 'check' }, [input, document.createTextNode(` ${text}`)]);
}

export class SourceCardView {
  readonly element: HTMLElement;
  readonly preview: HTMLVideoElement;
  readonly #id: number;
  readonly #heading: HTMLHeadingElement;
  readonly #state = element('p', { className: 'state source-state' });
  readonly #stateLabel = element('span');
  readonly #figures = element('p', { className: 'source-figures' });
  readonly #link = element('code');
  readonly #linkRow: HTMLElement;
  readonly #message = element('div', { className: 'message' });
  readonly #messageTitle = element('p', { className: 'message-title' });
  readonly #messageDetail = element('p', { className: 'message-detail' });
  readonly #messageSteps = element('ol', { className: 'message-steps' });
  readonly #retry = element('button', { className: 'button small', text: 'Try again' });
  readonly #name = element('input');
  readonly #camera = element('select');
  readonly #resolution = element('select');
  readonly #rotation = element('select');
  readonly #fps = element('select');
  readonly #quality = element('select');
  readonly #mirror = element('input');
  readonly #overlay = element('input');
  readonly #overlayText = element('input');
  readonly #overlayField: HTMLLabelElement;
  #cameraId: string | null = null;
  #entries: readonly PickerEntry[] = [];
  #camerasSignature = '';

  constructor(id: number, handlers: SourceCardHandlers) {
    this.#id = id;
    const headingId = `source-${String(id)}-heading`;
    this.#heading = element('h3', { className: 'source-title' });
    this.#heading.id = headingId;
    this.preview = element('video', { className: 'source-preview' });
    this.preview.muted = true;
    this.preview.autoplay = true;
    this.preview.playsInline = true;
    this.preview.setAttribute('aria-label', `Preview of source ${String(id)}`);

    this.#state.setAttribute('role', 'status');
    this.#state.append(element('span', { className: 'state-dot' }), this.#stateLabel);
    const remove = element('button', { className: 'button small danger', text: 'Remove' });
    remove.type = 'button';
    remove.setAttribute('aria-label', `Remove source ${String(id)}`);
    remove.addEventListener('click', handlers.remove);

    this.#linkRow = element('div', { className: 'source-link' }, [
      this.#link,
      // No aria-label: the button says "Copied" for a moment, and the card's heading names the source.
      copyButton('Copy link', handlers.copyLink),
    ]);
    this.#retry.type = 'button';
    this.#retry.addEventListener('click', handlers.retry);
    this.#message.setAttribute('role', 'alert');
    this.#message.append(this.#messageTitle, this.#messageDetail, this.#messageSteps, this.#retry);
    this.#message.hidden = true;

    this.#overlayField = this.#buildControls(handlers.change);
    const form = element('form', { className: 'settings' }, [
      labelled('Name', this.#name, 'field wide'),
      labelled('Camera', this.#camera, 'field wide'),
      labelled('Resolution', this.#resolution),
      labelled('Rotation', this.#rotation),
      labelled('Frame rate', this.#fps),
      labelled('Quality', this.#quality),
      checkbox('Mirror', this.#mirror),
      checkbox('Time & name overlay', this.#overlay),
      this.#overlayField,
    ]);
    form.autocomplete = 'off';
    form.addEventListener('submit', (event) => {
      event.preventDefault();
    });

    this.element = element('article', { className: 'card source-card' }, [
      element('div', { className: 'card-head' }, [this.#heading, this.#state, remove]),
      element('div', { className: 'source-body' }, [
        element('div', { className: 'source-preview-box' }, [this.preview]),
        element('div', { className: 'source-info' }, [
          this.#figures,
          this.#linkRow,
          element('p', {
            className: 'hint',
            text: 'MJPEG and the viewer page; RTSP (H.264) is source 1’s.',
          }),
        ]),
      ]),
      this.#message,
      element('details', { className: 'source-settings' }, [
        element('summary', { text: 'Settings' }),
        form,
      ]),
    ]);
    this.element.dataset.sourceId = String(id);
    this.element.setAttribute('aria-labelledby', headingId);
  }

  renderSettings(source: SourceSettings): void {
    this.#heading.textContent = sourceLabel(source.id, source.name);
    if (document.activeElement !== this.#name) this.#name.value = source.name;
    this.#cameraId = source.cameraId;
    this.#renderCameras();
    this.#resolution.value = source.resolution;
    this.#rotation.value = String(source.rotation);
    this.#renderFps(clampFps(source.fps));
    this.#quality.value = qualityLevelOf(source.jpegQuality);
    this.#mirror.checked = source.mirror;
    this.#overlay.checked = source.overlay;
    this.#overlayField.hidden = !source.overlay;
    if (document.activeElement !== this.#overlayText) this.#overlayText.value = source.overlayText;
    // Turned and mirrored as the encoder does (mirror first, then rotate clockwise; frame-geometry.ts).
    const isTurned = source.rotation === 90 || source.rotation === 270;
    this.preview.classList.toggle('turned', isTurned);
    this.preview.style.transform =
      `translate(-50%, -50%) rotate(${String(source.rotation)}deg)` +
      (source.mirror ? ' scaleX(-1)' : '');
  }

  setCameras(entries: readonly PickerEntry[]): void {
    this.#entries = entries;
    this.#renderCameras();
  }

  /** `figures` e.g. "1280×720 · 15 fps"; `url` the viewer page with the key (masked on screen). */
  renderState(state: SourceCardState, figures: string | null, url: string | null): void {
    this.#state.dataset.state = state.state;
    this.#stateLabel.textContent = state.label;
    this.#figures.textContent = figures ?? '';
    this.#figures.hidden = figures === null;
    this.#linkRow.hidden = url === null;
    if (url !== null) this.#link.textContent = maskKeyInUrl(url);
    const problem = state.problem;
    this.#message.hidden = problem === null;
    if (problem === null) return;
    this.#messageTitle.textContent = problem.title;
    this.#messageDetail.textContent = problem.detail;
    this.#messageSteps.replaceChildren(
      ...problem.steps.map((step) => element('li', { text: step })),
    );
    this.#retry.hidden = problem.code === 'ended' || problem.isRetriedAutomatically === true;
  }

  #buildControls(change: (patch: SourceSettingsPatch) => void): HTMLLabelElement {
    const suffix = ` (source ${String(this.#id)})`;
    const name = (control: HTMLElement, text: string): void => {
      control.setAttribute('aria-label', `${text}${suffix}`);
    };
    name(this.#name, 'Name');
    name(this.#camera, 'Camera');
    name(this.#resolution, 'Resolution');
    name(this.#rotation, 'Rotation');
    name(this.#fps, 'Frame rate');
    name(this.#quality, 'Quality');
    name(this.#mirror, 'Mirror');
    name(this.#overlay, 'Time & name overlay');
    name(this.#overlayText, 'Overlay name');
    this.#name.type = 'text';
    this.#name.maxLength = sourceNameMaxLength;
    this.#name.placeholder = `Source ${String(this.#id)}`;
    this.#overlayText.type = 'text';
    this.#overlayText.maxLength = overlayTextMaxLength;
    this.#overlayText.placeholder = 'e.g. Workshop';
    const presets: readonly ResolutionPreset[] = resolutionPresets;
    this.#resolution.replaceChildren(
      ...presets.map((preset) => new Option(PRESET_LABELS[preset], preset)),
    );
    this.#rotation.replaceChildren(
      ...rotations.map((rotation) => new Option(`${String(rotation)}°`, String(rotation))),
    );
    this.#quality.replaceChildren(
      ...qualityLevels.map((level) => new Option(qualityLabels[level], level)),
    );

    this.#name.addEventListener('change', () => {
      change({ name: this.#name.value.trim() });
    });
    this.#camera.addEventListener('change', () => {
      this.#cameraId = this.#camera.value || null;
      change({ cameraId: this.#cameraId });
    });
    this.#resolution.addEventListener('change', () => {
      const preset = presets.find((value) => value === this.#resolution.value);
      if (preset) change({ resolution: preset });
    });
    this.#rotation.addEventListener('change', () => {
      const rotation: Rotation =
        rotations.find((value) => String(value) === this.#rotation.value) ?? 0;
      change({ rotation });
    });
    this.#fps.addEventListener('change', () => {
      change({ fps: clampFps(Number(this.#fps.value)) });
    });
    this.#quality.addEventListener('change', () => {
      const level = qualityLevels.find((value) => value === this.#quality.value);
      if (level) change({ jpegQuality: qualityValues[level] });
    });
    this.#mirror.addEventListener('change', () => {
      change({ mirror: this.#mirror.checked });
    });
    this.#overlay.addEventListener('change', () => {
      this.#overlayField.hidden = !this.#overlay.checked;
      change({ overlay: this.#overlay.checked });
    });
    this.#overlayText.addEventListener('change', () => {
      change({ overlayText: this.#overlayText.value.trim() });
    });
    return labelled('Overlay name', this.#overlayText, 'field wide');
  }

  #renderFps(fps: number): void {
    const options = fpsPresets
      .filter(([value]) => value >= fpsRange.min && value <= fpsRange.max)
      .map(([value, label]) => new Option(label, String(value)));
    if (!fpsPresets.some(([value]) => value === fps)) {
      options.push(new Option(`${String(fps)} fps (your setting)`, String(fps)));
      options.sort((a, b) => Number(a.value) - Number(b.value));
    }
    this.#fps.replaceChildren(...options);
    this.#fps.value = String(fps);
  }

  #renderCameras(): void {
    // Rebuilt only when something shows differently: a rebuilt <select> under the pointer closes.
    const signature = JSON.stringify([this.#entries, this.#cameraId]);
    if (signature === this.#camerasSignature) return;
    this.#camerasSignature = signature;
    const options = [new Option('System default camera', '')];
    for (const entry of this.#entries) options.push(new Option(pickerLabel(entry), entry.deviceId));
    if (this.#cameraId && !this.#entries.some((entry) => entry.deviceId === this.#cameraId)) {
      options.push(new Option('Saved camera (not connected)', this.#cameraId));
    }
    this.#camera.replaceChildren(...options);
    this.#camera.value = this.#cameraId ?? '';
  }
}
