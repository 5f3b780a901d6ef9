// Opens the camera and runs the capture worker; hands JPEG frames to an injected sink (never window.lancam).
import type { FrameMeta } from '../electron/ipc.ts';
import {
  constraintLadder,
  describeModeShortfall,
  isConstraintError,
  type CameraRequest,
} from './camera-constraints.ts';
import type {
  EncodeOptions,
  FromWorker,
  H264Support,
  ToWorker,
  WorkerVideoChunk,
} from './shared/worker-protocol.ts';
import { displayMediaOptions, isScreenSourceId } from './screen-sources.ts';
import { encodeWorkerCount } from './worker/encode-order.ts';

export interface CaptureSink {
  frame(jpeg: ArrayBuffer, meta: FrameMeta, encodeMs: number): void;
  /** The camera track ended on its own (unplugged, driver gone). */
  ended(): void;
  error(message: string): void;
  /** One H.264 access unit (only while options.videoConsumers ≥ 1). */
  videoChunk?(chunk: WorkerVideoChunk): void;
  /** Whether H.264 encoding works here, once the worker has tried. */
  h264Support?(support: H264Support): void;
}

export interface CaptureStarted {
  readonly label: string;
  readonly deviceId: string | null;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Set when the camera gave less than asked for, or another camera had to be used. */
  readonly notice: string | null;
}

/** start() lost a race with stop() or a newer start(); not a camera problem, nothing to show. */
export class CaptureCancelledError extends Error {
  constructor() {
    super('camera start was superseded');
    this.name = 'CaptureCancelledError';
  }
}

interface MediaStreamTrackProcessorInit {
  readonly track: MediaStreamTrack;
}
type MediaStreamTrackProcessorConstructor = new (init: MediaStreamTrackProcessorInit) => {
  readonly readable: ReadableStream<VideoFrame>;
};

/** Chromium exposes it on Window (not in TS's DOM lib, where the spec puts it in workers only). */
function trackProcessor(): MediaStreamTrackProcessorConstructor | null {
  const candidate: unknown = Reflect.get(globalThis, 'MediaStreamTrackProcessor');
  return typeof candidate === 'function'
    ? (candidate as MediaStreamTrackProcessorConstructor)
    : null;
}

export class CameraCapture {
  readonly #preview: HTMLVideoElement;
  readonly #sink: CaptureSink;
  readonly #workerUrl: string;
  #stream: MediaStream | null = null;
  #worker: Worker | null = null;
  #options: EncodeOptions;
  #generation = 0;

  constructor(
    preview: HTMLVideoElement,
    sink: CaptureSink,
    options: EncodeOptions,
    workerUrl = 'capture-worker.js',
  ) {
    this.#preview = preview;
    this.#sink = sink;
    this.#options = options;
    this.#workerUrl = workerUrl;
  }

  get isRunning(): boolean {
    return this.#stream !== null;
  }

  /** The open camera's track, for camera controls (zoom, focus, …); null while stopped. */
  get videoTrack(): MediaStreamTrack | null {
    return this.#stream?.getVideoTracks()[0] ?? null;
  }

