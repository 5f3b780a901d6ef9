// Measures what a person on a slow link sees: a server in one namespace, Chromium showing the viewer page in the
// other, the link between them shaped. The age of the picture on screen is read from the frames themselves (the
// barcode in the pixels, matched with when an unshaped reader next to the server saw that frame arrive).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { quietChromiumArgs } from '../helpers/chromium.ts';
import {
  BARCODE_BITS,
  BARCODE_BOX,
  BARCODE_STEP,
  BARCODE_X0,
  BARCODE_Y0,
  ensureIndexedVideo,
  IndexUnwrapper,
  type IndexedFrameSet,
} from '../helpers/indexed-frames.ts';
import type { ShapedLink } from '../helpers/netns.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SERVER_ENTRY = {
  lancam: path.join(root, 'out/cli/lancam.mjs'),
  naive: path.join(root, 'bench/naive-koa-server.mjs'),
} as const;

export interface LinkRun {
  readonly rateKbit: number;
  /** 'channel': LanCam's viewer page as is (JPEG on the channel); 'channel-h264': the same page with an H.264
   *  source, made a secure context so it plays with WebCodecs; 'channel-h264-mse': the same on plain http, as
   *  every LAN viewer opens it (no WebCodecs there), so it plays through MSE; 'multipart': the page without
   *  WebSocket (its <img> fallback); 'naive-img': a plain <img> on the naive baseline server's stream. */
  readonly viewer: 'channel' | 'channel-h264' | 'channel-h264-mse' | 'multipart' | 'naive-img';
  readonly seconds: number;
  /** Viewers on the unshaped path next to the server (the reference reader is one of them). */
  readonly unshapedViewers: number;
}

export interface LinkResult {
  /** Age of the picture on screen, sampled every 100 ms, in ms. */
  readonly agesMs: number[];
  /** New frames shown per second. */
  readonly shownPerSecond: number;
  /** Frames per second published by the source over the window. */
  readonly sourceFps: number;
  /** Frame rate of each unshaped viewer over the window. */
  readonly unshapedFps: number[];
  readonly unshapedErrors: number;
  /** What the page said it played at the end ('h264/webcodecs', 'h264/mse', 'jpeg'; null for the multipart and
   *  naive pages). */
  readonly pageCodec: string | null;
  /** Bytes per second the server sent over the shaped link during the window (all headers included). */
  readonly linkBytesPerSecond: number;
}

function spawnInNs(ns: string, args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', ns, process.execPath, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function lines(child: ChildProcess, onLine: (line: string) => void): void {
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    let end;
    while ((end = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
    }
  });
}

