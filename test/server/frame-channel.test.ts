// The viewer page's acknowledged frame channel (/stream.ws) over real WebSockets: one frame in flight until the
// page acknowledges it, then the newest; the same key, lockout and limits as the multipart stream; clean ends.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import WebSocket from 'ws';
import { decodeFrameMessage, type DecodedFrameMessage } from '../../server/ws/frame-message.ts';
import type { BroadcastServer } from '../../server/types.ts';
import { isCompleteJpeg } from '../helpers/mjpeg-parser.ts';
import {
  eventually,
  makeFrames,
  openStream,
  publishOne,
  sleep,
  startPublisher,
  withKey,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(10);

function channelUrl(server: BroadcastServer, query = ''): string {
  const url = new URL(withKey(server, `/stream.ws${query}`));
  url.protocol = 'ws:';
  return url.href;
}

interface ChannelClient {
  readonly socket: WebSocket;
  readonly frames: (DecodedFrameMessage & { receivedAtMs: number })[];
  readonly texts: string[];
  ack(seq: number): void;
  closed: Promise<{ code: number }>;
}

function openChannel(
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<ChannelClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      headers,
      ...(localAddress !== undefined && { localAddress }),
    });
    const client: ChannelClient = {
      socket,
      frames: [],
      texts: [],
      ack: (seq) => {
        socket.send(JSON.stringify({ type: 'ack', seq }));
      },
      closed: new Promise((resolveClosed) => {
        socket.on('close', (code) => {
          resolveClosed({ code });
        });
      }),
    };
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        client.texts.push((data as Buffer).toString('utf8'));
        return;
      }
      const decoded = decodeFrameMessage(data as Buffer);
      assert.ok(decoded, 'every binary message is a frame of our layout');
      client.frames.push({ ...decoded, receivedAtMs: Date.now() });
    });
    socket.once('open', () => {
      resolve(client);
    });
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`));
    });
    socket.once('error', reject);
  });
}

describe('frame channel', () => {
  test('sends the current frame at once, then nothing more until it is acknowledged', async () => {
    await withTestServer(async (server) => {
      const stop = startPublisher(server, frames, 30);
      try {
        await sleep(100);
        const client = await openChannel(channelUrl(server));
        await eventually(() => client.frames.length === 1, 5000, 'first frame');
        const first = client.frames[0]!;
        assert.equal(first.kind, 1);
        assert.ok(isCompleteJpeg(first.payload), 'a whole JPEG');
        assert.equal(first.width, 320);
        assert.equal(first.height, 240);
        assert.ok(
          Math.abs(Date.now() - first.captureTimeMs) < 5000,
          'capture time is the frame meta',
        );
        // 30 fps keep arriving at the server; without an acknowledgement none is sent.
        await sleep(500);
        assert.equal(client.frames.length, 1, 'one frame in flight before any acknowledgement');
        const status = server.status();
        const viewer = status.viewers.find((v) => v.protocol === 'websocket');
        assert.ok(viewer, 'the channel viewer is listed in the status');
        assert.ok(viewer.skippedFrames >= 5, 'frames went by while waiting');
        assert.equal(viewer.isSlow, true);
        client.ack(first.seq);
        await eventually(() => client.frames.length >= 2, 5000, 'next frame after the ack');
        const second = client.frames[1]!;
        assert.ok(second.seq > first.seq);
        assert.ok(
          second.receivedAtMs - second.captureTimeMs < 1000,
          'the next frame is a fresh one, not the one after the first',
        );
        client.socket.close();
      } finally {
        stop();
      }
    });
  });

  test('a page that acknowledges slowly always gets the newest frame, and its age is reported', async () => {
    await withTestServer(async (server) => {
      const stop = startPublisher(server, frames, 30);
      try {
        const client = await openChannel(channelUrl(server, '?client=slowpage'));
        await eventually(() => client.frames.length === 1, 5000, 'first frame');
        // A page on a slow link: it draws a frame every 400 ms.
        for (let i = 0; i < 6; i++) {
          await sleep(400);
          const last = client.frames.at(-1)!;
          client.ack(last.seq);
          await eventually(() => client.frames.at(-1)!.seq !== last.seq, 5000, 'next frame');
        }
        for (const frame of client.frames.slice(1)) {
          // Every frame after an acknowledgement is at most a couple of source frames old, never a backlog.
          assert.ok(frame.receivedAtMs - frame.captureTimeMs < 300, 'fresh frame');
        }
        const viewer = server.status().viewers.find((v) => v.clientId === 'slowpage');
        assert.ok(viewer);
        assert.equal(viewer.protocol, 'websocket');
        assert.ok(
          viewer.frameAgeMs !== undefined && viewer.frameAgeMs >= 350,
          'age capture → drawn',
        );
        assert.ok(viewer.framesSent >= 7 && viewer.framesSent <= 9, `${viewer.framesSent} sent`);
        client.socket.close();
      } finally {
        stop();
      }
    });
  });

  test('answers clock pings with the server time', async () => {
    await withTestServer(async (server) => {
      publishOne(server, frames[0]!);
      const client = await openChannel(channelUrl(server));
      const t = Date.now();
      client.socket.send(JSON.stringify({ type: 'ping', t }));
      await eventually(() => client.texts.length === 1, 5000, 'pong');
      const pong = JSON.parse(client.texts[0]!) as {
        type: string;
        t: number;
        serverTimeMs: number;
      };
      assert.equal(pong.type, 'pong');
      assert.equal(pong.t, t);
      assert.ok(Math.abs(pong.serverTimeMs - Date.now()) < 1000);
      client.socket.close();
    });
  });

  test('refuses a missing or wrong key (401), another origin (403), another path (404)', async () => {
    await withTestServer(async (server) => {
      const base = `ws://127.0.0.1:${server.port}`;
      await assert.rejects(openChannel(`${base}/stream.ws`), /HTTP 401/);
      await assert.rejects(openChannel(`${base}/stream.ws?key=wrong`), /HTTP 401/);
      await assert.rejects(
        openChannel(channelUrl(server), { Origin: 'http://evil.example' }),
        /HTTP 403/,
      );
      await assert.rejects(openChannel(`${base}/other.ws?key=${server.key ?? ''}`), /HTTP 404/);
      // The page's own origin is fine.
      const client = await openChannel(channelUrl(server), {
        Origin: `http://127.0.0.1:${server.port}`,
      });
      client.socket.close();
    });
  });

  test('wrong keys on the channel count towards the same lockout', async () => {
    await withTestServer({ key: 'k'.repeat(8) }, async (server) => {
      const base = `ws://127.0.0.1:${server.port}/stream.ws?key=`;
      for (let i = 0; i < 10; i++) await assert.rejects(openChannel(`${base}nope`), /HTTP 401/);
      await assert.rejects(openChannel(`${base}nope`), /HTTP 429/);
    });
  });

  test('channel and multipart viewers share the viewer limit', async () => {
    await withTestServer({ maxViewers: 2 }, async (server) => {
      publishOne(server, frames[0]!);
      const stream = await openStream(withKey(server, '/stream.mjpg'));
      const client = await openChannel(channelUrl(server));
      await assert.rejects(openChannel(channelUrl(server)), /HTTP 503/);
      assert.equal(server.status().viewerCount, 2);
      stream.close();
      client.socket.close();
    });
  });

  test('one address holds only its share of the slots; open mode checks the Host header', async () => {
    await withTestServer({ maxViewers: 4 }, async (server) => {
      publishOne(server, frames[0]!);
      const from = '127.0.0.2';
      const first = await openChannel(channelUrl(server), {}, from);
      const second = await openChannel(channelUrl(server), {}, from);
      await assert.rejects(openChannel(channelUrl(server), {}, from), /HTTP 429/);
      // Another address still gets in.
      const other = await openChannel(channelUrl(server), {}, '127.0.0.3');
      for (const client of [first, second, other]) client.socket.close();
    });
    await withTestServer({ auth: false }, async (server) => {
      publishOne(server, frames[0]!);
      const url = `ws://127.0.0.1:${server.port}/stream.ws`;
      // A DNS-rebinding page reaches us under its own name.
      await assert.rejects(openChannel(url, { Host: 'attacker.example' }), /HTTP 403/);
      const client = await openChannel(url);
      client.socket.close();
    });
  });

  test('reconnectViewers closes channels with 1012, a page that never acknowledges is evicted', async () => {
    await withTestServer({ stallTimeoutMs: 800 }, async (server) => {
      publishOne(server, frames[0]!);
      const reconnecting = await openChannel(channelUrl(server));
      server.reconnectViewers();
      assert.equal((await reconnecting.closed).code, 1012);

      const silent = await openChannel(channelUrl(server));
      await eventually(() => silent.frames.length === 1, 5000, 'first frame');
      const { code } = await silent.closed;
      assert.equal(code, 1006, 'terminated without a close handshake');
      await eventually(() => server.status().viewerCount === 0, 5000, 'evicted');
    });
  });

  test('300 connect/abort cycles leave no viewer behind', async () => {
    await withTestServer(async (server) => {
      const stop = startPublisher(server, frames, 30);
      try {
        for (let i = 0; i < 300; i++) {
          const client = await openChannel(channelUrl(server));
          if (i % 2 === 0) client.socket.terminate();
          else client.socket.close();
        }
        await eventually(() => server.status().viewerCount === 0, 10_000, 'all gone');
      } finally {
        stop();
      }
    });
  });
});
