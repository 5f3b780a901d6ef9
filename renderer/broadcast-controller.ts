// Runs the control window: start/stop, the camera following main's broadcast state, settings, stats.
import type { BroadcastStatus, CaptureFormat, LanCamApi, Settings } from '../electron/ipc.ts';
import { broadcastView, cameraShouldRun, type LocalCamera } from './broadcast-view.ts';
import { BusyRetry } from './camera-busy-retry.ts';
import type { CameraRequest } from './camera-constraints.ts';
import { listCameras, watchCameras, type CameraDevice } from './camera-devices.ts';
import {
  cameraEndedProblem,
  describeCameraError,
  describeScreenError,
  type Platform,
} from './camera-errors.ts';
import { CameraCapture, CaptureCancelledError } from './capture.ts';
import { CapacityWatch } from './capture-capacity.ts';
import { CaptureStats } from './capture-stats.ts';
import { offStatus } from './initial-status.ts';
import { clampFps, clampQuality } from './settings-limits.ts';
import { chooseScreenSource, isScreenSourceId, SourceList } from './screen-sources.ts';
import type { EncodeOptions } from './shared/worker-protocol.ts';
import { encodeWorkerCount } from './worker/encode-order.ts';
import { CameraControlsPanel } from './ui/camera-controls-panel.ts';
import { CapacityWarning } from './ui/capacity-warning.ts';
import { NetworkForm } from './ui/network-form.ts';
import { SettingsForm } from './ui/settings-form.ts';
import { SharePanel } from './ui/share-panel.ts';
import { StatsPanel } from './ui/stats-panel.ts';
import { StatusView } from './ui/status-view.ts';

