// Latest frame wins per viewer: a stalled viewer costs at most one frame in user space, never slows the
// others, and is evicted after stallTimeoutMs; a slow viewer gets only the newest frames.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import type { ViewerStats } from '../../server/types.ts';
import { eventually, makeFrames, openStream, sleep, startTestServer, withKey } from './harness.ts';

// Incompressible frames (≈ 75 KB each) fill socket buffers within a couple of seconds.
const frames = makeFrames(6, '320x240', true);
const partBytesMax = Math.max(...frames.map((frame) => frame.jpeg.length)) + 200;

function publishLoop(
  publish: (index: number) => void,
  fps: number,
): { stop: () => void; count: () => number } {
  let index = 0;
  const timer = setInterval(() => {
    publish(index++);
  }, 1000 / fps);
  return {
    stop: () => {
      clearInterval(timer);
    },
    count: () => index,
  };
}

test('a stalled viewer is bounded, does not slow others, and is evicted', async () => {
  const stallTimeoutMs = 1500;
  const server = await startTestServer({ stallTimeoutMs });
  // A client that sends its request and then never reads a byte.
  const stalled = net.connect(server.port, '127.0.0.1');
  stalled.pause();
  stalled.on('error', () => undefined);
  stalled.write(
    `GET /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\nUser-Agent: stalled\r\n\r\n`,
  );
  const normal = await Promise.all(
    Array.from({ length: 5 }, () => openStream(withKey(server, '/stream.mjpg'))),
  );
  await eventually(() => server.status().viewerCount === 6, 3000, 'six viewers');

  const stalledSamples: ViewerStats[] = [];
  let evictedAtMs: number | null = null;
  const startMs = Date.now();
  const sampler = setInterval(() => {
    const viewer = server.status().viewers.find((v) => v.userAgent === 'stalled');
    if (viewer) stalledSamples.push(viewer);
    else evictedAtMs ??= Date.now();
  }, 50);
  const before = normal.map((viewer) => viewer.parts.length);
  const publisher = publishLoop((i) => {
    const frame = frames[i % frames.length]!;
    server.publish(frame.jpeg, {
      captureTimeMs: Date.now(),
      width: frame.width,
      height: frame.height,
    });
  }, 30);
  try {
    await eventually(() => evictedAtMs !== null, 12_000, 'eviction of the stalled viewer');
    await sleep(500);
    publisher.stop();
    clearInterval(sampler);
    const published = publisher.count();
    for (const [i, viewer] of normal.entries()) {
      const received = viewer.parts.length - (before[i] ?? 0);
      // Full rate: every published frame, give or take scheduling on a busy 2-core machine.
      assert.ok(received >= published * 0.85, `normal viewer ${i}: ${received} of ${published}`);
    }
    assert.ok(stalledSamples.length > 0);
    const maxPending = Math.max(...stalledSamples.map((v) => v.pendingBytes ?? Infinity));
    assert.ok(maxPending <= partBytesMax, `stalled viewer held ${maxPending} B in user space`);
    const last = stalledSamples.at(-1)!;
    assert.ok(last.skippedFrames > 0, 'the stalled viewer skipped frames');
    assert.ok(
      stalledSamples.some((v) => v.isSlow),
      'flagged slow',
    );
    // Eviction needs stallTimeoutMs without progress, after the kernel buffers filled.
    assert.ok(evictedAtMs! - startMs >= stallTimeoutMs, 'not evicted before the timeout');
    assert.equal(server.status().viewerCount, 5);
    // The server dropped the connection: reading again finds the reset (or the end) at once.
    const closed = new Promise<void>((resolve) =>
      stalled.once('close', () => {
        resolve();
      }),
    );
    stalled.resume();
    await closed;
  } finally {
    publisher.stop();
    clearInterval(sampler);
    stalled.destroy();
    for (const viewer of normal) viewer.close();
    await server.close();
  }
});

test('a slow viewer skips to the newest frame instead of queueing old ones', async () => {
  const server = await startTestServer();
  const viewer = await openStream(withKey(server, '/stream.mjpg'));
  let lastStamp = '';
  let sawSlow = false;
  const publisher = publishLoop((i) => {
    const frame = frames[i % frames.length]!;
    const captureTimeMs = 1_800_000_000_000 + i;
    lastStamp = `1800000000.${String(i * 1000).padStart(6, '0')}`;
    server.publish(frame.jpeg, { captureTimeMs, width: frame.width, height: frame.height });
    sawSlow ||= server.status().viewers[0]?.isSlow ?? false;
  }, 30);
  try {
    await viewer.waitForParts(5);
    // Stop reading long enough for the socket buffers to fill and frames to pile up.
    viewer.response.pause();
    await sleep(3000);
    viewer.response.resume();
    // Its link proved slow, so it is held to one frame per kernel-queue reading until its queue has stayed
    // empty for 1 s (server/mjpeg-viewer.ts); where the queue cannot be read, it is back at once.
    await sleep(3000);
    publisher.stop();
    await sleep(300);
    const published = publisher.count();
    const stamps = viewer.parts.slice(1).map((part) => part.headers.get('x-timestamp') ?? '');
    const indexes = stamps.map((stamp) => Math.round(Number(stamp.split('.')[1]) / 1000));
    for (let i = 1; i < indexes.length; i++) {
      assert.ok(indexes[i]! > indexes[i - 1]!, `frames arrive in order: ${indexes.join(',')}`);
    }
    const biggestGap = Math.max(...indexes.slice(1).map((value, i) => value - indexes[i]!));
    assert.ok(biggestGap >= 5, `frames were skipped (largest gap ${biggestGap})`);
    assert.ok(viewer.parts.length < published, 'fewer parts than frames published');
    assert.equal(stamps.at(-1), lastStamp, 'the last part is the newest frame');
    const stats = server.status().viewers[0];
    assert.ok(stats && stats.skippedFrames > 0);
    assert.ok(sawSlow, 'flagged slow while it was not reading');
    assert.equal(stats.isSlow, false, 'no longer slow once it reads again');
  } finally {
    publisher.stop();
    viewer.close();
    await server.close();
  }
});
