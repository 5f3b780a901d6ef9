// `npm run bench:rtsp`: RTSP fan-out (200 clients over TCP interleaved: share at full rate, server CPU per
// GB) side by side with MJPEG fan-out, and bytes per viewer per second H.264 vs MJPEG of the same 720p30
// source. `-- --quick` for 3 s windows, `--scenario rtsp-fanout|bytes` for one, `--clients N`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { RtspTestClient } from '../test/helpers/rtsp-client.ts';
import { ensureFrames } from './frames.ts';
import { ensureH264Clip } from './h264-clip.ts';
import { cpuPercent, readCpu, RssSampler, type CpuReading } from './proc-sampler.ts';
import { serverEntry } from './server-process.ts';
import { Viewer } from './viewer.ts';

const FPS = 30;
const resultsDir = path.join(import.meta.dirname, 'results');
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    clients: { type: 'string', default: '200' },
  },
});
const windowMs = values.quick ? 3000 : 10_000;
const clientCount = Number(values.clients);
const wanted = (values.scenario ?? ['rtsp-fanout', 'bytes']).flatMap((s) => s.split(','));
if (!existsSync(serverEntry.lancam)) {
  throw new Error(
    `${serverEntry.lancam} is missing: run \`node build/bundle.mjs --only cli\` first`,
  );
}
const key = randomBytes(16).toString('hex');
const frames = await ensureFrames(path.join(resultsDir, 'frames'), '720p');
const clip = await ensureH264Clip(frames.dir, path.join(resultsDir, 'frames'));
log(
  `source: ${frames.count} JPEG frames of ${(frames.meanBytes / 1000).toFixed(0)} KB, H.264 ${clip}`,
);

interface Server {
  readonly pid: number;
  readonly port: number;
  readonly rtsp: string;
  stop(): Promise<void>;
}

async function startServer(maxViewers: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...[
        serverEntry.lancam,
        'serve',
        '--frames',
        frames.dir,
        '--video',
        clip,
        '--fps',
        String(FPS),
      ],
      ...['--host', '127.0.0.1', '--port', '0', '--rtsp-port', '0', '--key', key],
      ...['--max-viewers', String(maxViewers), '--json'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${code}`));
    });
  });
  const info = JSON.parse(line) as { port: number; rtsp: string };
  return { pid: child.pid ?? 0, port: info.port, rtsp: info.rtsp, stop: () => stop(child) };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface Counter {
  frames(): number;
  bytes(): number;
  close(): void;
}

async function rtspClients(server: Server, count: number): Promise<Counter[]> {
  const url = new URL(server.rtsp);
  const plainUrl = `rtsp://${url.host}${url.pathname}`;
  const clients: Counter[] = [];
  // Connected in batches, as a burst of 200 handshakes at once measures the accept queue, not streaming.
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, count - i) }, async () => {
        const client = await RtspTestClient.connect(Number(url.port));
        await client.play(plainUrl, key);
        return {
          frames: () => client.accessUnits,
          bytes: () => client.bytes,
          close: () => {
            client.close();
          },
        };
      }),
    );
    clients.push(...batch);
  }
  return clients;
}

function mjpegViewers(server: Server, count: number): Counter[] {
  return Array.from({ length: count }, () => {
    const viewer = new Viewer(`http://127.0.0.1:${server.port}/stream.mjpg?key=${key}`, []);
    viewer.startRecording();
    return {
      frames: () => viewer.frames,
      bytes: () => viewer.bytes,
      close: () => {
        viewer.close();
      },
    };
  });
}

interface Window {
  readonly fpsPerClient: number[];
  readonly bytesPerClientPerSecond: number;
  readonly totalBytes: number;
  readonly serverCpuPercent: number;
  readonly serverCpuSecondsPerGb: number | null;
  readonly clientCpuPercent: number;
}

