// The keyless-flood scenario (issue 10): one viewer watches while a separate process sends keyless HTTP/1.0
// requests; measures the server's CPU and the viewer's longest gap between frames, quiet and under the flood.
import { fork } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  FloodConfig,
  FloodMessage,
  LoadResult,
  RunFigures,
  Scenario,
  ServerKind,
} from './bench-types.ts';
import { cpuPercent, readCpu, RssSampler, type CpuReading } from './proc-sampler.ts';
import type { RunSettings } from './run-scenario.ts';
import { spreadOf } from './sample-stats.ts';
import { startServer } from './server-process.ts';
import { Viewer } from './viewer.ts';

const floodClientPath = path.join(import.meta.dirname, 'keyless-flood.ts');
const MB = 1024 * 1024;
// In flight at once, spread over a few source addresses: each stays below LanCam's per-address socket cap, so
// both servers answer every request (401) and the comparison is the cost of answering, not of refusing.
const CONCURRENCY = 32;
const SOURCE_ADDRESSES = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 2}`);
const FLOOD_LIMIT_MS = 300_000;

export async function runFlood(
  kind: ServerKind,
  scenario: Scenario,
  settings: RunSettings,
): Promise<RunFigures> {
  const requests = scenario.floodRequests ?? 0;
  const server = await startServer(kind, {
    framesDir: settings.framesDir,
    fps: settings.fps,
    key: settings.key,
    maxViewers: scenario.viewers + 10,
  });
  const rss = new RssSampler(server.pid);
  const ages: number[] = [];
  const viewer = new Viewer(server.streamUrl, ages);
  try {
    await sleep(1000 + settings.warmupMs);
    const rssBefore = rss.sample();
    viewer.startRecording();
    const quietFrom = mustRead(server.pid);
    await sleep(scenario.durationMs);
    const quietTo = mustRead(server.pid);
    const quietLongestGapMs = viewer.longestGapMs;

    viewer.startRecording();
    ages.length = 0;
    const floodFrom = mustRead(server.pid);
    const flood = await runFloodProcess({
      port: Number(new URL(server.streamUrl).port),
      path: '/stream.mjpg',
      requests,
      concurrency: CONCURRENCY,
      localAddresses: SOURCE_ADDRESSES,
    });
    const floodTo = mustRead(server.pid);
    viewer.stopRecording();
    rss.sample();
    const windowMs = floodTo.atMs - floodFrom.atMs;
    const fps = viewer.frames / (windowMs / 1000);
    const load: LoadResult = {
      windowMs,
      viewersConnected: viewer.firstFrameMs === null ? 0 : 1,
      viewersAtRate: fps >= 0.95 * settings.fps ? 1 : 0,
      fps: { p50: fps, min: fps },
      latencyMs: spreadOf(ages),
      firstFrameMs: spreadOf(viewer.firstFrameMs === null ? [] : [viewer.firstFrameMs]),
      throttled: { fps: null, frameAgeMs: spreadOf([]) },
      bytesReceived: viewer.bytes,
      errors: viewer.error === null ? 0 : 1,
      firstError: viewer.error,
    };
    return {
      server: kind,
      scenario: scenario.name,
      load,
      cpuPercent: cpuPercent(floodFrom, floodTo),
      cpuSecondsPerGb: null,
      clientCpuPercent: 0,
      rssPeakMb: rss.peakBytes / MB,
      rssGrowthMb: (rss.peakBytes - rssBefore) / MB,
      stalledEvictedAfterS: null,
      stalledEvictedAfterProgressS: null,
      flood: {
        requests,
        durationMs: flood.durationMs,
        outcomes: flood.outcomes,
        longestGapMs: viewer.longestGapMs,
        quietLongestGapMs,
        quietCpuPercent: cpuPercent(quietFrom, quietTo),
      },
    };
  } finally {
    viewer.close();
    rss.stop();
    await server.stop();
  }
}

function mustRead(pid: number): CpuReading {
  const reading = readCpu(pid);
  if (!reading) throw new Error(`server process ${pid} is gone`);
  return reading;
}

function runFloodProcess(
  config: FloodConfig,
): Promise<{ durationMs: number; outcomes: Readonly<Record<string, number>> }> {
  return new Promise((resolve, reject) => {
    const child = fork(floodClientPath, [], { execArgv: ['--import', 'tsx'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flood did not finish within ${FLOOD_LIMIT_MS} ms`));
    }, FLOOD_LIMIT_MS);
    child.once('message', (message: FloodMessage) => {
      clearTimeout(timer);
      if (message.type === 'done') resolve(message);
      else reject(new Error(`flood failed: ${message.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`flood process exited (code ${String(code)}) without a result`));
    });
    child.send(config);
  });
}
