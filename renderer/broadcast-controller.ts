// Runs the control window: start/stop, main's status, and the parts that own the camera, settings and stats.
import type { BroadcastStatus, LanCamApi, Settings } from '../electron/ipc.ts';
import { broadcastView, cameraShouldRun } from './broadcast-view.ts';
import { listCameras, watchCameras, type CameraDevice } from './camera-devices.ts';
import type { Platform } from './camera-errors.ts';
import { cameraFollow, needsCameraReopen, shouldResumeCamera } from './camera-rules.ts';
import { CameraSession } from './camera-session.ts';
import { cameraRequestFor, encodeOptionsFor } from './encode-options.ts';
import { ExtraSources } from './extra-sources.ts';
import { offStatus } from './initial-status.ts';
import { keepingUp, keepUpAdvice, nextKeepUp, type KeepUpState } from './capture-keep-up.ts';
import { formatFps } from './format.ts';
import { broadcastProblem, problemView, type ProblemFix } from './problem-view.ts';
import { SourceList } from './screen-sources.ts';
import { SettingsSync } from './settings-sync.ts';
import { jpegViewerCountOf, pickerLabel } from './source-rules.ts';
import { startStatsTicker } from './stats-ticker.ts';
import { CameraControlsPanel } from './ui/camera-controls-panel.ts';
import { NetworkForm } from './ui/network-form.ts';
import { SettingsForm } from './ui/settings-form.ts';
import { SharePanel } from './ui/share-panel.ts';
import { StatsPanel } from './ui/stats-panel.ts';
import { VideoSharePanel } from './ui/video-share-panel.ts';
import type { EncodeOptions } from './shared/worker-protocol.ts';
import { StatusView, type MessageAction } from './ui/status-view.ts';

