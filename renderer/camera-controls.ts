// Maps what a camera track reports (getCapabilities + getSettings) to the controls the panel shows, and the
// user's remembered values back to constraints (pure: plain objects in, plain objects out).
import type {
  CameraControlName,
  CameraControlValue,
  CameraControlValues,
} from '../electron/ipc.ts';

/** Capabilities or settings as the track reports them; only the control names are read. */
export type TrackReport = Readonly<Record<string, unknown>>;

interface ControlBase {
  readonly name: CameraControlName;
  readonly label: string;
  /** False while a mode control says the camera decides (e.g. focus distance under continuous focus). */
  readonly isEnabled: boolean;
}

export type ControlDescriptor =
  | (ControlBase & {
      readonly kind: 'range';
      readonly min: number;
      readonly max: number;
      readonly step: number;
      readonly value: number;
      readonly unit: string;
    })
  | (ControlBase & {
      readonly kind: 'choice';
      readonly options: readonly string[];
      readonly value: string;
    })
  | (ControlBase & { readonly kind: 'toggle'; readonly value: boolean });

type Kind = ControlDescriptor['kind'];

interface ControlSpec {
  readonly name: CameraControlName;
  readonly label: string;
  readonly kind: Kind;
  readonly unit?: string;
  /** Only takes effect while this mode control is 'manual' (Image Capture spec, §"focusDistance" etc.). */
  readonly manualUnder?: CameraControlName;
}

/**
 * Display order = apply order: a mode comes before the value it unlocks, so restoring
 * {focusMode: 'manual', focusDistance: 0.3} sets the mode first (w3c/mediacapture-image).
 */
const specs: readonly ControlSpec[] = [
  { name: 'zoom', label: 'Zoom', kind: 'range', unit: '×' },
  { name: 'pan', label: 'Pan', kind: 'range', unit: '°' },
  { name: 'tilt', label: 'Tilt', kind: 'range', unit: '°' },
  { name: 'focusMode', label: 'Focus', kind: 'choice' },
  {
    name: 'focusDistance',
    label: 'Focus distance',
    kind: 'range',
    unit: 'm',
    manualUnder: 'focusMode',
  },
  { name: 'exposureMode', label: 'Exposure', kind: 'choice' },
  { name: 'exposureCompensation', label: 'Exposure compensation', kind: 'range', unit: 'EV' },
  {
    name: 'exposureTime',
    label: 'Exposure time',
    kind: 'range',
    unit: '× 100 µs',
    manualUnder: 'exposureMode',
  },
  { name: 'whiteBalanceMode', label: 'White balance', kind: 'choice' },
  {
    name: 'colorTemperature',
    label: 'Colour temperature',
    kind: 'range',
    unit: 'K',
    manualUnder: 'whiteBalanceMode',
  },
  { name: 'brightness', label: 'Brightness', kind: 'range' },
  { name: 'contrast', label: 'Contrast', kind: 'range' },
  { name: 'saturation', label: 'Saturation', kind: 'range' },
  { name: 'sharpness', label: 'Sharpness', kind: 'range' },
  { name: 'torch', label: 'Torch (light)', kind: 'toggle' },
];

