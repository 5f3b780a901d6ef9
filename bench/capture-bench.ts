// `npm run bench:capture`: the renderer's capture pipeline in real Chromium (fake camera fed a noisy test clip)
// at 720p/1080p × 30 fps × quality 0.8 into a real server, with 1 encode worker and with N, plus a bare page
// (camera → one worker → JPEG, nothing else) at 720p as the yardstick — fps, encode time, bytes, main-thread
// and Chromium CPU, idle rate and capture→viewer latency; then the same pooled runs with an RTSP client on, so
// WebCodecs H.264 encodes the same drawn frames too: its encode time, bitrate and the CPU it adds to JPEG.
// A table for people, then one JSON line for scripts. `--h264` runs only the pooled JPEG and H.264 rows.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Browser, CDPSession, Page, Worker } from 'playwright-core';
import type { ResolutionPreset } from '../electron/ipc.ts';
import { encodeWorkerCount } from '../renderer/worker/encode-order.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { RtspTestClient } from '../test/helpers/rtsp-client.ts';
import { fakeCameraFile } from '../test/helpers/fake-camera.ts';
import { MjpegViewer } from '../test/browser/support/mjpeg-viewer.ts';
import { TestBridge } from '../test/browser/support/test-bridge.ts';
import { sleep, waitFor } from '../test/helpers/wait.ts';
import { openBarePage } from './bare-capture-page.ts';

const MEASURE_MS = 10_000;
const WARMUP_MS = 2_000;
const IDLE_MS = 6_000;
const CLOCK_TICKS_PER_SECOND = 100; // Linux USER_HZ

/** What LanCam would pick here; the bench runs at least 2 so the scaling shows even on a 2-core machine. */
const autoWorkers = encodeWorkerCount(cpus().length);
const pooledWorkers = Math.max(2, autoWorkers);

interface Resolution {
  readonly name: '720p' | '1080p';
  readonly preset: ResolutionPreset;
  readonly width: number;
  readonly height: number;
}

interface Run {
  readonly name: string;
  readonly resolution: Resolution;
  /** null: the bare page instead of LanCam. */
  readonly encodeWorkers: number | null;
  readonly measureIdleAndLatency: boolean;
  /** An RTSP client plays during the measurement, so the H.264 encoder runs next to JPEG. */
  readonly h264?: boolean;
  /** No MJPEG viewer: only the RTSP client (an NVR recording around the clock), JPEG once a second. */
  readonly isRtspOnly?: boolean;
}

interface Result {
  readonly fps: number;
  readonly encodeP50Ms: number;
  readonly encodeP95Ms: number;
  readonly kbPerFrame: number;
  readonly mainThreadBusyPct: number;
  readonly chromiumCpuPct: number;
  readonly width: number;
  readonly height: number;
  readonly idleEncodesPerSec: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyP95Ms: number | null;
  /** JPEG bytes per second to main, in kbit/s. */
  readonly jpegKbps: number;
  readonly h264: {
    readonly encodeP50Ms: number;
    readonly encodeP95Ms: number;
    readonly kbps: number;
    readonly chunksPerSec: number;
  } | null;
}

const hd: Resolution = { name: '720p', preset: '720p', width: 1280, height: 720 };
const fullHd: Resolution = { name: '1080p', preset: '1080p', width: 1920, height: 1080 };
const runs: Run[] = [
  { name: '720p bare', resolution: hd, encodeWorkers: null, measureIdleAndLatency: false },
  { name: '720p ×1', resolution: hd, encodeWorkers: 1, measureIdleAndLatency: false },
  {
    name: `720p ×${pooledWorkers}`,
    resolution: hd,
    encodeWorkers: pooledWorkers,
    measureIdleAndLatency: true,
  },
  { name: '1080p ×1', resolution: fullHd, encodeWorkers: 1, measureIdleAndLatency: false },
  {
    name: `1080p ×${pooledWorkers}`,
    resolution: fullHd,
    encodeWorkers: pooledWorkers,
    measureIdleAndLatency: false,
  },
  {
    name: `720p ×${pooledWorkers} +H.264`,
    resolution: hd,
    encodeWorkers: pooledWorkers,
    measureIdleAndLatency: false,
    h264: true,
  },
  {
    name: `720p ×${pooledWorkers} RTSP only`,
    resolution: hd,
    encodeWorkers: pooledWorkers,
    measureIdleAndLatency: false,
    h264: true,
    isRtspOnly: true,
  },
  {
    name: `1080p ×${pooledWorkers} +H.264`,
    resolution: fullHd,
    encodeWorkers: pooledWorkers,
    measureIdleAndLatency: false,
    h264: true,
  },
];
const isH264Only = process.argv.includes('--h264');
const selectedRuns = runs.filter(
  (run) => !isH264Only || run.h264 === true || run.encodeWorkers === pooledWorkers,
);

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p + 0.5))] ?? Number.NaN
  );
}

