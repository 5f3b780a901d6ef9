// The load-client process: opens every reader of a scenario, measures a window, reports to the bench runner.
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoadConfig, LoadMessage, LoadResult } from './bench-types.ts';
import { spreadOf } from './sample-stats.ts';
import { openStalledSocket } from './stalled-socket.ts';
import { Viewer } from './viewer.ts';

// A viewer "keeps up" at ≥ 95 % of the source rate (issue 2's target).
const AT_RATE_SHARE = 0.95;
// A connect burst can overflow the server's listen backlog; SYN retries then take seconds. The window opens
// once every reader has its first frame (or this much later), so fps is not skewed by late connections.
const CONNECT_GRACE_MS = 20_000;

function send(message: LoadMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) throw new Error('load-client.ts must be started with child_process.fork');
    process.send(message, () => {
      resolve();
    });
  });
}

async function measure(config: LoadConfig): Promise<void> {
  await send({ type: 'connecting' });
  const latencies: number[] = [];
  const throttledAges: number[] = [];
  // Everyone connects in the same tick, so first-frame times include the server's connect burst.
  const viewers = Array.from(
    { length: config.viewers },
    () => new Viewer(config.streamUrl, latencies),
  );
  const throttled = Array.from(
    { length: config.throttled },
    () => new Viewer(config.streamUrl, throttledAges, config.throttleBytesPerSec),
  );
  const stalled = Array.from({ length: config.stalled }, () => openStalledSocket(config.streamUrl));
  const readers = [...viewers, ...throttled];

  await sleep(config.warmupMs);
  const graceEnd = performance.now() + CONNECT_GRACE_MS;
  while (
    performance.now() < graceEnd &&
    readers.some((r) => r.firstFrameMs === null && r.error === null)
  ) {
    await sleep(100);
  }
  for (const reader of readers) reader.startRecording();
  latencies.length = 0;
  throttledAges.length = 0;
  await send({ type: 'measuring' });
  const windowStart = performance.now();
  await sleep(config.durationMs);
  for (const reader of readers) reader.stopRecording();
  const windowMs = performance.now() - windowStart;

  const result = summarize(config, windowMs, viewers, throttled, latencies, throttledAges);
  // Reported before the readers close: the runner stops watching the server's viewer count on this message.
  await send({ type: 'result', result });
  for (const reader of readers) reader.close();
  for (const socket of stalled) socket.destroy();
}

function summarize(
  config: LoadConfig,
  windowMs: number,
  viewers: readonly Viewer[],
  throttled: readonly Viewer[],
  latencies: readonly number[],
  throttledAges: readonly number[],
): LoadResult {
  const readers = [...viewers, ...throttled];
  const seconds = windowMs / 1000;
  const connected = viewers.filter((v) => v.firstFrameMs !== null);
  const fpsSorted = connected.map((v) => v.frames / seconds).sort((a, b) => a - b);
  const atRate = fpsSorted.filter((fps) => fps >= AT_RATE_SHARE * config.sourceFps).length;
  const throttledFrames = throttled.reduce((sum, v) => sum + v.frames, 0);
  const failed = readers.filter((v) => v.error !== null);
  return {
    windowMs,
    viewersConnected: connected.length,
    viewersAtRate: config.viewers === 0 ? 0 : atRate / config.viewers,
    fps: {
      p50: fpsSorted[Math.floor(fpsSorted.length / 2)] ?? null,
      min: fpsSorted[0] ?? null,
    },
    latencyMs: spreadOf(latencies),
    firstFrameMs: spreadOf(connected.map((v) => v.firstFrameMs ?? 0)),
    throttled: {
      fps: throttled.length === 0 ? null : throttledFrames / throttled.length / seconds,
      frameAgeMs: spreadOf(throttledAges),
    },
    bytesReceived: readers.reduce((sum, v) => sum + v.bytes, 0),
    errors: failed.length,
    firstError: failed[0]?.error ?? null,
  };
}

process.once('message', (config: LoadConfig) => {
  measure(config)
    .catch((error: unknown) => send({ type: 'failed', message: String(error) }))
    .finally(() => {
      process.disconnect();
    });
});
