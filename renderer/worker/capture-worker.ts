// Capture worker: reads camera frames, paces them, encodes the newest off the UI thread, posts JPEG bytes back.
import type { Size } from '../shared/frame-geometry.ts';
import { FramePacer } from '../shared/frame-pacer.ts';
import { LatestWins } from '../shared/latest-wins.ts';
import type { EncodeOptions, FromWorker, ToWorker } from '../shared/worker-protocol.ts';
import { FrameEncoder } from './frame-encoder.ts';

interface SourceFrame {
  readonly image: VideoFrame | ImageBitmap;
  readonly size: Size;
  readonly captureTimeMs: number;
}

declare const self: DedicatedWorkerGlobalScope;

const encoder = new FrameEncoder();
let options: EncodeOptions | null = null;
let pacer: FramePacer | null = null;
let isStopped = false;
let tickTimer: ReturnType<typeof setTimeout> | null = null;
let isBitmapRequested = false;

function hasStopped(): boolean {
  return isStopped;
}

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function nowEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

const queue = new LatestWins<SourceFrame>({
  process: async (frame) => {
    try {
      if (!options || isStopped) return;
      const encoded = await encoder.encode(frame.image, frame.size, options);
      // stop() may have arrived while the encode awaited.
      if (hasStopped()) return;
      post(
        {
          type: 'frame',
          jpeg: encoded.jpeg,
          meta: {
            captureTimeMs: frame.captureTimeMs,
            width: encoded.width,
            height: encoded.height,
          },
          encodeMs: encoded.encodeMs,
        },
        [encoded.jpeg],
      );
    } finally {
      frame.image.close();
    }
  },
  discard: (frame) => {
    frame.image.close();
  },
  onError: (error) => {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  },
});

function offer(frame: SourceFrame): void {
  if (!pacer?.shouldTake(performance.now())) {
    frame.image.close();
    return;
  }
  queue.offer(frame);
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
    if (!isBitmapRequested && !queue.isBusy && pacer?.shouldTake(performance.now())) {
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
      options = message.options;
      pacer = new FramePacer(options.fps);
      pacer.setIdle(options.isIdle);
      void readStream(message.readable);
      break;
    case 'start-bitmaps':
      options = message.options;
      pacer = new FramePacer(options.fps);
      pacer.setIdle(options.isIdle);
      scheduleTick();
      break;
    case 'bitmap':
      isBitmapRequested = false;
      // Already paced when it was requested.
      queue.offer({
        image: message.bitmap,
        size: { width: message.bitmap.width, height: message.bitmap.height },
        captureTimeMs: message.captureTimeMs,
      });
      break;
    case 'no-bitmap':
      isBitmapRequested = false;
      break;
    case 'options':
      options = message.options;
      pacer?.setFps(options.fps);
      pacer?.setIdle(options.isIdle);
      break;
    case 'stop':
      isStopped = true;
      queue.clear();
      if (tickTimer) clearTimeout(tickTimer);
      break;
  }
};
