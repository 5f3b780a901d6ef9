// The "Camera controls" card: shows what the open camera supports, applies changes live, remembers them per
// camera through the settings, and puts the camera's own values back on "Reset to camera defaults".
import type {
  CameraControlName,
  CameraControlValue,
  CameraControlValues,
} from '../../electron/ipc.ts';
import {
  constraintsFor,
  defaultsOf,
  describeControls,
  rememberValues,
  type ControlDescriptor,
  type TrackReport,
} from '../camera-controls.ts';
import { LatestWins } from '../shared/latest-wins.ts';
import { byId, element } from './dom.ts';

type Remembered = Readonly<Record<string, CameraControlValues>>;

export interface CameraControlsHandlers {
  /** Persists the whole remembered map; resolves to main's reason when it refused, else null. */
  save(all: Remembered): Promise<string | null>;
}

/** The open camera as the panel sees it. */
interface Attached {
  readonly track: MediaStreamTrack;
  /** null: a camera without a stable id; changes apply but are not remembered. */
  readonly deviceId: string | null;
  readonly capabilities: TrackReport;
  /** The camera's own values, read before anything remembered was applied. */
  readonly defaults: CameraControlValues;
  /** Values applied since the camera opened, laid over getSettings() (drivers report them late). */
  readonly applied: Partial<Record<CameraControlName, CameraControlValue>>;
}

function report(value: unknown): TrackReport {
  return typeof value === 'object' && value !== null ? (value as TrackReport) : {};
}

function formatNumber(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return value.toFixed(decimals);
}