/** utime + stime (clock ticks) of every process descended from this one: Chromium and its helpers. */
function descendantCpuTicks(): number {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name; ppid is field 4, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process exited while we listed it.
    }
  }
  let total = 0;
  for (const [pid, cpu] of ticks) {
    let parent = parents.get(pid);
    for (let depth = 0; parent !== undefined && parent > 1 && depth < 16; depth += 1) {
      if (parent === process.pid) {
        total += cpu;
        break;
      }
      parent = parents.get(parent);
    }
  }
  return total;
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

/** Rate, encode time and size of the frames of one measuring window. */
function frameFigures(
  frames: readonly { readonly bytes: number }[],
  encodesMs: readonly number[],
  wallS: number,
): Pick<Result, 'fps' | 'encodeP50Ms' | 'encodeP95Ms' | 'kbPerFrame'> {
  return {
    fps: frames.length / wallS,
    encodeP50Ms: percentile(encodesMs, 0.5),
    encodeP95Ms: percentile(encodesMs, 0.95),
    kbPerFrame: frames.reduce((sum, f) => sum + f.bytes, 0) / Math.max(1, frames.length) / 1024,
  };
}

interface MeasureWindow {
  readonly from: number;
  readonly to: number;
  readonly wallS: number;
  readonly cpu: Pick<Result, 'mainThreadBusyPct' | 'chromiumCpuPct'>;
}

/** Sleeps through the measuring window and reports its bounds and the CPU spent in it. */
async function measureWindow(cdp: CDPSession): Promise<MeasureWindow> {
  const cpuBefore = descendantCpuTicks();
  const taskBefore = await taskSeconds(cdp);
  const from = Date.now();
  await sleep(MEASURE_MS);
  const to = Date.now();
  const taskAfter = await taskSeconds(cdp);
  const cpuAfter = descendantCpuTicks();
  const wallS = (to - from) / 1000;
  return {
    from,
    to,
    wallS,
    cpu: {
      mainThreadBusyPct: ((taskAfter - taskBefore) / wallS) * 100,
      chromiumCpuPct: ((cpuAfter - cpuBefore) / CLOCK_TICKS_PER_SECOND / wallS) * 100,
    },
  };
}

/** Collects each encode worker's per-frame User Timing measure (draw + encode + copy-out). */
async function observeEncodes(workers: readonly Worker[]): Promise<void> {
  for (const worker of workers) await observeOne(worker);
}

async function observeOne(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { __encodeMs?: number[] };
    scope.__encodeMs = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) scope.__encodeMs?.push(entry.duration);
    }).observe({ entryTypes: ['measure'] });
  });
}

async function takeEncodes(workers: readonly Worker[]): Promise<number[]> {
  const all: number[] = [];
  for (const worker of workers) {
    all.push(
      ...(await worker.evaluate(() => {
        const scope = globalThis as unknown as { __encodeMs?: number[] };
        return (scope.__encodeMs ?? []).splice(0);
      })),
    );
  }
  return all;
}

async function captureWorker(page: Page): Promise<Worker> {
  return waitFor('the capture worker', () =>
    page.workers().find((w) => w.url().includes('capture-worker')),
  );
}

