// Says when capture cannot keep up with the chosen frame rate because encoding is the bottleneck, and what to
// change; with hysteresis so a one-second dip never flashes a warning (pure: numbers in, text out).
import type { FrameMeta, ResolutionPreset, Settings } from '../electron/ipc.ts';
import type { CaptureStatsSnapshot } from './capture-stats.ts';
import { clampFps } from './setting-inputs.ts';

export interface CapacitySample {
  /** The user's target frame rate. */
  readonly targetFps: number;
  /** JPEG frames per second actually produced (CaptureStats). */
  readonly capturedFps: number;
  readonly encodeMsAvg: number;
  readonly encodeWorkers: number;
  readonly viewerCount: number;
  readonly resolution: ResolutionPreset;
  readonly width: number;
  readonly height: number;
}

/** What the control window knows each second; the sample is built only while a camera delivers frames. */
export interface CapacityInputs {
  readonly isCameraRunning: boolean;
  /** The last encoded frame's size; null before the first frame. */
  readonly frameSize: Pick<FrameMeta, 'width' | 'height'> | null;
  readonly settings: Pick<Settings, 'fps' | 'resolution'> | null;
  readonly capture: Pick<CaptureStatsSnapshot, 'fps' | 'encodeMsAvg'>;
  readonly encodeWorkers: number;
  readonly viewerCount: number;
}

/** The sample to judge, or null while nothing is measured (camera not running, no frame or settings yet). */
export function capacitySample(inputs: CapacityInputs): CapacitySample | null {
  const { frameSize, settings } = inputs;
  if (!inputs.isCameraRunning || frameSize === null || settings === null) return null;
  return {
    targetFps: clampFps(settings.fps),
    capturedFps: inputs.capture.fps,
    encodeMsAvg: inputs.capture.encodeMsAvg,
    encodeWorkers: inputs.encodeWorkers,
    viewerCount: inputs.viewerCount,
    resolution: settings.resolution,
    width: frameSize.width,
    height: frameSize.height,
  };
}

/** Below this share of the target, capture is "not keeping up". */
const KEEP_UP_RATIO = 0.8;
/** Encoders busier than this share of the time are the bottleneck (not the camera). */
const SATURATED_RATIO = 0.85;

/** The frame rate the encoders can sustain at the measured encode time. */
export function sustainableFps(encodeMsAvg: number, encodeWorkers: number): number {
  return encodeMsAvg > 0 ? (1000 * encodeWorkers) / encodeMsAvg : Number.POSITIVE_INFINITY;
}

/** The advice for one sample, or null when capture keeps up, nobody watches, or the camera is the limit. */
export function capacityAdvice(sample: CapacitySample): string | null {
  // Idle (no viewers) encodes one frame a second on purpose.
  if (sample.viewerCount === 0 || sample.targetFps <= 0 || sample.capturedFps <= 0) return null;
  if (sample.capturedFps >= sample.targetFps * KEEP_UP_RATIO) return null;
  const busyShare = (sample.capturedFps * sample.encodeMsAvg) / (1000 * sample.encodeWorkers);
  // Encoders mostly idle: the camera (low light, USB bandwidth) delivers fewer frames; nothing to fix here.
  if (busyShare < SATURATED_RATIO) return null;
  const got = Math.round(sample.capturedFps);
  const fits = Math.max(1, Math.floor(sustainableFps(sample.encodeMsAvg, sample.encodeWorkers)));
  const size = `${sample.width}×${sample.height}`;
  const cause =
    `Capture keeps up with only ${got} of ${sample.targetFps} fps: encoding one ${size} frame takes ` +
    `${Math.round(sample.encodeMsAvg)} ms on this computer.`;
  const isLarge = sample.resolution === '1080p' || sample.resolution === 'max';
  const fix = isLarge
    ? 'Choose 720p (about half the work per frame), or a lower JPEG quality; closing busy apps helps too.'
    : `Set the frame rate to ${fits} fps or lower the JPEG quality; closing busy apps helps too.`;
  return `${cause} ${fix}`;
}

/** Shows advice after `holdSamples` bad samples in a row and clears it after as many good ones. */
export class CapacityWatch {
  readonly #holdSamples: number;
  #bad = 0;
  #good = 0;
  #shown: string | null = null;

  constructor(holdSamples = 3) {
    this.#holdSamples = holdSamples;
  }

  /** `null` (nothing measured) clears at once, like reset(). */
  check(sample: CapacitySample | null): string | null {
    if (sample === null) {
      this.reset();
      return null;
    }
    const advice = capacityAdvice(sample);
    if (advice === null) {
      this.#bad = 0;
      this.#good += 1;
      if (this.#good >= this.#holdSamples) this.#shown = null;
    } else {
      this.#good = 0;
      this.#bad += 1;
      // Once shown, keep the text current (numbers move); before that, wait for a sustained shortfall.
      if (this.#shown !== null || this.#bad >= this.#holdSamples) this.#shown = advice;
    }
    return this.#shown;
  }

  reset(): void {
    this.#bad = 0;
    this.#good = 0;
    this.#shown = null;
  }
}
