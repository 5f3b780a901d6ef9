// The yardstick for bench:capture: a page doing only camera → MediaStreamTrackProcessor → one worker →
// OffscreenCanvas JPEG (latest-wins, one encode in flight), with no preview, IPC, server or pacing.
import type { Browser, Page } from 'playwright-core';

export interface BareFrame {
  /** Date.now() in the page when the JPEG reached the page. */
  readonly atMs: number;
  readonly bytes: number;
  readonly encodeMs: number;
}

export interface BarePage {
  readonly page: Page;
  /** Frames received since the last call. */
  takeFrames(): Promise<BareFrame[]>;
  close(): Promise<void>;
}

// Fulfilled by Playwright, never fetched: a loopback origin is a secure context, as getUserMedia needs.
const BARE_URL = 'http://127.0.0.1:9/bare.html';

/** Runs in the worker (as a Blob URL): the same draw + convertToBlob + arrayBuffer LanCam's encoder does. */
function bareWorker(quality: number): void {
  let pending: VideoFrame | null = null;
  let isBusy = false;
  let canvas: OffscreenCanvas | null = null;
  let context: OffscreenCanvasRenderingContext2D | null = null;
  const encode = async (frame: VideoFrame): Promise<void> => {
    const started = performance.now();
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (canvas?.width !== width || canvas.height !== height || !context) {
      canvas = new OffscreenCanvas(width, height);
      context = canvas.getContext('2d', { alpha: false, desynchronized: true });
    }
    context?.drawImage(frame, 0, 0, width, height);
    frame.close();
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
    const jpeg = await blob.arrayBuffer();
    const message = {
      atMs: Date.now(),
      bytes: jpeg.byteLength,
      encodeMs: performance.now() - started,
    };
    // The options form type-checks against both Window and worker postMessage.
    postMessage({ ...message, jpeg }, { transfer: [jpeg] });
  };
  const run = async (first: VideoFrame): Promise<void> => {
    isBusy = true;
    let frame: VideoFrame | null = first;
    while (frame) {
      await encode(frame);
      frame = pending;
      pending = null;
    }
    isBusy = false;
  };
  onmessage = async (event: MessageEvent<{ readable: ReadableStream<VideoFrame> }>) => {
    const reader = event.data.readable.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (isBusy) {
        pending?.close();
        pending = value;
      } else {
        void run(value);
      }
    }
  };
}

export async function openBarePage(
  browser: Browser,
  size: { readonly width: number; readonly height: number },
  quality: number,
): Promise<BarePage> {
  const page = await browser.newPage();
  await page.route(BARE_URL, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bare</title>' }),
  );
  await page.goto(BARE_URL);
  const source = `var __name = (t) => t;\n(${bareWorker.toString()})(${quality});`;
  await page.evaluate(
    async ({ source, width, height }) => {
      type Processor = new (init: { track: MediaStreamTrack }) => {
        readable: ReadableStream<VideoFrame>;
      };
      const scope = window as unknown as {
        __bare: unknown[];
        MediaStreamTrackProcessor: Processor;
      };
      scope.__bare = [];
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { width, height, frameRate: 30 },
      });
      const [track] = stream.getVideoTracks();
      if (!track) throw new Error('no video track');
      const { readable } = new scope.MediaStreamTrackProcessor({ track });
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      const worker = new Worker(url, { name: 'bare-encode' });
      worker.onmessage = (
        event: MessageEvent<{ atMs: number; bytes: number; encodeMs: number }>,
      ) => {
        const { atMs, bytes, encodeMs } = event.data;
        scope.__bare.push({ atMs, bytes, encodeMs });
      };
      worker.postMessage({ readable }, [readable]);
    },
    { source, width: size.width, height: size.height },
  );
  return {
    page,
    takeFrames: () =>
      page.evaluate(() => (window as unknown as { __bare: BareFrame[] }).__bare.splice(0)),
    close: () => page.close(),
  };
}