function firstLine(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      reject(new Error(`${what}: no output in 20 s. ${stderr}`));
    }, 20_000);
    lines(child, (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${String(code)}: ${stderr}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs in the page: which frame does the <img> show now (from its barcode), or -1. */
function readBarcode(geometry: {
  bits: number;
  x0: number;
  step: number;
  y0: number;
  box: number;
}): number {
  // H.264 is drawn on the page's canvas (WebCodecs) or plays in its <video> (MSE), JPEG goes into its <img>.
  const canvas = document.querySelector<HTMLCanvasElement>('canvas#video');
  const video = document.querySelector<HTMLVideoElement>('video#mse-video');
  const img = document.querySelector('img');
  const source =
    video && !video.hidden && video.videoWidth > 0
      ? video
      : canvas && !canvas.hidden && canvas.width > 0
        ? canvas
        : img;
  if (!source || (source instanceof HTMLImageElement && source.naturalWidth === 0)) return -1;
  const width = geometry.x0 + geometry.bits * geometry.step;
  const height = geometry.y0 + geometry.box;
  const scope = globalThis as unknown as { barcodeCanvas?: CanvasRenderingContext2D };
  if (!scope.barcodeCanvas) {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) return -1;
    scope.barcodeCanvas = context;
  }
  const context = scope.barcodeCanvas;
  context.drawImage(source, 0, 0);
  const pixels = context.getImageData(0, 0, width, height).data;
  const y = geometry.y0 + geometry.box / 2;
  let index = 0;
  for (let bit = 0; bit < geometry.bits; bit++) {
    const x = geometry.x0 + bit * geometry.step + geometry.box / 2;
    if ((pixels[(y * width + x) * 4] ?? 0) > 128) index |= 1 << bit;
  }
  return index;
}

const geometry = {
  bits: BARCODE_BITS,
  x0: BARCODE_X0,
  step: BARCODE_STEP,
  y0: BARCODE_Y0,
  box: BARCODE_BOX,
};

async function openViewer(page: Page, base: string, key: string, run: LinkRun): Promise<void> {
  if (run.viewer === 'naive-img') {
    // The naive server has no page: a same-origin document with one <img> on its stream (same origin, so the
    // canvas that reads the barcode is not tainted).
    await page.goto(`${base}/status.json?key=${key}`);
    await page.evaluate((src) => {
      document.body.innerHTML = '';
      const img = document.createElement('img');
      img.src = src;
      document.body.append(img);
    }, `/stream.mjpg?key=${key}`);
    return;
  }
  if (run.viewer === 'multipart') {
    await page.addInitScript(() => {
      Reflect.deleteProperty(window, 'WebSocket');
    });
  }
  await page.goto(`${base}/?key=${key}`);
}

export async function measurePageOverLink(
  link: ShapedLink,
  frames: IndexedFrameSet,
  run: LinkRun,
): Promise<LinkResult> {
  link.setRate(run.rateKbit);
  const key = randomBytes(16).toString('hex');
  const kind = run.viewer === 'naive-img' ? 'naive' : 'lancam';
  const server = spawnInNs(link.serverNs, [
    SERVER_ENTRY[kind],
    'serve',
    ...['--frames', frames.dir, '--fps', '30', '--host', link.serverAddress, '--port', '0'],
    ...['--key', key, '--max-viewers', '64', '--json'],
    // Every unshaped viewer comes from the one address beside the server: lift LanCam's per-address share.
    ...(kind === 'lancam' ? ['--max-viewers-per-address', '64'] : []),
    ...(run.viewer === 'channel-h264' || run.viewer === 'channel-h264-mse'
      ? ['--video', ensureIndexedVideo(frames)]
      : []),
  ]);
  const children: ChildProcess[] = [server];
  let browser: Browser | null = null;
  try {
    const { port } = JSON.parse(await firstLine(server, `${kind} serve`)) as { port: number };
    const base = `http://${link.serverAddress}:${port}`;
    browser = await chromium.launch({
      executablePath: link.chromiumWrapper,
      headless: true,
      // WebCodecs exists only in secure contexts; a LAN page on plain http plays H.264 through MSE instead. The
      // 'channel-h264' run measures what a page gets where it is secure (localhost, or https through a gateway).
      args: [
        ...quietChromiumArgs,
        ...(run.viewer === 'channel-h264'
          ? [`--unsafely-treat-insecure-origin-as-secure=${base}`]
          : []),
      ],
    });
    const arrivals = new Map<number, number>();
    const reference = spawnInNs(link.serverNs, [
      ...['--import', 'tsx', path.join(import.meta.dirname, 'reference-viewers.ts')],
      ...[`${base}/stream.mjpg?key=${key}`, String(run.unshapedViewers), String(frames.count)],
    ]);
    children.push(reference);
    let unshaped: { fps: number[]; errors: number } | null = null;
    lines(reference, (line) => {
      const message = JSON.parse(line) as {
        g?: number;
        t?: number;
        fps?: number[];
        errors?: number;
      };
      if (message.g !== undefined && message.t !== undefined) arrivals.set(message.g, message.t);
      if (message.fps) unshaped = { fps: message.fps, errors: message.errors ?? 0 };
    });

    const page = await browser.newPage();
    await openViewer(page, base, key, run);
    const deadline = Date.now() + 20_000;
    while ((await page.evaluate(readBarcode, geometry)) < 0) {
      if (Date.now() > deadline) throw new Error('the page showed no picture within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // A few seconds for the link to settle (a new connection's first burst, TCP's ramp-up).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    reference.stdin?.write('start\n');
    const firstPublished = Math.max(...arrivals.keys());
    const sentBytesAtStart = link.sentBytes();
    const windowStartMs = Date.now();
    const samples: { atMs: number; index: number }[] = [];
    const endAt = Date.now() + run.seconds * 1000;
    while (Date.now() < endAt) {
      const beforeMs = Date.now();
      const index = await page.evaluate(readBarcode, geometry);
      // The pixels were read somewhere inside the call: its midpoint, not its end, is when.
      samples.push({ atMs: (beforeMs + Date.now()) / 2, index });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const lastPublished = Math.max(...arrivals.keys());
    const linkBytesPerSecond =
      ((link.sentBytes() - sentBytesAtStart) * 1000) / (Date.now() - windowStartMs);
    const pageCodec = await page.evaluate(() => {
      const { codec, player } = document.body.dataset;
      return codec && player ? `${codec}/${player}` : (codec ?? null);
    });
    reference.stdin?.end();
    await new Promise<void>((resolve) =>
      reference.once('exit', () => {
        resolve();
      }),
    );

    const agesMs: number[] = [];
    const shown = new Set<number>();
    let unwrap: IndexUnwrapper | null = null;
    for (const sample of samples) {
      if (sample.index < 0) continue;
      if (!unwrap) {
        // The first sample: the newest publication of that index that had already arrived next to the server.
        let first = -1;
        for (const [g, t] of arrivals) {
          if (g % frames.count === sample.index && t <= sample.atMs && g > first) first = g;
        }
        if (first < 0) continue;
        unwrap = new IndexUnwrapper(frames.count, first);
      }
      const g = unwrap.next(sample.index);
      const publishedAt = arrivals.get(g);
      if (publishedAt === undefined) continue;
      shown.add(g);
      agesMs.push(sample.atMs - publishedAt);
    }
    const result = unshaped as { fps: number[]; errors: number } | null;
    return {
      agesMs,
      shownPerSecond: shown.size / run.seconds,
      sourceFps: (lastPublished - firstPublished) / run.seconds,
      unshapedFps: result?.fps ?? [],
      unshapedErrors: result?.errors ?? 0,
      pageCodec,
      linkBytesPerSecond,
    };
  } finally {
    await browser?.close();
    await Promise.all(children.map(stopChild));
  }
}

export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? Number.NaN;
}
