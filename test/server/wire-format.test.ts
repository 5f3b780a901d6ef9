// Byte-level wire format of /stream.mjpg and /snapshot.jpg, every alias, HEAD, 404/405, ?fps=, placeholder.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatTimestamp } from '../../server/core/frame-hub.ts';
import type { BroadcastServer } from '../../server/types.ts';
import { boundaryOf, isCompleteJpeg, MjpegParser } from '../helpers/mjpeg-parser.ts';
import {
  get,
  makeFrames,
  openStream,
  parseRawResponse,
  publishOne,
  rawExchange,
  sleep,
  startPublisher,
  startTestServer,
  withKey,
  withTestServer,
} from './harness.ts';

const placeholder = readFileSync(
  path.join(import.meta.dirname, '../../server/assets/placeholder.jpg'),
);
const frames = makeFrames(10);

describe('stream wire format', () => {
  let server: BroadcastServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('head, first delimiter, part headers, exact body, delimiter right after the frame', async () => {
    const frame = frames[0]!;
    const captureTimeMs = 1_700_000_000_123.456;
    publishOne(server, frame, captureTimeMs);
    const request = `GET /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const bytes = await rawExchange(server.port, request, { timeoutMs: 600 });
    const response = parseRawResponse(bytes);

    assert.equal(response.statusLine, 'HTTP/1.1 200 OK');
    const header = (name: string): string | undefined => response.headers.get(name)?.join(', ');
    const boundary = boundaryOf(header('content-type'));
    assert.equal(header('content-type'), `multipart/x-mixed-replace;boundary=${boundary}`);
    assert.match(boundary, /^[A-Za-z0-9]{16,70}$/);
    assert.equal(header('cache-control'), 'no-store, no-cache, must-revalidate, max-age=0');
    assert.equal(header('pragma'), 'no-cache');
    assert.equal(header('expires'), 'Mon, 3 Jan 2000 12:34:56 GMT');
    assert.equal(header('connection'), 'close');
    assert.equal(header('x-accel-buffering'), 'no');
    assert.equal(header('transfer-encoding'), undefined, 'no chunked encoding');
    assert.equal(header('content-length'), undefined);

    const expectedPart = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.jpeg.length}\r\n` +
          `X-Timestamp: 1700000000.123456\r\n\r\n`,
      ),
      frame.jpeg,
      Buffer.from(`\r\n--${boundary}\r\n`),
    ]);
    // Within 600 ms with one frame published: the first part and the next delimiter, nothing else yet.
    assert.ok(
      response.body.equals(expectedPart),
      `body differs:\n${response.body.subarray(0, 200).toString('latin1')}`,
    );
  });

  test('parts repeat the latest frame every repeatIntervalMs when nothing new arrives', async () => {
    const repeating = await startTestServer({ repeatIntervalMs: 150 });
    try {
      publishOne(repeating, frames[1]!);
      const stream = await openStream(withKey(repeating, '/stream.mjpg'));
      const parts = await stream.waitForParts(4, 3000);
      for (const part of parts) assert.ok(part.body.equals(frames[1]!.jpeg));
      stream.close();
    } finally {
      await repeating.close();
    }
  });

  test('X-Timestamp is epoch seconds with six decimals', () => {
    assert.equal(formatTimestamp(1_700_000_000_000), '1700000000.000000');
    assert.equal(formatTimestamp(1_700_000_000_999.75), '1700000000.999750');
    assert.equal(formatTimestamp(5.5), '0.005500');
  });

  test('every part of a paced stream is a complete JPEG with exact Content-Length', async () => {
    const stop = startPublisher(server, frames, 30);
    try {
      const stream = await openStream(withKey(server, '/stream.mjpg'));
      const parts = await stream.waitForParts(15);
      for (const part of parts) {
        assert.equal(part.headers.get('content-type'), 'image/jpeg');
        assert.equal(Number(part.headers.get('content-length')), part.body.length);
        assert.match(part.headers.get('x-timestamp') ?? '', /^\d{10}\.\d{6}$/);
        assert.ok(isCompleteJpeg(part.body));
      }
      stream.close();
    } finally {
      stop();
    }
  });

  for (const alias of ['/stream.mjpg', '/stream', '/?action=stream', '/video_feed', '/video']) {
    test(`stream alias ${alias}`, async () => {
      publishOne(server, frames[2]!);
      const stream = await openStream(withKey(server, alias));
      const [part] = await stream.waitForParts(1);
      assert.ok(part?.body.equals(frames[2]!.jpeg));
      stream.close();
    });
  }

  test('HEAD on the stream sends the head only', async () => {
    const bytes = await rawExchange(
      server.port,
      `HEAD /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    const response = parseRawResponse(bytes);
    assert.equal(response.statusLine, 'HTTP/1.1 200 OK');
    assert.match(response.headers.get('content-type')?.[0] ?? '', /^multipart\/x-mixed-replace;/);
    assert.equal(response.body.length, 0);
  });

  test('?fps= caps one viewer and rejects values outside 1…60', async () => {
    const stop = startPublisher(server, frames, 30);
    try {
      const capped = await openStream(withKey(server, '/stream.mjpg?fps=5'));
      const full = await openStream(withKey(server, '/stream.mjpg'));
      await sleep(2000);
      const cappedCount = capped.parts.length;
      const fullCount = full.parts.length;
      capped.close();
      full.close();
      // 2 s at 5 fps ≈ 10 (+1 for the frame sent on connect); generous bounds for a busy machine.
      assert.ok(cappedCount >= 5 && cappedCount <= 13, `capped viewer got ${cappedCount}`);
      assert.ok(fullCount > cappedCount * 2, `full ${fullCount} vs capped ${cappedCount}`);
    } finally {
      stop();
    }
    for (const bad of ['0', '61', 'abc', '-5', '1e3', '']) {
      const response = await get(withKey(server, `/stream.mjpg?fps=${bad}`));
      assert.equal(response.status, 400, `fps=${bad}`);
      await response.body?.cancel();
    }
  });
});

describe('snapshot, status, errors', () => {
  let server: BroadcastServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('503 with a message before the first frame', async () => {
    const response = await get(withKey(server, '/snapshot.jpg'));
    assert.equal(response.status, 503);
    assert.match(await response.text(), /No frame yet/);
  });

  for (const alias of ['/snapshot.jpg', '/?action=snapshot', '/shot.jpg']) {
    test(`snapshot alias ${alias}: the latest JPEG, exact length, no-cache`, async () => {
      const frame = frames[3]!;
      publishOne(server, frame);
      const bytes = await rawExchange(
        server.port,
        `GET ${withKey(server, alias).slice(`http://127.0.0.1:${server.port}`.length)} HTTP/1.1\r\n` +
          'Host: x\r\nConnection: close\r\n\r\n',
      );
      const response = parseRawResponse(bytes);
      assert.equal(response.statusLine, 'HTTP/1.1 200 OK');
      assert.equal(response.headers.get('content-type')?.[0], 'image/jpeg');
      assert.equal(response.headers.get('content-length')?.[0], String(frame.jpeg.length));
      assert.equal(
        response.headers.get('cache-control')?.[0],
        'no-store, no-cache, must-revalidate, max-age=0',
      );
      assert.equal(response.headers.get('transfer-encoding'), undefined);
      assert.ok(response.body.equals(frame.jpeg));
    });
  }

  test('HEAD on snapshot, status and page: headers, no body', async () => {
    publishOne(server, frames[4]!);
    for (const route of ['/snapshot.jpg', '/status.json', '/']) {
      const target = withKey(server, route).slice(`http://127.0.0.1:${server.port}`.length);
      const bytes = await rawExchange(
        server.port,
        `HEAD ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      const response = parseRawResponse(bytes);
      assert.equal(response.statusLine, 'HTTP/1.1 200 OK', route);
      assert.equal(response.body.length, 0, route);
    }
  });

  test('status.json reports state, frame and viewers', async () => {
    const frame = frames[5]!;
    publishOne(server, frame);
    const stream = await openStream(withKey(server, '/stream.mjpg'), {
      'User-Agent': 'wire-test/1',
    });
    await stream.waitForParts(1);
    const response = await get(withKey(server, '/status.json'));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const status = (await response.json()) as ReturnType<BroadcastServer['status']>;
    assert.equal(status.state, 'live');
    assert.deepEqual(status.frame, { width: 320, height: 240, bytes: frame.jpeg.length });
    assert.equal(status.viewerCount, 1);
    const [viewer] = status.viewers;
    assert.equal(viewer?.address, '127.0.0.1');
    assert.equal(viewer.userAgent, 'wire-test/1');
    assert.ok(viewer.bytesSent > frame.jpeg.length);
    assert.equal(viewer.skippedFrames, 0);
    assert.equal(viewer.isSlow, false);
    assert.ok(Math.abs(viewer.connectedAtMs - Date.now()) < 10_000);
    stream.close();
  });

  test('unknown paths 404, other methods 405 with Allow', async () => {
    for (const route of [
      '/nope',
      '/stream.mjpg/',
      '/assets/',
      '/../etc/passwd',
      '/snapshot.jpeg',
    ]) {
      const response = await get(withKey(server, route));
      assert.equal(response.status, 404, route);
      await response.body?.cancel();
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
      const response = await fetch(withKey(server, '/stream.mjpg'), { method });
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, HEAD');
      await response.body?.cancel();
    }
  });
});

describe('pause and placeholder', () => {
  test('viewers get the placeholder JPEG before the first frame and while paused', async () => {
    await withTestServer({ repeatIntervalMs: 200 }, async (server) => {
      const stream = await openStream(withKey(server, '/stream.mjpg'));
      const [first] = await stream.waitForParts(1);
      assert.ok(first?.body.equals(placeholder), 'placeholder before the first frame');

      publishOne(server, frames[6]!);
      await stream.waitForParts(2);
      assert.ok(stream.parts[1]?.body.equals(frames[6]!.jpeg));

      server.pause();
      assert.equal(server.status().state, 'paused');
      publishOne(server, frames[7]!);
      await stream.waitForParts(5);
      for (const part of stream.parts.slice(2)) assert.ok(part.body.equals(placeholder));
      const snapshot = await get(withKey(server, '/snapshot.jpg'));
      assert.ok(Buffer.from(await snapshot.arrayBuffer()).equals(placeholder));

      server.resume();
      const count = stream.parts.length;
      await stream.waitForParts(count + 1);
      assert.ok(stream.parts[count]?.body.equals(frames[7]!.jpeg), 'resume shows the latest frame');
      stream.close();
    });
  });

  test('publish refuses bytes that are not a JPEG and counts them', async () => {
    await withTestServer((server) => {
      assert.equal(
        server.publish(Buffer.from('not a jpeg'), { captureTimeMs: 1, width: 1, height: 1 }),
        false,
      );
      assert.equal(
        server.publish(new Uint8Array(), { captureTimeMs: 1, width: 1, height: 1 }),
        false,
      );
      assert.equal(server.status().rejectedFrames, 2);
      assert.equal(server.status().state, 'waiting');
    });
  });
});

// The parser itself is the other half of every check above: make sure it rejects what it should.
test('the strict parser rejects a missing CRLF after the JPEG', () => {
  const parser = new MjpegParser('b');
  assert.throws(() => parser.push(Buffer.from('--b\r\nContent-Length: 2\r\n\r\nxxYY--b\r\n')));
});