/** An RTSP client playing the stream (Basic auth with the key): makes main report an H.264 consumer. */
async function playRtsp(bridge: TestBridge): Promise<RtspTestClient> {
  const status = bridge.main.broadcast.status();
  const url = status.rtspUrls[0];
  if (!url || status.rtspPort === null) throw new Error('no RTSP URL while live');
  const bare = new URL(url);
  bare.username = '';
  bare.password = '';
  const client = await RtspTestClient.connect(status.rtspPort, { userAgent: 'bench:capture' });
  await client.play(bare.toString(), status.key);
  await waitFor('the first access unit over RTSP', () => client.accessUnits > 0, 15_000);
  return client;
}

async function encodeWorkers(page: Page, count: number): Promise<Worker[]> {
  return waitFor(`${count} encode workers`, () => {
    const found = page.workers().filter((w) => w.url().includes('encode-worker'));
    return found.length === count ? found : null;
  });
}

async function benchOne(browser: Browser, run: Run, workerCount: number): Promise<Result> {
  const bridge = new TestBridge({
    settings: { resolution: run.resolution.preset, fps: 30, jpegQuality: 0.8 },
  });
  const viewers: MjpegViewer[] = [];
  let rtsp: RtspTestClient | null = null;
  try {
    const page = await bridge.open(browser);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    // LanCam sizes its pool from navigator.hardwareConcurrency (one core left free): pretend to have one
    // more core than the workers wanted, so the production code path picks the count itself.
    await cdp.send('Emulation.setHardwareConcurrencyOverride', {
      hardwareConcurrency: workerCount + 1,
    });
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await waitFor(
      'live',
      async () => (await page.locator('#state').getAttribute('data-state')) === 'live',
    );
    // The first frame carries the format report, which makes the server drop viewers so they reconnect at
    // the new size; this viewer does not reconnect, so it must come after.
    await waitFor('first frame', () => bridge.frames.length > 0);
    const workers = await encodeWorkers(page, workerCount);
    await observeEncodes(workers);

    let idleEncodesPerSec: number | null = null;
    if (run.measureIdleAndLatency) {
      await sleep(1500);
      const from = Date.now();
      await sleep(IDLE_MS);
      const to = Date.now();
      const idle = bridge.frames.filter(
        (f) => f.receivedAtMs >= from && f.receivedAtMs < to,
      ).length;
      idleEncodesPerSec = (idle * 1000) / (to - from);
    }

    const viewer = run.isRtspOnly === true ? null : new MjpegViewer(bridge.url('/stream.mjpg'));
    if (viewer) {
      viewers.push(viewer);
      await viewer.connect();
    }
    const capture = run.h264 === true ? await captureWorker(page) : null;
    if (capture) {
      await observeOne(capture);
      rtsp = await playRtsp(bridge);
    }
    await sleep(WARMUP_MS);

    await takeEncodes(workers);
    if (capture) await takeEncodes([capture]);
    const { from, to, wallS, cpu } = await measureWindow(cdp);
    const encodes = await takeEncodes(workers);
    const h264Encodes = capture ? await takeEncodes([capture]) : [];
    const chunks = bridge.videoChunks.filter((c) => c.receivedAtMs >= from && c.receivedAtMs < to);

    const frames = bridge.frames.filter((f) => f.receivedAtMs >= from && f.receivedAtMs < to);
    const seen = new Set<number>();
    const latencies: number[] = [];
    for (const part of viewer?.parts ?? []) {
      if (part.receivedAtMs < from || part.receivedAtMs >= to || seen.has(part.timestampMs))
        continue;
      seen.add(part.timestampMs); // a repeated frame (keep-alive) is not a new capture
      latencies.push(part.receivedAtMs - part.timestampMs);
    }
    const last = frames.at(-1);
    const kbps = (bytes: number): number => (bytes * 8) / 1000 / wallS;
    return {
      ...frameFigures(frames, encodes, wallS),
      jpegKbps: kbps(frames.reduce((sum, f) => sum + f.bytes, 0)),
      h264: capture
        ? {
            encodeP50Ms: percentile(h264Encodes, 0.5),
            encodeP95Ms: percentile(h264Encodes, 0.95),
            kbps: kbps(chunks.reduce((sum, c) => sum + c.bytes, 0)),
            chunksPerSec: chunks.length / wallS,
          }
        : null,
      ...cpu,
      width: last?.width ?? 0,
      height: last?.height ?? 0,
      idleEncodesPerSec,
      latencyP50Ms: run.measureIdleAndLatency ? percentile(latencies, 0.5) : null,
      latencyP95Ms: run.measureIdleAndLatency ? percentile(latencies, 0.95) : null,
    };
  } finally {
    rtsp?.close();
    for (const v of viewers) v.close();
    await bridge.close();
  }
}

