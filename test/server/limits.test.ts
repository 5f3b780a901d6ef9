// Limits: maxViewers → 503, a storm of connect/abort cycles leaves nothing behind, bad requests get 4xx.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import {
  eventually,
  get,
  makeFrames,
  openStream,
  parseRawResponse,
  publishOne,
  rawExchange,
  sleep,
  withKey,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(2);

test('viewers beyond maxViewers get 503 with Retry-After; a freed slot is reusable', async () => {
  await withTestServer({ maxViewers: 3 }, async (server) => {
    publishOne(server, frames[0]!);
    const viewers = await Promise.all(
      Array.from({ length: 3 }, () => openStream(withKey(server, '/stream.mjpg'))),
    );
    const refused = await get(withKey(server, '/stream.mjpg'));
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '5');
    assert.match(await refused.text(), /Too many viewers \(limit 3\)/);
    // Snapshots and status are not stream slots.
    const snapshot = await get(withKey(server, '/snapshot.jpg'));
    assert.equal(snapshot.status, 200);
    await snapshot.body?.cancel();

    viewers[0]!.close();
    await eventually(() => server.status().viewerCount === 2, 3000, 'slot freed');
    const again = await openStream(withKey(server, '/stream.mjpg'));
    await again.waitForParts(1);
    again.close();
    for (const viewer of viewers) viewer.close();
  });
});

/** Active handles by kind (timers, sockets), the black-box way to see leaks. */
function resourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo())
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

test('1000 connect/abort cycles leave no viewer, socket or timer behind', async () => {
  // Disconnects are expected: nothing may be logged as a warning or an error.
  const logged: string[] = [];
  const logger = {
    info: () => undefined,
    warn: (message: string) => logged.push(message),
    error: (message: string) => logged.push(message),
  };
  await withTestServer({ logger }, async (server) => {
    publishOne(server, frames[1]!);
    let peakViewers = 0;
    const unsubscribe = server.onStatus((status) => {
      peakViewers = Math.max(peakViewers, status.viewerCount);
    });
    await sleep(50);
    const baseline = resourceCounts();
    const request = `GET /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const cycle = (i: number): Promise<void> =>
      new Promise((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => {
          resolve();
        });
        socket.on('connect', () => {
          socket.write(request);
          // A third abort right away, a third after the first bytes, a third mid-stream with a reset.
          if (i % 3 === 0) socket.destroy();
        });
        socket.once('data', () => {
          if (i % 3 === 1) socket.destroy();
          else socket.resetAndDestroy();
        });
      });
    const concurrency = 25;
    for (let round = 0; round < 1000 / concurrency; round++) {
      await Promise.all(
        Array.from({ length: concurrency }, (_, j) => cycle(round * concurrency + j)),
      );
    }
    await eventually(() => server.status().viewerCount === 0, 5000, 'no viewers left');
    unsubscribe();
    assert.ok(peakViewers > 0, 'the cycles did open streams');
    await eventually(
      () => {
        const now = resourceCounts();
        return ['Timeout', 'TCPSocketWrap', 'Immediate'].every(
          (kind) => (now.get(kind) ?? 0) <= (baseline.get(kind) ?? 0),
        );
      },
      5000,
      `resources back to baseline (${JSON.stringify([...baseline])})`,
    );
    assert.deepEqual(logged, []);
    // And the server still serves.
    const stream = await openStream(withKey(server, '/stream.mjpg'));
    await stream.waitForParts(1);
    stream.close();
  });
});

test('malformed and oversized requests get 4xx and the server keeps serving', async () => {
  await withTestServer(async (server) => {
    const garbage = parseRawResponse(await rawExchange(server.port, 'HELLO\r\n\r\n'));
    assert.match(garbage.statusLine, /^HTTP\/1\.1 400/);
    const hugeHeader = `GET /status.json HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    const tooBig = parseRawResponse(await rawExchange(server.port, hugeHeader));
    assert.match(tooBig.statusLine, /^HTTP\/1\.1 431/);
    const longUrl = `GET /${'x'.repeat(70 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`;
    assert.match(
      parseRawResponse(await rawExchange(server.port, longUrl)).statusLine,
      /^HTTP\/1\.1 4\d\d/,
    );
    const badEscape = parseRawResponse(
      await rawExchange(
        server.port,
        `GET /%%zz?key=%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ),
    );
    assert.match(badEscape.statusLine, /^HTTP\/1\.1 4\d\d/);
    const badFps = await get(withKey(server, '/stream.mjpg?fps=%FF'));
    assert.equal(badFps.status, 400);
    await badFps.body?.cancel();
    const status = await get(withKey(server, '/status.json'));
    assert.equal(status.status, 200);
    await status.body?.cancel();
  });
});

test('a client that never finishes its request head is cut off (slowloris)', async () => {
  await withTestServer(async (server) => {
    const startMs = Date.now();
    const socket = net.connect(server.port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /status.json HTTP/1.1\r\nHost: x\r\n');
    const dripper = setInterval(() => socket.write('X-Drip: 1\r\n'), 1000);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => {
        resolve(text);
      });
    });
    clearInterval(dripper);
    const elapsedMs = Date.now() - startMs;
    // headersTimeout is 10 s, checked every second.
    assert.ok(elapsedMs >= 9000 && elapsedMs < 20_000, `cut off after ${elapsedMs} ms`);
    assert.match(answer, /^HTTP\/1\.1 408/);
  });
});