export class BroadcastController {
  readonly #api: LanCamApi;
  readonly #statusView: StatusView;
  readonly #share: SharePanel;
  readonly #stats: StatsPanel;
  readonly #videoShare: VideoSharePanel;
  readonly #form: SettingsForm;
  readonly #network: NetworkForm;
  readonly #settings: SettingsSync;
  readonly #camera: CameraSession;
  readonly #sources: SourceList;
  readonly #extra: ExtraSources;
  readonly #cameraControls = new CameraControlsPanel({
    save: (cameraControls) => this.#changeSettings({ cameraControls }),
  });
  #status: BroadcastStatus = offStatus;
  #isRequestPending = false;
  #notice: string | null = null;
  #keepUp: KeepUpState = keepingUp;

  constructor(api: LanCamApi, platform: Platform) {
    this.#api = api;
    this.#statusView = new StatusView({
      toggle: () => void this.toggle(),
      openPreview: () => void this.#api.openPreview(),
    });
    this.#share = new SharePanel({
      copy: async (text) => (await this.#api.copyText(text)).ok,
      regenerateKey: () => void this.#regenerateKey(),
    });
    this.#stats = new StatsPanel({
      disconnect: (id) => void this.#viewerAction(() => api.disconnectViewer(id)),
      disconnectAll: () => void this.#viewerAction(() => api.disconnectAll()),
      allow: (address) => void this.#viewerAction(() => api.allowAddress(address)),
    });
    this.#videoShare = new VideoSharePanel(async (text) => (await this.#api.copyText(text)).ok);
    this.#form = new SettingsForm((patch) => {
      void this.#changeSettings(patch).then((reason) => {
        if (reason === null) return;
        this.#notice = `Setting not saved: ${reason}`;
        this.#render();
      });
    });
    this.#extra = new ExtraSources({
      api,
      platform,
      changeSettings: (call) => this.#settings.changeWith(call),
      mainPickerChanged: (entries) => {
        this.#form.setCameras(
          entries.map((entry) => ({ deviceId: entry.deviceId, label: pickerLabel(entry) })),
        );
      },
      refreshDevices: () => {
        this.#refreshCameraList();
      },
    });
    this.#sources = new SourceList(api, (sources) => {
      this.#extra.setDevices(sources);
    });
    this.#network = new NetworkForm({ change: (patch) => this.#changeSettings(patch) }, platform);
    this.#settings = new SettingsSync(api, (settings) => {
      this.#form.render(settings);
      this.#network.render(settings);
      this.#cameraControls.setRemembered(settings.cameraControls ?? {});
      this.#extra.render(settings);
    });
    this.#camera = new CameraSession(
      this.#statusView.preview,
      api,
      platform,
      {
        changed: () => {
          this.#render();
        },
        captureProblem: (message) => {
          this.#notice = `Capture problem: ${message}`;
          this.#render();
        },
        opened: (track, deviceId) => {
          this.#refreshCameraList();
          void this.#cameraControls.attach(track, deviceId);
        },
        closed: () => {
          this.#cameraControls.detach();
        },
        retryBusy: () => this.#retry(),
      },
      this.#encodeOptions(),
    );
  }

  /** Pulls settings and status, then subscribes (no ready-signal handshake needed). */
  async init(): Promise<void> {
    const settings = await this.#settings.load();
    this.#camera.setOptions(this.#encodeOptions());
    this.#api.onStatus((status) => {
      this.#onStatus(status);
    });
    watchCameras((cameras) => {
      this.#onCameras(cameras);
    });
    this.#refreshCameraList();
    void this.#sources.refreshScreens();
    startStatsTicker(() => {
      this.#renderStats();
    });
    const status = await this.#api.getStatus();
    this.#onStatus(status);
    if (status.state === 'off' && settings.startOnLaunch) await this.start();
    this.#render();
  }

  async toggle(): Promise<void> {
    if (this.#isRequestPending) return;
    const view = broadcastView(this.#status, this.#camera.camera, false);
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
        this.#camera.stop();
        this.#camera.fail(broadcastProblem('The broadcast could not start', result));
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
    this.#camera.stop();
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
    return encodeOptionsFor(
      this.#settings.current,
      jpegViewerCountOf(this.#status, 1),
      this.#status.videoConsumers,
    );
  }

  async #openCamera(): Promise<boolean> {
    this.#notice = null;
    const opened = await this.#camera.open(
      cameraRequestFor(this.#settings.current),
      this.#encodeOptions(),
    );
    if (opened.ok) {
      this.#notice = opened.notice;
      this.#render();
    }
    return opened.ok;
  }

  #refreshCameraList(): void {
    listCameras().then(
      (cameras) => {
        this.#sources.setCameras(cameras);
      },
      () => undefined,
    );
  }

  #onStatus(status: BroadcastStatus): void {
    const previous = this.#status;
    this.#status = status;
    const follow = cameraFollow(
      previous.state,
      status.state,
      this.#camera.camera.kind,
      this.#isRequestPending,
    );
    if (follow === 'open') void this.#openCamera();
    if (follow === 'stop') this.#camera.stop();
    this.#extra.onStatus(status);
    const options = this.#encodeOptions();
    const current = this.#camera.options;
    if (current.isIdle !== options.isIdle || current.videoConsumers !== options.videoConsumers)
      this.#camera.setOptions(options);
    this.#render();
  }

  #onCameras(cameras: CameraDevice[]): void {
    this.#sources.setCameras(cameras);
    if (shouldResumeCamera(this.#camera.camera, cameras.length, this.#status.state)) {
      void this.#openCamera();
    }
  }

  async #retry(): Promise<void> {
    if (cameraShouldRun(this.#status.state)) await this.#openCamera();
    else await this.start();
  }

  async #useAutomaticPort(): Promise<void> {
    const reason = await this.#changeSettings({ port: null });
    if (reason !== null) {
      this.#notice = `Setting not saved: ${reason}`;
      this.#render();
      return;
    }
    this.#camera.stop();
    await this.start();
  }

  #actionFor(fix: ProblemFix | null): MessageAction | null {
    switch (fix) {
      case 'retry':
        return { label: 'Try again', run: () => void this.#retry() };
      case 'use-automatic-port':
        return { label: 'Use automatic port', run: () => void this.#useAutomaticPort() };
      case null:
        return null;
    }
  }

  async #viewerAction(
    call: () => Promise<{ ok: true; value: BroadcastStatus } | { ok: false; message: string }>,
  ): Promise<void> {
    const result = await call();
    if (result.ok) this.#onStatus(result.value);
    else {
      this.#notice = result.message;
      this.#render();
    }
  }

  /** Saves through main; resolves to main's reason when it refused the patch. */
  async #changeSettings(patch: Partial<Settings>): Promise<string | null> {
    const change = await this.#settings.change(patch);
    if (!change.ok) {
      this.#render();
      return change.reason;
    }
    this.#camera.setOptions(this.#encodeOptions());
    const isReopenNeeded = change.before !== null && needsCameraReopen(change.before, change.after);
    if (isReopenNeeded && this.#camera.isRunning) await this.#openCamera();
    this.#render();
    return null;
  }

  async #regenerateKey(): Promise<void> {
    const reason = await this.#settings.regenerateKey();
    if (reason === null) this.#status = await this.#api.getStatus();
    else this.#notice = `Could not create a new key: ${reason}`;
    this.#render();
  }

  #render(): void {
    const camera = this.#camera.camera;
    const view = broadcastView(this.#status, camera, this.#isRequestPending);
    const settings = this.#settings.current;
    const { problem, fix, note } = problemView(
      camera,
      this.#status,
      (settings?.port ?? null) !== null,
    );
    this.#statusView.render(view, camera.kind === 'running', {
      rotation: settings?.rotation ?? 0,
      mirror: settings?.mirror ?? false,
      overlayName: settings?.overlay ? settings.overlayText : null,
    });
    this.#statusView.showProblem(problem, this.#actionFor(fix));
    this.#statusView.showNotice(
      [note, this.#notice].filter((text): text is string => text !== null).join(' ') || null,
    );
    this.#share.render(this.#status);
    this.#videoShare.render(this.#status, this.#camera.h264Support);
    this.#network.renderStatus(this.#status);
    this.#renderStats();
  }

  /** Every second: the figures, the live clock, the output badge and the keep-up rule. */
  #renderStats(): void {
    this.#extra.tick();
    const capture = this.#camera.stats(performance.now());
    const nowMs = Date.now();
    const status = this.#status;
    this.#stats.render(status, capture, nowMs);
    const isOn = status.state === 'live' || status.state === 'paused';
    const out = this.#camera.camera.kind === 'running' ? this.#statusView.stage.outputSize : null;
    this.#form.setOutputSize(out);
    const isIdle = this.#camera.options.isIdle;
    const badge =
      out === null
        ? null
        : `${out.width}×${out.height} · ${formatFps(capture.fps)} fps` +
          (isIdle ? ' (1 fps until someone watches)' : '');
    this.#statusView.renderClock(
      isOn && status.liveSinceMs !== null ? nowMs - status.liveSinceMs : null,
      badge,
    );
    const targetFps = this.#settings.current?.fps ?? 0;
    // Idle capture runs at 1 fps on purpose; only full-rate capture is held to the chosen rate.
    const isCapturing = out !== null && !isIdle;
    this.#keepUp = nextKeepUp(this.#keepUp, nowMs, capture.fps, targetFps, isCapturing);
    this.#statusView.showKeepUp(
      this.#keepUp.isBehind ? keepUpAdvice(capture.fps, targetFps) : null,
    );
  }
}
