// Lifecycle: port choice and fallback, option checks, status and onStatus, reconnectViewers, clean close().
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { startBroadcastServer } from '../../server/index.ts';
import type { ServerStatus } from '../../server/types.ts';
import {
  eventually,
  makeFrames,
  openStream,
  publishOne,
  quietLogger,
  sleep,
  startPublisher,
  startTestServer,
  withKey,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(10);

function occupy(port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const blocker = net.createServer();
    blocker.once('error', () => {
      resolve(null);
    });
    blocker.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      resolve(blocker);
    });
  });
}

const canListen = async (port: number): Promise<boolean> => {
  const probe = await occupy(port);
  probe?.close();
  return probe !== null;
};

test('without a port: 8080, or the next free port when it is busy', async () => {
  // Whether we or someone else holds 8080, it is busy now.
  const blocker = await occupy(8080);
  const server = await startBroadcastServer({ host: '127.0.0.1', logger: quietLogger });
  try {
    assert.notEqual(server.port, 8080);
    assert.ok(server.port > 8080, `port ${server.port}`);
  } finally {
    await server.close();
    blocker?.close();
  }
});

test('an explicitly requested busy port is an error naming it', async () => {
  const blocker = await occupy(0);
  const address = blocker?.address();
  assert.ok(address && typeof address === 'object');
  try {
    await assert.rejects(startTestServer({ port: address.port }), (error: Error) => {
      assert.match(error.message, new RegExp(`Port ${address.port} is already in use`));
      return true;
    });
  } finally {
    blocker?.close();
  }
});

test('invalid options are rejected before anything listens', async () => {
  await assert.rejects(startTestServer({ port: 70_000 }), RangeError);
  await assert.rejects(startTestServer({ maxViewers: 0 }), RangeError);
  await assert.rejects(startTestServer({ stallTimeoutMs: -1 }), RangeError);
  await assert.rejects(startTestServer({ key: '' }), RangeError);
});

test('close() ends streams, frees the port, and is idempotent', async () => {
  const server = await startTestServer();
  publishOne(server, frames[0]!);
  const viewer = await openStream(withKey(server, '/stream.mjpg'));
  await viewer.waitForParts(1);
  const first = server.close();
  assert.equal(server.close(), first, 'same promise');
  await first;
  await viewer.closed;
  assert.equal(viewer.response.complete, true, 'the stream ended cleanly, not by reset');
  assert.ok(await canListen(server.port), 'port free again');
});

test('close() does not hang on a viewer that never reads', async () => {
  const server = await startTestServer();
  const stop = startPublisher(server, makeFrames(4, '320x240', true), 30);
  const stalled = net.connect(server.port, '127.0.0.1');
  stalled.pause();
  stalled.on('error', () => undefined);
  stalled.write(`GET /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\n\r\n`);
  try {
    await eventually(() => server.status().viewerCount === 1, 3000, 'viewer connected');
    await sleep(1500);
    stop();
    const startMs = Date.now();
    await server.close();
    assert.ok(Date.now() - startMs < 5000, `close took ${Date.now() - startMs} ms`);
  } finally {
    stop();
    stalled.destroy();
  }
});

test('reconnectViewers() ends every stream and new ones are accepted', async () => {
  await withTestServer(async (server) => {
    publishOne(server, frames[1]!);
    const viewers = await Promise.all(
      Array.from({ length: 3 }, () => openStream(withKey(server, '/stream.mjpg'))),
    );
    await Promise.all(viewers.map((viewer) => viewer.waitForParts(1)));
    server.reconnectViewers();
    await Promise.all(viewers.map((viewer) => viewer.closed));
    assert.equal(server.status().viewerCount, 0);
    const again = await openStream(withKey(server, '/stream.mjpg'));
    await again.waitForParts(1);
    again.close();
  });
});

test('status() measures source and viewer rates; onStatus reports changes and ticks', async () => {
  const server = await startTestServer();
  const seen: ServerStatus[] = [];
  const unsubscribe = server.onStatus((status) => seen.push(status));
  const stop = startPublisher(server, frames, 20);
  try {
    const viewer = await openStream(withKey(server, '/stream.mjpg'));
    await eventually(() => seen.some((status) => status.viewerCount === 1), 3000, 'join reported');
    await sleep(2200);
    const status = server.status();
    assert.equal(status.state, 'live');
    assert.ok(status.sourceFps >= 12 && status.sourceFps <= 25, `sourceFps ${status.sourceFps}`);
    assert.ok(status.bytesPerSecondOut > 0);
    assert.ok(status.uptimeMs >= 2000);
    const stats = status.viewers[0];
    assert.ok(stats && stats.fps >= 12 && stats.fps <= 25, `viewer fps ${stats?.fps}`);
    assert.ok(
      stats.pendingBytes !== undefined && stats.pendingBytes <= frames[0]!.jpeg.length + 200,
    );
    // Once a second while running, plus the join.
    assert.ok(seen.length >= 3, `${seen.length} status events`);

    server.pause();
    await eventually(() => seen.at(-1)?.state === 'paused', 2000, 'pause reported');
    server.resume();
    await eventually(() => seen.at(-1)?.state === 'live', 2000, 'resume reported');
    viewer.close();
    await eventually(() => seen.at(-1)?.viewerCount === 0, 3000, 'leave reported');
    unsubscribe();
    const count = seen.length;
    await sleep(1200);
    assert.equal(seen.length, count, 'no events after unsubscribe');
  } finally {
    stop();
    unsubscribe();
    await server.close();
  }
});

test('a throwing status listener does not break the server or other listeners', async () => {
  await withTestServer(async (server) => {
    let calls = 0;
    server.onStatus(() => {
      throw new Error('listener bug');
    });
    server.onStatus(() => {
      calls += 1;
    });
    server.pause();
    await eventually(() => calls > 0, 2000, 'second listener called');
  });
});
