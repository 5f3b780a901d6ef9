// Capture worker: reads camera frames, paces them, hands them to the encode workers, posts JPEG bytes back,
// and feeds the same drawn frames to the H.264 encoder while anyone consumes H.264.
import type { Size } from '../shared/frame-geometry.ts';
import { FramePacer } from '../shared/frame-pacer.ts';
import type { EncodeOptions, FromWorker, ToWorker } from '../shared/worker-protocol.ts';
import { EncoderPool, type PoolResult } from './encoder-pool.ts';
import { H264Encoder } from './h264-encoder.ts';

interface SourceFrame {
  readonly image: VideoFrame | ImageBitmap;
  readonly size: Size;
  readonly captureTimeMs: number;
}

declare const self: DedicatedWorkerGlobalScope;

let options: EncodeOptions | null = null;
let pacer: FramePacer | null = null;
let pool: EncoderPool | null = null;
let isStopped = false;
let tickTimer: ReturnType<typeof setTimeout> | null = null;
let isBitmapRequested = false;
let lastJpegAtMs = Number.NEGATIVE_INFINITY;
const h264 = new H264Encoder({
  onChunk: (chunk) => {
    if (!isStopped) post({ type: 'video-chunk', chunk }, [chunk.data]);
  },
  onSupport: (support) => {
    post({ type: 'h264-support', support });
  },
  onError: (message) => {
    post({ type: 'error', message });
  },
});

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

function send(result: PoolResult): void {
  if (isStopped) {
    result.videoFrame?.close();
    return;
  }
  if (result.videoFrame)
    h264.encode(result.videoFrame, options?.fps ?? 30, options?.h264BitrateBps);
  if (!result.jpeg) return;
  // Main compares each frame's size with the last one and reconnects viewers itself (broadcast.ts).
  post(
    {
      type: 'frame',
      jpeg: result.jpeg,
      meta: { captureTimeMs: result.captureTimeMs, width: result.width, height: result.height },
      encodeMs: result.encodeMs,
    },
    [result.jpeg],
  );
}

/** JPEG for every frame while someone views it, else at most one a second (H.264 may still want every frame). */
function wantsJpeg(): boolean {
  const nowMs = performance.now();
  // In the pacer's own idle mode (nobody at all) it already takes one frame a second: all of them are JPEG.
  const isThinned = options?.isJpegIdle === true && !options.isIdle;
  if (isThinned && nowMs - lastJpegAtMs < 1000) return false;
  lastJpegAtMs = nowMs;
  return true;
}

function applyOptions(next: EncodeOptions): void {
  options = next;
  h264.setConsumerCount(next.videoConsumers);
}

function startPool(workerCount: number | undefined): void {
  pool = new EncoderPool({
    workerCount: Math.max(1, Math.floor(workerCount ?? 1)),
    workerUrl: new URL('encode-worker.js', self.location.href).href,
    options: () => (isStopped ? null : options),
    wantsVideoFrame: () => h264.isActive,
    wantsJpeg,
    emit: send,
    onError: (message) => {
      post({ type: 'error', message });
    },
  });
}

function offer(frame: SourceFrame): void {
  if (!pacer?.shouldTake(performance.now())) {
    frame.image.close();
    return;
  }
  if (pool) pool.offer(frame);
  else frame.image.close();
}

/** MediaStreamTrackProcessor path: frame-driven, so it keeps going while the window is hidden. */
async function readStream(readable: ReadableStream<VideoFrame>): Promise<void> {
  const reader = readable.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (isStopped) {
        value.close();
        break;
      }
      offer({
        image: value,
        size: { width: value.displayWidth, height: value.displayHeight },
        captureTimeMs: nowEpochMs(),
      });
    }
  } catch (error) {
    if (!isStopped) post({ type: 'error', message: String(error) });
  } finally {
    reader.releaseLock();
  }
  if (!isStopped) post({ type: 'source-ended' });
}

/** Fallback path: a worker timer (not throttled like page timers or rAF) asks the page for bitmaps. */
function scheduleTick(): void {
  if (isStopped || !pacer) return;
  const delay = Math.max(1, pacer.intervalMs / 4);
  tickTimer = setTimeout(() => {
    tickTimer = null;
    if (!isBitmapRequested && pool?.isSaturated === false && pacer?.shouldTake(performance.now())) {
      isBitmapRequested = true;
      post({ type: 'want-bitmap' });
    }
    scheduleTick();
  }, delay);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'start-stream':
      applyOptions(message.options);
      pacer = new FramePacer(message.options.fps);
      pacer.setIdle(message.options.isIdle);
      startPool(message.encodeWorkers);
      void readStream(message.readable);
      break;
    case 'start-bitmaps':
      applyOptions(message.options);
      pacer = new FramePacer(message.options.fps);
      pacer.setIdle(message.options.isIdle);
      startPool(message.encodeWorkers);
      scheduleTick();
      break;
    case 'bitmap':
      isBitmapRequested = false;
      // Already paced when it was requested.
      pool?.offer({
        image: message.bitmap,
        size: { width: message.bitmap.width, height: message.bitmap.height },
        captureTimeMs: message.captureTimeMs,
      });
      break;
    case 'no-bitmap':
      isBitmapRequested = false;
      break;
    case 'options':
      applyOptions(message.options);
      pacer?.setFps(message.options.fps);
      pacer?.setIdle(message.options.isIdle);
      break;
    case 'keyframe':
      h264.requestKeyframe();
      break;
    case 'stop':
      isStopped = true;
      pool?.close();
      h264.close();
      if (tickTimer) clearTimeout(tickTimer);
      break;
  }
};