/** The bare page over the same window and the same CPU figures, so its row compares directly. */
async function benchBare(browser: Browser, run: Run): Promise<Result> {
  const bare = await openBarePage(browser, run.resolution, 0.8);
  try {
    const cdp = await bare.page.context().newCDPSession(bare.page);
    await cdp.send('Performance.enable');
    await waitFor('first bare frame', async () => (await bare.takeFrames()).length > 0);
    await sleep(WARMUP_MS);
    await bare.takeFrames();
    const { from, to, wallS, cpu } = await measureWindow(cdp);
    const frames = (await bare.takeFrames()).filter((f) => f.atMs >= from && f.atMs < to);
    const encodes = frames.map((f) => f.encodeMs);
    return {
      ...frameFigures(frames, encodes, wallS),
      ...cpu,
      width: run.resolution.width,
      height: run.resolution.height,
      idleEncodesPerSec: null,
      latencyP50Ms: null,
      latencyP95Ms: null,
      jpegKbps: (frames.reduce((sum, f) => sum + f.bytes, 0) * 8) / 1000 / wallS,
      h264: null,
    };
  } finally {
    await bare.close();
  }
}

const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const results = new Map<Run['name'], Result>();
const loadBefore = loadavg()[0] ?? 0;
for (const resolution of [hd, fullHd]) {
  const clip = await fakeCameraFile({ width: resolution.width, height: resolution.height });
  // One browser per resolution: the fake camera plays one file.
  const browser = await launchChromium({ fakeCamera: clip });
  try {
    for (const run of selectedRuns.filter((r) => r.resolution === resolution)) {
      process.stderr.write(`bench:capture ${run.name} …\n`);
      const result =
        run.encodeWorkers === null
          ? await benchBare(browser, run)
          : await benchOne(browser, run, run.encodeWorkers);
      results.set(run.name, result);
    }
  } finally {
    await browser.close();
  }
}

const header = [
  '',
  'size',
  'fps',
  'encode p50',
  'encode p95',
  'KB/frame',
  'main thread',
  'Chromium CPU',
];
const rows = [...results].map(([name, r]) => [
  name,
  `${r.width}×${r.height}`,
  r.fps.toFixed(1),
  `${r.encodeP50Ms.toFixed(1)} ms`,
  `${r.encodeP95Ms.toFixed(1)} ms`,
  r.kbPerFrame.toFixed(0),
  `${r.mainThreadBusyPct.toFixed(1)} %`,
  `${r.chromiumCpuPct.toFixed(0)} % of a core`,
]);
const widths = header.map((h, i) =>
  Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
);
const line = (cells: readonly string[]): string =>
  cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
    .join('  ');