interface Range {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** A MediaSettingsRange worth a slider: finite, min < max; a missing or bad step means "continuous". */
function rangeOf(capability: unknown): Range | null {
  if (!isRecord(capability)) return null;
  const { min, max, step } = capability;
  if (!isFiniteNumber(min) || !isFiniteNumber(max) || !(min < max)) return null;
  const usableStep =
    isFiniteNumber(step) && step > 0 && step <= max - min ? step : (max - min) / 100;
  return { min, max, step: usableStep };
}

/** A mode list worth a picker: at least two distinct modes (one mode leaves nothing to choose). */
function optionsOf(capability: unknown): readonly string[] | null {
  if (!Array.isArray(capability)) return null;
  const modes = [...new Set(capability.filter((m): m is string => typeof m === 'string'))];
  return modes.length >= 2 ? modes : null;
}

/** Clamps into the range and onto its step grid (cameras reject off-grid values on some drivers). */
export function snapToRange(value: number, range: Range): number {
  const clamped = Math.min(range.max, Math.max(range.min, value));
  const steps = Math.round((clamped - range.min) / range.step);
  const snapped = range.min + steps * range.step;
  // Floating-point steps (0.1) must not print as 0.30000000000000004 or creep past max.
  return Math.min(range.max, Number(snapped.toFixed(6)));
}

/**
 * The controls this camera supports, in display order, each with its current value from `settings`
 * (the track's getSettings(), with any values just applied laid over it).
 */
export function describeControls(
  capabilities: TrackReport,
  settings: TrackReport,
): ControlDescriptor[] {
  const controls: ControlDescriptor[] = [];
  for (const spec of specs) {
    const capability = capabilities[spec.name];
    const current = settings[spec.name];
    const manualMode = spec.manualUnder ? settings[spec.manualUnder] : undefined;
    // A value under a mode the camera does not offer as a choice stays usable.
    const isEnabled =
      spec.manualUnder === undefined ||
      optionsOf(capabilities[spec.manualUnder]) === null ||
      manualMode === 'manual';
    const base = { name: spec.name, label: spec.label, isEnabled };
    switch (spec.kind) {
      case 'range': {
        const range = rangeOf(capability);
        if (!range) break;
        const value = snapToRange(isFiniteNumber(current) ? current : range.min, range);
        controls.push({ ...base, kind: 'range', ...range, value, unit: spec.unit ?? '' });
        break;
      }
      case 'choice': {
        const options = optionsOf(capability);
        if (!options) break;
        const value =
          typeof current === 'string' && options.includes(current) ? current : (options[0] ?? '');
        controls.push({ ...base, kind: 'choice', options, value });
        break;
      }
      case 'toggle': {
        // Chromium reports torch support as `torch: true` (a boolean, not a list).
        if (capability !== true) break;
        controls.push({ ...base, kind: 'toggle', value: current === true });
        break;
      }
    }
  }
  return controls;
}

/** A remembered value this camera can take now, fitted to its current range or list; else null. */
export function fitValue(
  capabilities: TrackReport,
  name: CameraControlName,
  value: CameraControlValue,
): CameraControlValue | null {
  const spec = specs.find((s) => s.name === name);
  if (!spec) return null;
  const capability = capabilities[name];
  switch (spec.kind) {
    case 'range': {
      const range = rangeOf(capability);
      return range && isFiniteNumber(value) ? snapToRange(value, range) : null;
    }
    case 'choice':
      return typeof value === 'string' && (optionsOf(capability) ?? []).includes(value)
        ? value
        : null;
    case 'toggle':
      return capability === true && typeof value === 'boolean' ? value : null;
  }
}

/**
 * Constraints for `track.applyConstraints`: one advanced set per control, in apply order, so a value the
 * camera refuses is skipped alone instead of voiding the others (advanced sets are tried one by one).
 * Values the camera cannot take (another camera's, out of range) are left out.
 */
export function constraintsFor(
  capabilities: TrackReport,
  values: CameraControlValues,
): { advanced: Record<string, CameraControlValue>[] } {
  const advanced: Record<string, CameraControlValue>[] = [];
  for (const spec of specs) {
    const wanted = values[spec.name];
    if (wanted === undefined) continue;
    const fitted = fitValue(capabilities, spec.name, wanted);
    if (fitted !== null) advanced.push({ [spec.name]: fitted });
  }
  return { advanced };
}

/**
 * The camera's own values for every supported control, read before anything remembered is applied:
 * "Reset to camera defaults" puts these back.
 */
export function defaultsOf(capabilities: TrackReport, settings: TrackReport): CameraControlValues {
  const defaults: Partial<Record<CameraControlName, CameraControlValue>> = {};
  for (const control of describeControls(capabilities, settings)) {
    defaults[control.name] = control.value;
  }
  return defaults;
}

/** The remembered map with one camera's values replaced (or removed when `values` is empty). */
export function rememberValues(
  all: Readonly<Record<string, CameraControlValues>>,
  deviceId: string,
  values: CameraControlValues,
): Readonly<Record<string, CameraControlValues>> {
  const others = Object.entries(all).filter(([id]) => id !== deviceId);
  if (Object.keys(values).length > 0) others.push([deviceId, values]);
  return Object.fromEntries(others);
}
