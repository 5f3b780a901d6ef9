// Runs one scenario against one server: start it, load it from a forked client, sample it, stop it.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  LoadConfig,
  LoadMessage,
  LoadResult,
  RunFigures,
  Scenario,
  ServerKind,
} from './bench-types.ts';
import { EvictionWatch } from './eviction-watch.ts';
import { cpuPercent, readCpu, RssSampler, type CpuReading } from './proc-sampler.ts';
import { startServer } from './server-process.ts';

const loadClientPath = path.join(import.meta.dirname, 'load-client.ts');
const THROTTLE_BYTES_PER_SEC = 100 * 1024;
const MB = 1024 * 1024;
// The client's own time limit on top of the scenario's: connect + warm-up + window + report.
const CLIENT_SLACK_MS = 60_000;

export interface RunSettings {
  readonly framesDir: string;
  readonly fps: number;
  readonly key: string;
  readonly warmupMs: number;
}

export async function runScenario(
  kind: ServerKind,
  scenario: Scenario,
  settings: RunSettings,
): Promise<RunFigures> {
  const readers = scenario.viewers + scenario.throttled;
  const server = await startServer(kind, {
    framesDir: settings.framesDir,
    fps: settings.fps,
    key: settings.key,
    maxViewers: readers + scenario.stalled + 10,
  });
  const rss = new RssSampler(server.pid);
  const eviction = new EvictionWatch(server.statusUrl, readers);
  let client: ChildProcess | undefined;
  try {
    // Let the server settle (first frames published) before taking its baseline.
    await sleep(1000);
    const rssBefore = rss.sample();
    client = fork(loadClientPath, [], { execArgv: ['--import', 'tsx'] });
    const messages = new ClientMessages(client);
    const config: LoadConfig = {
      streamUrl: server.streamUrl,
      viewers: scenario.viewers,
      stalled: scenario.stalled,
      throttled: scenario.throttled,
      throttleBytesPerSec: THROTTLE_BYTES_PER_SEC,
      warmupMs: settings.warmupMs,
      durationMs: scenario.durationMs,
      sourceFps: settings.fps,
    };
    client.send(config);
    const deadline = settings.warmupMs + scenario.durationMs + CLIENT_SLACK_MS;
    await messages.next('connecting', deadline);
    if (scenario.stalled > 0) eviction.start();
    await messages.next('measuring', deadline);
    const serverFrom = mustRead(server.pid);
    const clientFrom = client.pid === undefined ? null : readCpu(client.pid);
    const load = await messages.result(deadline);
    eviction.stop();
    const serverTo = mustRead(server.pid);
    const clientTo = client.pid === undefined ? null : readCpu(client.pid);
    rss.sample();
    const cpuSeconds = serverTo.cpuSeconds - serverFrom.cpuSeconds;
    return {
      server: kind,
      scenario: scenario.name,
      load,
      cpuPercent: cpuPercent(serverFrom, serverTo),
      cpuSecondsPerGb: load.bytesReceived > 0 ? cpuSeconds / (load.bytesReceived / 1e9) : null,
      clientCpuPercent: clientFrom && clientTo ? cpuPercent(clientFrom, clientTo) : 0,
      rssPeakMb: rss.peakBytes / MB,
      rssGrowthMb: (rss.peakBytes - rssBefore) / MB,
      stalledEvictedAfterS: seconds(eviction.eviction?.afterConnectMs),
      stalledEvictedAfterProgressS: seconds(eviction.eviction?.afterLastProgressMs),
    };
  } finally {
    eviction.stop();
    rss.stop();
    if (client) await stopClient(client);
    await server.stop();
  }
}

function seconds(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : ms / 1000;
}

function mustRead(pid: number): CpuReading {
  const reading = readCpu(pid);
  if (!reading) throw new Error(`server process ${pid} is gone`);
  return reading;
}

async function stopClient(client: ChildProcess): Promise<void> {
  if (client.exitCode !== null || client.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    client.once('exit', () => {
      resolve();
    }),
  );
  // It exits by itself after reporting; a kill is only for a client that failed half-way.
  const timer = setTimeout(() => {
    client.kill('SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}

/** Queues the load client's IPC messages so the runner can await them in order. */
class ClientMessages {
  readonly #queue: LoadMessage[] = [];
  #wake: (() => void) | null = null;
  #exit: string | null = null;

  constructor(client: ChildProcess) {
    client.on('message', (message: LoadMessage) => {
      this.#queue.push(message);
      this.#wake?.();
    });
    client.on('exit', (code, signal) => {
      this.#exit = `load client exited (code ${String(code)}, signal ${String(signal)})`;
      this.#wake?.();
    });
  }

  async next(type: 'connecting' | 'measuring', timeoutMs: number): Promise<void> {
    const message = await this.#take(timeoutMs);
    if (message.type !== type)
      throw new Error(`load client: expected ${type}, got ${message.type}`);
  }

  async result(timeoutMs: number): Promise<LoadResult> {
    const message = await this.#take(timeoutMs);
    if (message.type === 'failed') throw new Error(`load client failed: ${message.message}`);
    if (message.type !== 'result') throw new Error(`load client: unexpected ${message.type}`);
    return message.result;
  }

  async #take(timeoutMs: number): Promise<LoadMessage> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const message = this.#queue.shift();
      if (message) return message;
      if (this.#exit !== null) throw new Error(this.#exit);
      const left = until - performance.now();
      if (left <= 0) throw new Error('load client timed out');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }
}
