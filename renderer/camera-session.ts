// The control window's camera: opens and stops the capture, tells main what the camera does, keeps its stats,
// and keeps retrying a camera another app holds.
import type { FrameMeta, LanCamApi } from '../electron/ipc.ts';
import type { LocalCamera } from './broadcast-view.ts';
import { BusyRetry } from './camera-busy-retry.ts';
import type { CameraRequest } from './camera-constraints.ts';
import { describeCameraError, describeScreenError, type Platform } from './camera-errors.ts';
import { CameraCapture, CaptureCancelledError } from './capture.ts';
import { CaptureStats, type CaptureStatsSnapshot } from './capture-stats.ts';
import { probeH264 } from './h264-support.ts';
import { chooseScreenSource, isScreenSourceId } from './screen-sources.ts';
import type { EncodeOptions, H264Support } from './shared/worker-protocol.ts';

type SessionApi = Pick<
  LanCamApi,
  'sendFrame' | 'sendVideoChunk' | 'onKeyframeRequest' | 'reportCameraState' | 'chooseScreenSource'
>;

export interface CameraSessionEvents {
  /** The camera's state or mode changed: re-render. */
  readonly changed: () => void;
  /** The capture worker hit a problem worth showing (the camera may still run). */
  readonly captureProblem: (message: string) => void;
  /**
   * The camera opened: device labels are readable now (they only appear after permission), and its track
   * takes camera controls (`deviceId` null for a camera without a stable id, or a screen).
   */
  readonly opened: (track: MediaStreamTrack | null, deviceId: string | null) => void;
  /** The camera stopped or ended: its track is gone. */
  readonly closed: () => void;
  /** One automatic attempt while the camera is busy (camera-busy-retry.ts); the controller decides how. */
  readonly retryBusy: () => Promise<void>;
}

export type OpenResult =
  | { readonly ok: true; readonly notice: string | null }
  | { readonly ok: false; readonly isCancelled: boolean };

export class CameraSession {
  readonly #api: SessionApi;
  readonly #platform: Platform;
  readonly #events: CameraSessionEvents;
  readonly #stats = new CaptureStats();
  readonly #capture: CameraCapture;
  readonly #busyRetry = new BusyRetry();
  readonly #sourceId: number;
  #camera: LocalCamera = { kind: 'off' };
  #mode: string | null = null;
  #frameSize: Pick<FrameMeta, 'width' | 'height'> | null = null;
  #h264: H264Support | null = null;