  /** Opens the camera (walking the constraint ladder) and starts encoding; throws getUserMedia's error. */
  async start(request: CameraRequest): Promise<CaptureStarted> {
    this.stop();
    const generation = ++this.#generation;
    const { stream, usedFallbackDevice } = await openCamera(request);
    if (generation !== this.#generation) {
      // stop() or another start() won the race while the camera was opening.
      for (const track of stream.getTracks()) track.stop();
      throw new CaptureCancelledError();
    }
    const track = stream.getVideoTracks()[0];
    if (!track) throw new DOMException('The camera gave no video track', 'NotReadableError');
    this.#stream = stream;
    track.addEventListener('ended', () => {
      if (generation !== this.#generation) return;
      this.stop();
      this.#sink.ended();
    });
    this.#preview.srcObject = stream;
    this.#preview.play().catch(() => undefined);
    this.#startWorker(track, generation);

    const settings = track.getSettings();
    const width = settings.width ?? 0;
    const height = settings.height ?? 0;
    const fps = settings.frameRate ?? 0;
    // A screen has its own size: being smaller than the preset is not a shortfall.
    const shortfall = isScreenSourceId(request.cameraId)
      ? null
      : describeModeShortfall(request, { width, height, fps });
    const notices = [
      usedFallbackDevice ? 'The chosen camera is not available; using the default camera.' : null,
      shortfall,
    ].filter((note): note is string => note !== null);
    return {
      label: track.label || 'Camera',
      deviceId: settings.deviceId ?? null,
      width,
      height,
      fps,
      notice: notices.length > 0 ? notices.join(' ') : null,
    };
  }

  /** Quality, mirror, rotation, overlay, fps cap and idle mode: applied from the next frame. */
  setOptions(options: EncodeOptions): void {
    this.#options = options;
    this.#post({ type: 'options', options });
  }

  get options(): EncodeOptions {
    return this.#options;
  }

  /** A new H.264 consumer joined: the next encoded frame is a keyframe. */
  requestKeyframe(): void {
    this.#post({ type: 'keyframe' });
  }

  stop(): void {
    this.#generation += 1;
    if (this.#worker) {
      this.#post({ type: 'stop' });
      this.#worker.terminate();
      this.#worker = null;
    }
    if (this.#stream) {
      for (const track of this.#stream.getTracks()) track.stop();
      this.#stream = null;
    }
    this.#preview.srcObject = null;
  }

  #post(message: ToWorker, transfer: Transferable[] = []): void {
    this.#worker?.postMessage(message, transfer);
  }

  #startWorker(track: MediaStreamTrack, generation: number): void {
    const worker = new Worker(this.#workerUrl, { name: 'lancam-capture' });
    this.#worker = worker;
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      if (generation !== this.#generation) return;
      this.#onWorkerMessage(event.data);
    };
    worker.onerror = (event) => {
      if (generation === this.#generation)
        this.#sink.error(event.message || 'capture worker failed');
    };
    const Processor = trackProcessor();
    const encodeWorkers = encodeWorkerCount(navigator.hardwareConcurrency);
    if (Processor) {
      const { readable } = new Processor({ track });
      this.#post({ type: 'start-stream', readable, options: this.#options, encodeWorkers }, [
        readable,
      ]);
    } else {
      this.#post({ type: 'start-bitmaps', options: this.#options, encodeWorkers });
    }
  }

  #onWorkerMessage(message: FromWorker): void {
    switch (message.type) {
      case 'frame':
        this.#sink.frame(message.jpeg, message.meta, message.encodeMs);
        break;
      case 'video-chunk':
        this.#sink.videoChunk?.(message.chunk);
        break;
      case 'h264-support':
        this.#sink.h264Support?.(message.support);
        break;
      case 'want-bitmap':
        void this.#sendBitmap();
        break;
      case 'source-ended':
        // The track's own 'ended' event reports unplugging; this only matters if the stream died silently.
        if (this.#stream?.getVideoTracks()[0]?.readyState === 'ended') this.#sink.ended();
        break;
      case 'error':
        this.#sink.error(message.message);
        break;
    }
  }

  async #sendBitmap(): Promise<void> {
    const video = this.#preview;
    const captureTimeMs = performance.timeOrigin + performance.now();
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) {
      this.#post({ type: 'no-bitmap' });
      return;
    }
    try {
      const bitmap = await createImageBitmap(video);
      this.#post({ type: 'bitmap', bitmap, captureTimeMs }, [bitmap]);
    } catch {
      this.#post({ type: 'no-bitmap' });
    }
  }
}

async function openCamera(
  request: CameraRequest,
): Promise<{ stream: MediaStream; usedFallbackDevice: boolean }> {
  if (isScreenSourceId(request.cameraId)) {
    // Main answers with the source chosen beforehand (screen-sources.ts); there is no ladder to walk.
    const stream = await navigator.mediaDevices.getDisplayMedia(displayMediaOptions(request));
    return { stream, usedFallbackDevice: false };
  }
  const ladder = constraintLadder(request);
  let lastError: unknown = null;
  for (const [index, constraints] of ladder.entries()) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(withPanTiltZoom(constraints));
      const video = constraints.video;
      const usedFallbackDevice =
        request.cameraId !== null && typeof video === 'object' && video.deviceId === undefined;
      return { stream, usedFallbackDevice };
    } catch (error) {
      lastError = error;
      const name = error instanceof DOMException ? error.name : '';
      if (!isConstraintError(name) || index === ladder.length - 1) throw error;
    }
  }
  throw lastError;
}

/**
 * Asks for pan/tilt/zoom along with the camera, so PTZ shows up in getCapabilities() without a second
 * prompt; as an advanced set it never fails the call on a camera without PTZ (w3c/mediacapture-image
 * ptz-explainer.md). Main's permission policy grants it to our window only.
 */
function withPanTiltZoom(constraints: MediaStreamConstraints): MediaStreamConstraints {
  const video = constraints.video;
  if (typeof video !== 'object') return constraints;
  const ptz = { pan: true, tilt: true, zoom: true } as MediaTrackConstraintSet;
  return { ...constraints, video: { ...video, advanced: [...(video.advanced ?? []), ptz] } };
}