export class CameraControlsPanel {
  readonly #handlers: CameraControlsHandlers;
  readonly #card = byId('camera-controls', HTMLElement);
  readonly #list = byId('camera-controls-list', HTMLDivElement);
  readonly #reset = byId('camera-controls-reset', HTMLButtonElement);
  readonly #status = byId('camera-controls-status', HTMLParagraphElement);
  #remembered: Remembered = {};
  #attached: Attached | null = null;
  /** Bumped on attach/detach so a slow applyConstraints of an old camera changes nothing. */
  #generation = 0;
  /** Live slider moves: one applyConstraints at a time, only the newest waiting. */
  readonly #live = new LatestWins<{
    readonly name: CameraControlName;
    readonly value: CameraControlValue;
  }>({
    process: async ({ name, value }) => {
      await this.#apply(name, value);
    },
    discard: () => undefined,
    onError: (error) => {
      this.#showStatus(String(error));
    },
  });

  constructor(handlers: CameraControlsHandlers) {
    this.#handlers = handlers;
    this.#reset.addEventListener('click', () => void this.#resetToDefaults());
    this.#card.hidden = true;
  }

  /** The saved map (settings loaded or changed); applied the next time a camera opens. */
  setRemembered(all: Remembered): void {
    this.#remembered = all;
  }

  /** A camera opened: read its defaults, apply what was remembered for it, show its controls. */
  async attach(track: MediaStreamTrack | null, deviceId: string | null): Promise<void> {
    const generation = ++this.#generation;
    this.#attached = null;
    this.#live.clear();
    if (!track || typeof track.getCapabilities !== 'function') {
      this.#render();
      return;
    }
    const capabilities = report(track.getCapabilities());
    const defaults = defaultsOf(capabilities, report(track.getSettings()));
    const attached: Attached = { track, deviceId, capabilities, defaults, applied: {} };
    const remembered = deviceId === null ? undefined : this.#remembered[deviceId];
    let problem: string | null = null;
    if (remembered) {
      const constraints = constraintsFor(capabilities, remembered);
      try {
        if (constraints.advanced.length > 0) await track.applyConstraints(constraints);
        for (const set of constraints.advanced) Object.assign(attached.applied, set);
      } catch (error) {
        problem = `Saved camera settings could not be applied: ${String(error)}`;
      }
    }
    if (generation !== this.#generation) return;
    this.#attached = attached;
    this.#render();
    this.#showStatus(problem);
  }

  /** The camera stopped or went away. */
  detach(): void {
    this.#generation += 1;
    this.#attached = null;
    this.#live.clear();
    this.#render();
  }

  #controls(): ControlDescriptor[] {
    const attached = this.#attached;
    if (!attached) return [];
    const settings = { ...report(attached.track.getSettings()), ...attached.applied };
    return describeControls(attached.capabilities, settings);
  }

  #render(): void {
    const controls = this.#controls();
    this.#card.hidden = controls.length === 0;
    this.#list.replaceChildren(...controls.map((control) => this.#row(control)));
  }

  #row(control: ControlDescriptor): HTMLElement {
    const id = `camera-control-${control.name}`;
    switch (control.kind) {
      case 'range': {
        const output = element('output', {
          text: `${formatNumber(control.value, control.step)}${control.unit ? ` ${control.unit}` : ''}`,
        });
        output.htmlFor.add(id);
        const input = element('input');
        input.type = 'range';
        input.id = id;
        input.min = String(control.min);
        input.max = String(control.max);
        input.step = String(control.step);
        input.value = String(control.value);
        input.disabled = !control.isEnabled;
        input.addEventListener('input', () => {
          const value = input.valueAsNumber;
          output.textContent = `${formatNumber(value, control.step)}${control.unit ? ` ${control.unit}` : ''}`;
          this.#live.offer({ name: control.name, value });
        });
        // Released: remember it (one settings write per drag, not one per pixel).
        input.addEventListener(
          'change',
          () => void this.#commit(control.name, input.valueAsNumber),
        );
        const label = element('label', { className: 'field wide' }, [
          element('span', { text: `${control.label} ` }, [output]),
          input,
        ]);
        if (!control.isEnabled) label.title = 'Switch the mode above to manual to set this.';
        return label;
      }
      case 'choice': {
        const select = element('select');
        select.id = id;
        select.disabled = !control.isEnabled;
        select.append(
          ...control.options.map((option) => {
            const node = element('option', { text: option });
            node.value = option;
            return node;
          }),
        );
        select.value = control.value;
        select.addEventListener('change', () => void this.#commit(control.name, select.value));
        return element('label', { className: 'field' }, [
          element('span', { text: control.label }),
          select,
        ]);
      }
      case 'toggle': {
        const box = element('input');
        box.type = 'checkbox';
        box.id = id;
        box.checked = control.value;
        box.disabled = !control.isEnabled;
        box.addEventListener('change', () => void this.#commit(control.name, box.checked));
        return element('label', { className: 'check' }, [
          box,
          document.createTextNode(` ${control.label}`),
        ]);
      }
    }
  }

  async #apply(name: CameraControlName, value: CameraControlValue): Promise<boolean> {
    const attached = this.#attached;
    if (!attached) return false;
    const generation = this.#generation;
    const constraints = constraintsFor(attached.capabilities, { [name]: value });
    if (constraints.advanced.length === 0) return false;
    try {
      await attached.track.applyConstraints(constraints);
    } catch (error) {
      if (generation === this.#generation)
        this.#showStatus(`The camera refused that: ${String(error)}`);
      return false;
    }
    if (generation !== this.#generation) return false;
    Object.assign(attached.applied, constraints.advanced[0]);
    this.#showStatus(null);
    return true;
  }

  /** A finished change: apply it, remember it for this camera, and redraw (a mode may unlock a value). */
  async #commit(name: CameraControlName, value: CameraControlValue): Promise<void> {
    this.#live.clear();
    const attached = this.#attached;
    if (!(await this.#apply(name, value)) || !attached || attached !== this.#attached) {
      this.#render();
      return;
    }
    this.#render();
    if (attached.deviceId === null) return;
    const values = {
      ...(this.#remembered[attached.deviceId] ?? {}),
      [name]: attached.applied[name],
    };
    await this.#save(rememberValues(this.#remembered, attached.deviceId, values));
  }

  async #resetToDefaults(): Promise<void> {
    const attached = this.#attached;
    if (!attached) return;
    this.#live.clear();
    const constraints = constraintsFor(attached.capabilities, attached.defaults);
    try {
      if (constraints.advanced.length > 0) await attached.track.applyConstraints(constraints);
    } catch (error) {
      this.#showStatus(`The camera refused its defaults: ${String(error)}`);
    }
    if (attached !== this.#attached) return;
    for (const set of constraints.advanced) Object.assign(attached.applied, set);
    this.#render();
    if (attached.deviceId !== null && attached.deviceId in this.#remembered) {
      await this.#save(rememberValues(this.#remembered, attached.deviceId, {}));
    }
  }

  async #save(next: Remembered): Promise<void> {
    const before = this.#remembered;
    this.#remembered = next;
    const refusal = await this.#handlers.save(next);
    if (refusal !== null) {
      this.#remembered = before;
      this.#showStatus(`Camera settings not saved: ${refusal}`);
    }
  }

  #showStatus(text: string | null): void {
    this.#status.hidden = text === null;
    this.#status.textContent = text ?? '';
  }
}