  constructor(
    preview: HTMLVideoElement,
    api: SessionApi,
    platform: Platform,
    events: CameraSessionEvents,
    options: EncodeOptions,
    sourceId = 1,
  ) {
    this.#api = api;
    this.#sourceId = sourceId;
    this.#platform = platform;
    this.#events = events;
    this.#capture = new CameraCapture(
      preview,
      {
        frame: (jpeg, meta, encodeMs) => {
          this.#stats.record(performance.now(), encodeMs, jpeg.byteLength);
          this.#frameSize = { width: meta.width, height: meta.height };
          this.#api.sendFrame(jpeg, meta, this.#sourceId);
        },
        ended: () => {
          this.#onEnded();
        },
        error: (message) => {
          this.#events.captureProblem(message);
        },
        videoChunk: (chunk) => {
          const { data, isKey, timestampUs, durationUs } = chunk;
          this.#api.sendVideoChunk(data, { isKey, timestampUs, durationUs });
        },
        h264Support: (support) => {
          const changed = support.kind !== this.#h264?.kind;
          this.#h264 = support;
          if (changed) this.#events.changed();
        },
      },
      options,
    );
    // Main asks when an H.264 consumer joins, so it need not wait up to 2 s for the next keyframe.
    // H.264 (RTSP) is source 1's only.
    if (sourceId === 1)
      api.onKeyframeRequest(() => {
        this.#capture.requestKeyframe();
      });
  }

  /** Whether H.264 encoding works here; null until the worker has tried (it tries when a consumer comes). */
  get h264Support(): H264Support | null {
    return this.#h264;
  }

  get camera(): LocalCamera {
    return this.#camera;
  }

  /** "1280×720 · 30 fps" while running, else null. */
  get mode(): string | null {
    return this.#camera.kind === 'running' ? this.#mode : null;
  }

  /** The size of the last encoded frame (after rotation); null before the first one. */
  get frameSize(): Pick<FrameMeta, 'width' | 'height'> | null {
    return this.#frameSize;
  }

  get isRunning(): boolean {
    return this.#capture.isRunning;
  }

  get options(): EncodeOptions {
    return this.#capture.options;
  }

  setOptions(options: EncodeOptions): void {
    this.#capture.setOptions(options);
  }

  stats(nowMs: number): CaptureStatsSnapshot {
    return this.#stats.snapshot(nowMs);
  }

  /** Marks a failure that is not the camera's (e.g. main could not start) after the camera was stopped. */
  fail(problem: Extract<LocalCamera, { kind: 'failed' }>['problem']): void {
    this.#camera = { kind: 'failed', problem };
  }

  /** Opens (or reopens) the camera; a denied, busy or missing camera becomes a 'failed' state, told to main. */
  async open(request: CameraRequest, options: EncodeOptions): Promise<OpenResult> {
    this.#camera = { kind: 'opening' };
    this.#events.changed();
    try {
      this.#capture.setOptions(options);
      if (request.cameraId !== null && isScreenSourceId(request.cameraId)) {
        await chooseScreenSource(this.#api, request.cameraId);
      }
      const started = await this.#capture.start(request);
      this.#camera = { kind: 'running', label: started.label };
      this.#mode = `${started.width}×${started.height} · ${Math.round(started.fps)} fps`;
      this.#stats.reset();
      this.#api.reportCameraState({ kind: 'running', label: started.label }, this.#sourceId);
      this.#busyRetry.cancel();
      this.#events.opened(this.#capture.videoTrack, started.deviceId);
      if (this.#sourceId === 1) this.#probeH264(started);
      return { ok: true, notice: started.notice };
    } catch (error) {
      // Superseded by stop() or a newer open(), which set the camera state themselves.
      if (error instanceof CaptureCancelledError) return { ok: false, isCancelled: true };
      const problem = isScreenSourceId(request.cameraId)
        ? describeScreenError(error, this.#platform)
        : describeCameraError(error, this.#platform);
      this.#camera = { kind: 'failed', problem };
      this.#api.reportCameraState(
        { kind: 'error', code: problem.code, message: problem.title },
        this.#sourceId,
      );
      if (problem.isRetriedAutomatically === true) this.#retryWhileBusy();
      return { ok: false, isCancelled: false };
    } finally {
      this.#events.changed();
    }
  }

  /** Stops the camera and any waiting for a busy one (the user pressed Stop, or main stopped). */
  stop(): void {
    this.#busyRetry.cancel();
    this.#capture.stop();
    this.#camera = { kind: 'off' };
    this.#mode = null;
    this.#frameSize = null;
    this.#stats.reset();
    this.#events.closed();
  }

  /** Says at once whether RTSP/H.264 can work here, before any consumer makes the worker try. */
  #probeH264(size: { width: number; height: number; fps: number }): void {
    const format = { width: size.width, height: size.height, fps: Math.round(size.fps) || 30 };
    probeH264(format).then(
      (support) => {
        if (this.#h264 !== null && this.#h264.kind === support.kind) return;
        this.#h264 = support;
        this.#events.changed();
      },
      () => undefined,
    );
  }

  /** Another app holds the camera: try again with backoff until it opens or stop() is called. */
  #retryWhileBusy(): void {
    this.#busyRetry.start(async () => {
      await this.#events.retryBusy();
      const camera = this.#camera;
      return camera.kind === 'failed' && camera.problem.isRetriedAutomatically === true
        ? 'busy'
        : 'done';
    });
  }

  #onEnded(): void {
    this.#camera = { kind: 'ended' };
    this.#mode = null;
    this.#frameSize = null;
    this.#stats.reset();
    this.#events.closed();
    this.#api.reportCameraState({ kind: 'ended' }, this.#sourceId);
    this.#events.changed();
  }
}
