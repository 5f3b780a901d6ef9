// One extra source's controller: its own camera session and encoder pool, opened and stopped with the
// broadcast, its settings applied live, and its card kept up to date.
import type {
  BroadcastStatus,
  LanCamApi,
  SourceSettings,
  SourceSettingsPatch,
} from '../electron/ipc.ts';
import { cameraShouldRun } from './broadcast-view.ts';
import type { CameraDevice } from './camera-devices.ts';
import type { Platform } from './camera-errors.ts';
import { cameraFollow, needsCameraReopen, shouldResumeCamera } from './camera-rules.ts';
import { CameraSession } from './camera-session.ts';
import { cameraRequestFor, encodeOptionsFor } from './encode-options.ts';
import { formatFps } from './format.ts';
import { offStatus } from './initial-status.ts';
import { sourceCardState } from './source-card-state.ts';
import { sourceSummaryOf, viewerCountOf, type PickerEntry } from './source-rules.ts';
import { SourceCardView } from './ui/source-card-view.ts';

export interface SourceCardDeps {
  readonly api: LanCamApi;
  readonly platform: Platform;
  /** Saves through main; resolves to main's reason when it refused. */
  readonly change: (id: number, patch: SourceSettingsPatch) => Promise<string | null>;
  /** The user asked to remove this source (the owner confirms and removes it). */
  readonly remove: (id: number) => void;
  /** A camera of this source opened: device labels are readable now, refresh the pickers. */
  readonly cameraOpened: () => void;
}

export class SourceCard {
  readonly #deps: SourceCardDeps;
  readonly #view: SourceCardView;
  readonly #camera: CameraSession;
  #settings: SourceSettings;
  #status: BroadcastStatus = offStatus;
  #notice: string | null = null;

  constructor(settings: SourceSettings, deps: SourceCardDeps) {
    this.#deps = deps;
    this.#settings = settings;
    const { id } = settings;
    this.#view = new SourceCardView(id, {
      change: (patch) => void this.#change(patch),
      remove: () => {
        deps.remove(id);
      },
      copyLink: async () => {
        const url = sourceSummaryOf(this.#status, id)?.url;
        return url !== undefined && (await deps.api.copyText(url)).ok;
      },
      retry: () => void this.#open(),
    });
    this.#camera = new CameraSession(
      this.#view.preview,
      deps.api,
      deps.platform,
      {
        changed: () => {
          this.render();
        },
        captureProblem: (message) => {
          this.#notice = `Capture problem: ${message}`;
          this.render();
        },
        opened: () => {
          deps.cameraOpened();
        },
        closed: () => undefined,
        retryBusy: () => this.#open(),
      },
      this.#encodeOptions(),
      id,
    );
    this.#view.renderSettings(settings);
    this.render();
  }

  get id(): number {
    return this.#settings.id;
  }

  get element(): HTMLElement {
    return this.#view.element;
  }

  get viewerCount(): number {
    return viewerCountOf(this.#status, this.id);
  }

  /** Main's status: the camera follows the broadcast (on at start, off at stop), idle mode follows viewers. */
  onStatus(status: BroadcastStatus): void {
    const previous = this.#status;
    this.#status = status;
    const follow = cameraFollow(previous.state, status.state, this.#camera.camera.kind, false);
    if (follow === 'open') void this.#open();
    // Off, or a start that failed ('error'): this source's camera (or its wait for a busy one) ends too.
    else if (!cameraShouldRun(status.state) && this.#camera.camera.kind !== 'off')
      this.#camera.stop();
    const options = this.#encodeOptions();
    if (this.#camera.options.isIdle !== options.isIdle) this.#camera.setOptions(options);
    this.render();
  }

  /** Saved settings changed (here or after a refusal): the form, the encoder and maybe the camera follow. */
  update(settings: SourceSettings): void {
    const before = this.#settings;
    this.#settings = settings;
    this.#view.renderSettings(settings);
    this.#camera.setOptions(this.#encodeOptions());
    if (needsCameraReopen(before, settings) && this.#camera.isRunning) void this.#open();
  }

  setCameras(entries: readonly PickerEntry[], cameras: readonly CameraDevice[]): void {
    this.#view.setCameras(entries);
    if (shouldResumeCamera(this.#camera.camera, cameras.length, this.#status.state))
      void this.#open();
  }

  /** Stops the camera and takes the card off the page. */
  dispose(): void {
    this.#camera.stop();
    this.#view.element.remove();
  }

  render(): void {
    const summary = sourceSummaryOf(this.#status, this.id);
    const state = sourceCardState(
      this.#camera.camera,
      summary,
      cameraShouldRun(this.#status.state),
    );
    const stats = this.#camera.stats(performance.now());
    const size = this.#camera.frameSize;
    const figures =
      this.#camera.camera.kind === 'running' && size !== null
        ? `${String(size.width)}×${String(size.height)} · ${formatFps(stats.fps)} fps` +
          (this.#camera.options.isIdle ? ' (1 fps until someone watches)' : '')
        : this.#notice;
    this.#view.renderState(state, figures, summary?.url ?? null);
  }

  #encodeOptions(): ReturnType<typeof encodeOptionsFor> {
    // H.264 is source 1's: no consumer ever counts here.
    return encodeOptionsFor(this.#settings, this.viewerCount, 0);
  }

  async #open(): Promise<void> {
    if (!cameraShouldRun(this.#status.state)) return;
    const opened = await this.#camera.open(cameraRequestFor(this.#settings), this.#encodeOptions());
    this.#notice = opened.ok ? opened.notice : null;
    this.render();
  }

  async #change(patch: SourceSettingsPatch): Promise<void> {
    const reason = await this.#deps.change(this.id, patch);
    if (reason !== null) {
      this.#notice = `Setting not saved: ${reason}`;
      this.#view.renderSettings(this.#settings);
      this.render();
    }
  }
}