async function measure(server: Server, counters: Counter[]): Promise<Window> {
  await sleep(values.quick ? 1000 : 2000);
  const framesFrom = counters.map((c) => c.frames());
  const bytesFrom = counters.map((c) => c.bytes());
  const cpuFrom = mustRead(server.pid);
  const clientFrom = process.cpuUsage();
  const startedAt = performance.now();
  await sleep(windowMs);
  const seconds = (performance.now() - startedAt) / 1000;
  const cpuTo = mustRead(server.pid);
  const clientUsage = process.cpuUsage(clientFrom);
  const bytes = counters.map((c, i) => c.bytes() - (bytesFrom[i] ?? 0));
  const totalBytes = bytes.reduce((a, b) => a + b, 0);
  const cpuSeconds = cpuTo.cpuSeconds - cpuFrom.cpuSeconds;
  return {
    fpsPerClient: counters.map((c, i) => (c.frames() - (framesFrom[i] ?? 0)) / seconds),
    bytesPerClientPerSecond: totalBytes / counters.length / seconds,
    totalBytes,
    serverCpuPercent: cpuPercent(cpuFrom, cpuTo),
    serverCpuSecondsPerGb: totalBytes > 0 ? cpuSeconds / (totalBytes / 1e9) : null,
    clientCpuPercent: ((clientUsage.user + clientUsage.system) / 1e6 / seconds) * 100,
  };
}

function mustRead(pid: number): CpuReading {
  const reading = readCpu(pid);
  if (!reading) throw new Error(`server process ${pid} is gone`);
  return reading;
}

const atRate = (fps: number[]): number => fps.filter((f) => f >= FPS * 0.95).length / fps.length;
const median = (list: number[]): number =>
  [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0;

const results: Record<string, unknown> = {};
if (wanted.includes('rtsp-fanout')) {
  for (const protocol of ['rtsp', 'mjpeg'] as const) {
    log(`fan-out: ${clientCount} ${protocol} clients, ${windowMs / 1000} s window`);
    const server = await startServer(clientCount + 10);
    const rss = new RssSampler(server.pid);
    await sleep(1000);
    const counters =
      protocol === 'rtsp'
        ? await rtspClients(server, clientCount)
        : mjpegViewers(server, clientCount);
    try {
      const window = await measure(server, counters);
      results[`fanout-${protocol}`] = {
        clients: clientCount,
        shareAtFullRate: atRate(window.fpsPerClient),
        medianFps: median(window.fpsPerClient),
        minFps: Math.min(...window.fpsPerClient),
        mbitPerClient: (window.bytesPerClientPerSecond * 8) / 1e6,
        serverCpuPercent: window.serverCpuPercent,
        serverCpuSecondsPerGb: window.serverCpuSecondsPerGb,
        clientCpuPercent: window.clientCpuPercent,
        serverRssPeakMb: rss.peakBytes / 1024 / 1024,
      };
    } finally {
      rss.stop();
      for (const counter of counters) counter.close();
      await server.stop();
    }
  }
}
if (wanted.includes('bytes')) {
  log(`bytes per viewer per second, 720p30, ${windowMs / 1000} s window`);
  const server = await startServer(10);
  await sleep(1000);
  const rtsp = await rtspClients(server, 1);
  const mjpeg = mjpegViewers(server, 1);
  try {
    const [rtspWindow, mjpegWindow] = await Promise.all([
      measure(server, rtsp),
      measure(server, mjpeg),
    ]);
    results['bytes-720p30'] = {
      h264BytesPerSecond: Math.round(rtspWindow.bytesPerClientPerSecond),
      mjpegBytesPerSecond: Math.round(mjpegWindow.bytesPerClientPerSecond),
      h264Fps: rtspWindow.fpsPerClient[0],
      mjpegFps: mjpegWindow.fpsPerClient[0],
      mjpegToH264Ratio: mjpegWindow.bytesPerClientPerSecond / rtspWindow.bytesPerClientPerSecond,
    };
  } finally {
    for (const counter of [...rtsp, ...mjpeg]) counter.close();
    await server.stop();
  }
}

const summary = {
  bench: 'lancam-rtsp',
  date: new Date().toISOString(),
  quick: values.quick,
  windowMs,
  results,
};
await mkdir(resultsDir, { recursive: true });
const file = path.join(resultsDir, `rtsp-bench-${summary.date.replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
console.log(JSON.stringify(summary, null, 2));
console.log(`Results: ${path.relative(process.cwd(), file)}`);

function log(message: string): void {
  console.error(`[bench:rtsp] ${message}`);
}