const pooled = results.get(`720p ×${pooledWorkers}`);
const bare = results.get('720p bare');
console.log(
  'Capture pipeline: worker MediaStreamTrackProcessor → N encode workers (OffscreenCanvas → JPEG q0.8), ' +
    '30 fps target, 10 s each; ×N = N encode workers, bare = camera → one worker → JPEG and nothing else',
);
console.log(
  `LanCam picks ${autoWorkers} encode worker(s) on this ${cpus().length}-core machine; ` +
    `the ×${pooledWorkers} rows force ${pooledWorkers} via navigator.hardwareConcurrency`,
);
console.log(
  `${cpus().length} cores, 1-min load average ${loadBefore.toFixed(1)} before / ${(loadavg()[0] ?? 0).toFixed(1)} after ` +
    '(above ~1 other work competes for the CPU and every figure here gets worse)',
);
console.log(line(header));
for (const row of rows) console.log(line(row));
const versusBare = (name: string): string => {
  const fps = results.get(name)?.fps;
  if (fps === undefined || !bare) return `${name}: ?`;
  return `${name} ${(((fps - bare.fps) / bare.fps) * 100).toFixed(0)} %`;
};
if (bare) {
  console.log(
    `720p fps against the bare page (target: within −10 %): ${versusBare('720p ×1')} · ` +
      versusBare(`720p ×${pooledWorkers}`),
  );
}
console.log(
  `idle (0 viewers, 720p ×${pooledWorkers}): ${pooled?.idleEncodesPerSec?.toFixed(2) ?? '?'} encodes/s · ` +
    `capture → viewer receipt: p50 ${pooled?.latencyP50Ms?.toFixed(1) ?? '?'} ms, p95 ${pooled?.latencyP95Ms?.toFixed(1) ?? '?'} ms`,
);
console.log(
  'targets: 720p ≥ 29.5 fps, encode p95 ≤ 12 ms, main thread ≤ 5 %; 1080p ≥ 29 fps; idle ≤ 1/s; latency p50 ≤ 40 ms',
);
for (const resolution of [hd, fullHd]) {
  const jpeg = results.get(`${resolution.name} ×${pooledWorkers}`);
  const both = results.get(`${resolution.name} ×${pooledWorkers} +H.264`);
  const h264 = both?.h264;
  if (!jpeg || !both || !h264) continue;
  console.log(
    `${resolution.name} H.264 (WebCodecs, ${h264.chunksPerSec.toFixed(1)} chunks/s): encode p50 ` +
      `${h264.encodeP50Ms.toFixed(1)} ms, p95 ${h264.encodeP95Ms.toFixed(1)} ms (JPEG draw+encode p50 ` +
      `${jpeg.encodeP50Ms.toFixed(1)} ms, p95 ${jpeg.encodeP95Ms.toFixed(1)} ms) · ` +
      `${(h264.kbps / 1000).toFixed(2)} Mbit/s vs JPEG ${(both.jpegKbps / 1000).toFixed(1)} Mbit/s ` +
      `(${(both.jpegKbps / Math.max(1, h264.kbps)).toFixed(1)}× less) · Chromium CPU ` +
      `${jpeg.chromiumCpuPct.toFixed(0)} % JPEG only → ${both.chromiumCpuPct.toFixed(0)} % with H.264 ` +
      `(+${(both.chromiumCpuPct - jpeg.chromiumCpuPct).toFixed(0)} % of a core); fps ${jpeg.fps.toFixed(1)} → ${both.fps.toFixed(1)}`,
  );
}
const rtspOnly = results.get(`720p ×${pooledWorkers} RTSP only`);
if (rtspOnly?.h264) {
  console.log(
    `720p RTSP only (no MJPEG viewer): ${rtspOnly.h264.chunksPerSec.toFixed(1)} H.264 chunks/s, ` +
      `${rtspOnly.fps.toFixed(2)} JPEG/s, H.264 encode p50 ${rtspOnly.h264.encodeP50Ms.toFixed(1)} ms, ` +
      `Chromium CPU ${rtspOnly.chromiumCpuPct.toFixed(0)} % of a core`,
  );
}
const json: Record<string, unknown> = {};
for (const [name, r] of results) {
  json[name] = {
    fps: round(r.fps),
    encodeP95Ms: round(r.encodeP95Ms),
    mainThreadBusyPct: round(r.mainThreadBusyPct),
    kbPerFrame: round(r.kbPerFrame),
    chromiumCpuPct: round(r.chromiumCpuPct),
    ...(r.h264
      ? {
          h264EncodeP50Ms: round(r.h264.encodeP50Ms),
          h264EncodeP95Ms: round(r.h264.encodeP95Ms),
          h264Kbps: round(r.h264.kbps, 0),
          jpegKbps: round(r.jpegKbps, 0),
        }
      : {}),
  };
}
json.idleEncodesPerSec = round(pooled?.idleEncodesPerSec ?? Number.NaN, 2);
json.latencyP50Ms = round(pooled?.latencyP50Ms ?? Number.NaN);
json.autoEncodeWorkers = autoWorkers;
console.log(JSON.stringify(json));
