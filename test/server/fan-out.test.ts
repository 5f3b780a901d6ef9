// One encode, shared bytes: every viewer of a paced source receives every frame, built once as one Buffer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameHub, type Frame } from '../../server/core/frame-hub.ts';
import { isCompleteJpeg } from '../helpers/mjpeg-parser.ts';
import {
  eventually,
  makeFrames,
  openStream,
  sleep,
  startTestServer,
  withKey,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(10);

test('20 viewers each receive every frame of a 30 fps source, as complete JPEGs', async () => {
  const server = await startTestServer();
  const viewers = await Promise.all(
    Array.from({ length: 20 }, () => openStream(withKey(server, '/stream.mjpg'))),
  );
  try {
    // Every viewer first gets the placeholder; then 60 frames with distinct capture times, paced at 30 fps.
    await Promise.all(viewers.map((viewer) => viewer.waitForParts(1)));
    const published: string[] = [];
    const baseMs = 1_800_000_000_000;
    for (let i = 0; i < 60; i++) {
      const frame = frames[i % frames.length]!;
      server.publish(frame.jpeg, {
        captureTimeMs: baseMs + i,
        width: frame.width,
        height: frame.height,
      });
      published.push(`1800000000.${String(i * 1000).padStart(6, '0')}`);
      await sleep(1000 / 30);
    }
    await Promise.all(viewers.map((viewer) => viewer.waitForParts(61)));
    for (const viewer of viewers) {
      const received = viewer.parts.slice(1).map((part) => part.headers.get('x-timestamp'));
      assert.deepEqual(received, published);
      viewer.parts.slice(1).forEach((part, i) => {
        assert.ok(isCompleteJpeg(part.body));
        assert.ok(part.body.equals(frames[i % frames.length]!.jpeg));
      });
    }
    const status = server.status();
    assert.equal(status.viewerCount, 20);
    for (const viewer of status.viewers) assert.equal(viewer.skippedFrames, 0);
  } finally {
    for (const viewer of viewers) viewer.close();
    await server.close();
  }
});

test('the hub builds each part once and hands the same Buffer to every subscriber', () => {
  const hub = new FrameHub(frames[0]!.jpeg);
  const seen: Frame[][] = [[], [], []];
  for (const list of seen) hub.subscribe({ offer: (frame) => list.push(frame) });
  const frame = frames[1]!;
  assert.equal(
    hub.publish(frame.jpeg, {
      captureTimeMs: 1_700_000_000_000,
      width: frame.width,
      height: frame.height,
    }),
    true,
  );
  const [a, b, c] = seen.map((list) => list[0]);
  assert.ok(a && b && c);
  assert.equal(a.part, b.part, 'same Buffer object, not a copy');
  assert.equal(b.part, c.part);
  // The snapshot view shares the part's memory too.
  assert.equal(a.jpeg.buffer, a.part.buffer);
  assert.ok(a.jpeg.equals(frame.jpeg));
  const text = a.part.toString('latin1');
  assert.ok(
    text.startsWith(`Content-Type: image/jpeg\r\nContent-Length: ${frame.jpeg.length}\r\n`),
  );
  assert.ok(text.endsWith(`\r\n--${hub.boundary}\r\n`));
});

test('viewers joining while frames flow start with the latest frame at once', async () => {
  await withTestServer(async (server) => {
    const frame = frames[4]!;
    server.publish(frame.jpeg, {
      captureTimeMs: Date.now(),
      width: frame.width,
      height: frame.height,
    });
    const viewers = await Promise.all(
      Array.from({ length: 10 }, () => openStream(withKey(server, '/stream.mjpg'))),
    );
    await Promise.all(viewers.map((viewer) => viewer.waitForParts(1, 2000)));
    for (const viewer of viewers) assert.ok(viewer.parts[0]?.body.equals(frame.jpeg));
    for (const viewer of viewers) viewer.close();
    await eventually(() => server.status().viewerCount === 0, 3000, 'viewers gone');
  });
});