export class BroadcastController {
  readonly #api: LanCamApi;
  readonly #platform: Platform;
  readonly #statusView: StatusView;
  readonly #share: SharePanel;
  readonly #stats = new StatsPanel();
  readonly #form: SettingsForm;
  readonly #network: NetworkForm;
  readonly #captureStats = new CaptureStats();
  readonly #capacityWatch = new CapacityWatch();
  readonly #capacity = new CapacityWarning();
  readonly #capture: CameraCapture;
  readonly #busyRetry = new BusyRetry();
  readonly #sources: SourceList;
  readonly #cameraControls = new CameraControlsPanel({
    save: (cameraControls) => this.#changeSettings({ cameraControls }),
  });
  #settings: Settings | null = null;
  #status: BroadcastStatus = offStatus;
  #camera: LocalCamera = { kind: 'off' };
  #isRequestPending = false;
  #notice: string | null = null;
  #cameraMode: string | null = null;
  /** Last size/rotation told to main: a reopened camera with the same format must not kick viewers. */
  #reportedFormat: CaptureFormat | null = null;

  constructor(api: LanCamApi, platform: Platform) {
    this.#api = api;
    this.#platform = platform;
    this.#statusView = new StatusView({
      toggle: () => void this.toggle(),
      retry: () => void this.#retry(),
      openPreview: () => void this.#api.openPreview(),
    });
    this.#share = new SharePanel({
      copy: async (text) => (await this.#api.copyText(text)).ok,
      regenerateKey: () => void this.#regenerateKey(),
    });
    this.#form = new SettingsForm((patch) => {
      void this.#changeSettings(patch).then((reason) => {
        if (reason === null) return;
        this.#notice = `Setting not saved: ${reason}`;
        this.#render();
      });
    });
    this.#sources = new SourceList(api, (sources) => {
      this.#form.setCameras(sources);
    });
    this.#network = new NetworkForm({ change: (patch) => this.#changeSettings(patch) }, platform);
    this.#capture = new CameraCapture(
      this.#statusView.preview,
      {
        frame: (jpeg, meta, encodeMs) => {
          this.#captureStats.record(performance.now(), encodeMs, jpeg.byteLength);
          this.#api.sendFrame(jpeg, meta);
        },
        format: (format) => {
          const last = this.#reportedFormat;
          if (
            last?.width === format.width &&
            last.height === format.height &&
            last.rotation === format.rotation
          ) {
            return;
          }
          this.#reportedFormat = format;
          this.#api.reportCaptureFormat(format);
        },
        ended: () => {
          this.#onCameraEnded();
        },
        error: (message) => {
          this.#notice = `Capture problem: ${message}`;
          this.#render();
        },
      },
      this.#encodeOptions(),
    );
  }

  /** Pulls settings and status, then subscribes (no ready-signal handshake needed). */
  async init(): Promise<void> {
    this.#settings = await this.#api.getSettings();
    this.#renderSettings(this.#settings);
    this.#capture.setOptions(this.#encodeOptions());
    this.#api.onStatus((status) => {
      this.#onStatus(status);
    });
    watchCameras((cameras) => {
      this.#onCameras(cameras);
    });
    listCameras().then(
      (cameras) => {
        this.#sources.setCameras(cameras);
      },
      () => undefined,
    );
    void this.#sources.refreshScreens();
    setInterval(() => {
      this.#renderStats();
      this.#checkCapacity();
    }, 1000);
    const status = await this.#api.getStatus();
    this.#onStatus(status);
    if (status.state === 'off' && this.#settings.startOnLaunch) await this.start();
    this.#render();
  }

  async toggle(): Promise<void> {
    if (this.#isRequestPending) return;
    const view = broadcastView(this.#status, this.#camera, false);
    await (view.action === 'start' ? this.start() : this.stop());
  }

  /** Camera first: a denied or busy camera is reported before any port is opened. */
  async start(): Promise<void> {
    this.#isRequestPending = true;
    this.#render();
    try {
      if (!(await this.#openCamera())) return;
      const result = await this.#api.start();
      if (!result.ok) {
        this.#stopCamera();
        this.#camera = {
          kind: 'failed',
          problem: {
            code: result.code,
            title: 'The broadcast could not start',
            detail: result.message,
            steps: [],
          },
        };
        return;
      }
      this.#onStatus(result.value);
    } finally {
      this.#isRequestPending = false;
      this.#render();
    }
  }

  async stop(): Promise<void> {
    this.#isRequestPending = true;
    this.#stopCamera();
    this.#render();
    try {
      const result = await this.#api.stop();
      if (result.ok) this.#onStatus(result.value);
    } finally {
      this.#isRequestPending = false;
      this.#render();
    }
  }

  #encodeOptions(): EncodeOptions {
    const s = this.#settings;
    return {
      fps: clampFps(s?.fps ?? 30),
      jpegQuality: clampQuality(s?.jpegQuality ?? 0.8),
      mirror: s?.mirror ?? false,
      rotation: s?.rotation ?? 0,
      overlay: s?.overlay ?? false,
      overlayText: s?.overlayText ?? '',
      isIdle: this.#status.viewerCount === 0,
    };
  }

  #request(): CameraRequest {
    return {
      cameraId: this.#settings?.cameraId ?? null,
      resolution: this.#settings?.resolution ?? '720p',
      fps: clampFps(this.#settings?.fps ?? 30),
    };
  }

  async #openCamera(): Promise<boolean> {
    this.#camera = { kind: 'opening' };
    this.#notice = null;
    this.#render();
    try {
      this.#capture.setOptions(this.#encodeOptions());
      const request = this.#request();
      if (request.cameraId !== null && isScreenSourceId(request.cameraId)) {
        await chooseScreenSource(this.#api, request.cameraId);
      }
      const started = await this.#capture.start(request);
      this.#camera = { kind: 'running', label: started.label };
      this.#cameraMode = `${started.width}×${started.height} · ${Math.round(started.fps)} fps`;
      this.#notice = started.notice;
      this.#captureStats.reset();
      this.#api.reportCameraState({ kind: 'running', label: started.label });
      this.#busyRetry.cancel();
      void this.#cameraControls.attach(this.#capture.videoTrack, started.deviceId);
      // Labels only appear after permission, so refresh the picker now.
      listCameras().then(
        (cameras) => {
          this.#sources.setCameras(cameras);
        },
        () => undefined,
      );
      return true;
    } catch (error) {
      // Superseded by stop() or a newer start(), which set the camera state themselves.
      if (error instanceof CaptureCancelledError) return false;
      const problem = isScreenSourceId(this.#settings?.cameraId ?? null)
        ? describeScreenError(error, this.#platform)
        : describeCameraError(error, this.#platform);
      this.#camera = { kind: 'failed', problem };
      this.#api.reportCameraState({ kind: 'error', code: problem.code, message: problem.title });
      if (problem.isRetriedAutomatically) this.#retryWhileBusy();
      return false;
    } finally {
      this.#render();
    }
  }

  /** Another app holds the camera: try again with backoff until it opens or the user presses Stop. */
  #retryWhileBusy(): void {
    this.#busyRetry.start(async () => {
      await this.#retry();
      const camera = this.#camera;
      return camera.kind === 'failed' && camera.problem.isRetriedAutomatically ? 'busy' : 'done';
    });
  }

  #stopCamera(): void {
    this.#busyRetry.cancel();
    this.#cameraControls.detach();
    this.#capture.stop();
    this.#reportedFormat = null;
    this.#camera = { kind: 'off' };
    this.#cameraMode = null;
    this.#captureStats.reset();
  }

  #onStatus(status: BroadcastStatus): void {
    const previous = this.#status;
    this.#status = status;
    const wasRunning = cameraShouldRun(previous.state);
    const isRunning = cameraShouldRun(status.state);
    if (!this.#isRequestPending) {
      // Started or stopped from elsewhere (tray menu, start on launch): the camera follows.
      if (isRunning && !wasRunning && this.#camera.kind === 'off') void this.#openCamera();
      if (!isRunning && wasRunning && status.state === 'off') this.#stopCamera();
    }
    const isIdle = status.viewerCount === 0;
    if (this.#capture.options.isIdle !== isIdle) this.#capture.setOptions(this.#encodeOptions());
    this.#render();
  }

  #onCameraEnded(): void {
    this.#cameraControls.detach();
    this.#camera = { kind: 'ended' };
    this.#cameraMode = null;
    this.#captureStats.reset();
    this.#api.reportCameraState({ kind: 'ended' });
    this.#render();
  }

  #onCameras(cameras: CameraDevice[]): void {
    this.#sources.setCameras(cameras);
    // A camera came back (or a first one was plugged in) while we are meant to broadcast: resume by itself.
    const isWaiting =
      this.#camera.kind === 'ended' ||
      (this.#camera.kind === 'failed' && this.#camera.problem.code === 'NotFoundError');
    if (isWaiting && cameras.length > 0 && cameraShouldRun(this.#status.state)) {
      void this.#openCamera();
    }
  }

  async #retry(): Promise<void> {
    if (cameraShouldRun(this.#status.state)) await this.#openCamera();
    else await this.start();
  }

  /** Saves through main and re-renders both forms; resolves to main's reason when it refused the patch. */
  async #changeSettings(patch: Partial<Settings>): Promise<string | null> {
    const before = this.#settings;
    const result = await this.#api.updateSettings(patch);
    if (!result.ok) {
      if (before) this.#renderSettings(before);
      this.#render();
      return result.message;
    }
    this.#settings = result.value;
    this.#renderSettings(result.value);
    this.#capture.setOptions(this.#encodeOptions());
    const needsReopen =
      before !== null &&
      (before.cameraId !== result.value.cameraId ||
        before.resolution !== result.value.resolution ||
        before.fps < result.value.fps);
    if (needsReopen && this.#capture.isRunning) await this.#openCamera();
    this.#render();
    return null;
  }

  #renderSettings(settings: Settings): void {
    this.#form.render(settings);
    this.#network.render(settings);
    this.#cameraControls.setRemembered(settings.cameraControls ?? {});
  }

  async #regenerateKey(): Promise<void> {
    const result = await this.#api.regenerateKey();
    if (result.ok) {
      this.#settings = result.value;
      this.#status = await this.#api.getStatus();
    } else {
      this.#notice = `Could not create a new key: ${result.message}`;
    }
    this.#render();
  }

  #render(): void {
    const view = broadcastView(this.#status, this.#camera, this.#isRequestPending);
    const problem =
      this.#camera.kind === 'failed'
        ? this.#camera.problem
        : this.#camera.kind === 'ended'
          ? cameraEndedProblem
          : null;
    const statusError =
      this.#status.error && this.#camera.kind !== 'failed'
        ? {
            code: this.#status.error.code,
            title: 'Broadcast problem',
            detail: this.#status.error.message,
            steps: [],
          }
        : null;
    this.#statusView.render(
      view,
      this.#camera.kind === 'running',
      this.#camera.kind === 'running' ? this.#cameraMode : null,
      this.#settings?.mirror ?? false,
    );
    this.#statusView.showProblem(problem ?? statusError, problem !== null);
    this.#statusView.showNotice(this.#notice);
    this.#share.render(this.#status);
    this.#network.renderStatus(this.#status);
    this.#renderStats();
  }

  /** Once a second: says when encoding cannot keep up with the chosen frame rate (capture-capacity.ts). */
  #checkCapacity(): void {
    const format = this.#reportedFormat;
    const settings = this.#settings;
    if (this.#camera.kind !== 'running' || !format || !settings) {
      this.#capacityWatch.reset();
      this.#capacity.render(null);
      return;
    }
    const capture = this.#captureStats.snapshot(performance.now());
    const advice = this.#capacityWatch.check({
      targetFps: clampFps(settings.fps),
      capturedFps: capture.fps,
      encodeMsAvg: capture.encodeMsAvg,
      encodeWorkers: encodeWorkerCount(navigator.hardwareConcurrency),
      viewerCount: this.#status.viewerCount,
      resolution: settings.resolution,
      width: format.width,
      height: format.height,
    });
    this.#capacity.render(advice);
  }

  #renderStats(): void {
    this.#stats.render(this.#status, this.#captureStats.snapshot(performance.now()), Date.now());
  }
}
