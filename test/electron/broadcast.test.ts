// electron/main/broadcast.ts against the real server on 127.0.0.1: lifecycle, status mapping, pause, restarts.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { BroadcastStatus, Settings } from '../../electron/ipc.ts';
import {
  createBroadcast,
  mapServerStatus,
  sourcePageUrl,
  sourceStateOf,
  startErrorOf,
} from '../../electron/main/broadcast.ts';
import { defaultSettings } from '../../electron/main/settings-store.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const placeholder = path.resolve(import.meta.dirname, '../../server/assets/placeholder.jpg');

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}
const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });

function harness(overrides: Partial<Settings> = {}) {
  // Port 0 is not a user-settable value; tests use it to get a free port without races.
  let settings: Settings = { ...defaultSettings(), port: 0, ...overrides };
  const pushed: BroadcastStatus[] = [];
  const events: string[] = [];
  const broadcast = createBroadcast({
    settings: () => settings,
    onStatus: (status) => pushed.push(status),
    logger: silent,
    host: '127.0.0.1',
    keepAwake: { start: () => events.push('awake'), stop: () => events.push('sleep') },
    advertiser: {
      start: (port) => events.push(`mdns:${port}`),
      stop: () => {
        events.push('mdns:stop');
        return Promise.resolve();
      },
    },
  });
  return {
    broadcast,
    pushed,
    events,
    get settings() {
      return settings;
    },
    set settings(next: Settings) {
      settings = next;
    },
  };
}

describe('createBroadcast', () => {
  it('Disconnect ends every stream from that address and blocks it for 5 minutes; Allow again lifts it', async () => {
    const h = harness();
    assert.equal(h.broadcast.disconnectAll().ok, false, 'nothing to disconnect while off');
    const started = await h.broadcast.start();
    assert.ok(started.ok);
    const { port, key } = started.value;
    const jpeg = new Uint8Array(await readFile(placeholder));
    h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width: 640, height: 480 }, 1);
    const url = `http://127.0.0.1:${port}/stream.mjpg?key=${key}`;
    const open = (): Promise<{ status: number; closed: Promise<void> }> =>
      new Promise((resolve, reject) => {
        get(
          url,
          {
            localAddress: '127.0.0.77',
            agent: false,
            headers: { 'User-Agent': 'VLC/3.0.20 LibVLC/3.0.20' },
          },
          (response) => {
            response.resume();
            resolve({
              status: response.statusCode ?? 0,
              closed: new Promise((done) => {
                response.once('close', () => {
                  done();
                });
              }),
            });
          },
        ).on('error', reject);
      });
    const first = await open();
    assert.equal(first.status, 200);
    let viewer = h.broadcast.status().viewers[0];
    for (let i = 0; i < 100 && !viewer; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      viewer = h.broadcast.status().viewers[0];
    }
    assert.ok(viewer);
    assert.equal(viewer.device, 'VLC');
    const result = h.broadcast.disconnectViewer(viewer.id);
    assert.ok(result.ok);
    await first.closed;
    const blocked = h.broadcast.status().blockedAddresses;
    assert.deepEqual(
      blocked.map((entry) => entry.address),
      ['127.0.0.77'],
    );
    const leftMs = blocked[0]!.untilMs - Date.now();
    assert.ok(leftMs > 290_000 && leftMs <= 300_000, `${leftMs} ms`);
    assert.equal((await open()).status, 403);
    assert.equal(h.broadcast.disconnectViewer(viewer.id).ok, false, 'already gone');
    assert.ok(h.broadcast.allowAddress('127.0.0.77').ok);
    assert.deepEqual(h.broadcast.status().blockedAddresses, []);
    const again = await open();
    assert.equal(again.status, 200);
    await h.broadcast.stop();
    await again.closed;
  });

  it('start → live with key and URLs; stop → off and the port is free again', async () => {
    const h = harness();
    assert.equal(h.broadcast.status().state, 'off');
    const started = await h.broadcast.start();
    assert.ok(started.ok, JSON.stringify(started));
    const { port, key, urls, state } = started.value;
    assert.equal(state, 'live');
    assert.ok(port !== null && port > 0);
    assert.equal(key, h.settings.accessKey);
    assert.ok(urls.length > 0 && urls.every((url) => url.includes(`key=${key}`)), urls.join(' '));
    assert.equal(h.broadcast.isLive, true);
    assert.deepEqual(h.events, ['awake', `mdns:${port}`]);
    assert.ok(h.pushed.some((status) => status.state === 'starting'));

    const response = await fetch(`http://127.0.0.1:${port}/status.json?key=${key}`);
    assert.equal(response.status, 200);
    await response.body?.cancel();

    const stopped = await h.broadcast.stop();
    assert.ok(stopped.ok);
    assert.equal(stopped.value.state, 'off');
    assert.deepEqual(h.events, ['awake', `mdns:${port}`, 'sleep', 'mdns:stop']);
    await closeServer(await listen(port));
    assert.equal(h.pushed.at(-1)?.state, 'off');
  });

  it('frames reach the server; camera loss pauses, camera back resumes; rejects are counted', async () => {
    const h = harness();
    await h.broadcast.start();
    const jpeg = new Uint8Array(await readFile(placeholder));
    h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width: 640, height: 480 }, 1);
    assert.equal(h.broadcast.status().frameBytes, jpeg.length);
    h.broadcast.noteRejectedFrame('rate-limited');
    assert.equal(h.broadcast.status().rejectedFrames, 1);
    // Bytes that are not a JPEG are the server's to refuse, under their own reason.
    h.broadcast.publishFrame(
      new Uint8Array([1, 2, 3, 4]),
      { captureTimeMs: Date.now(), width: 640, height: 480 },
      1,
    );
    assert.deepEqual(h.broadcast.status().rejectedByReason, { 'rate-limited': 1, 'not-jpeg': 1 });
    assert.equal(h.broadcast.status().rejectedFrames, 2);
    assert.equal(
      h.broadcast.status().frameBytes,
      jpeg.length,
      'the refused frame replaced nothing',
    );
    h.broadcast.setCameraState({ kind: 'ended' }, 1);
    assert.equal(h.broadcast.status().state, 'paused');
    h.broadcast.setCameraState({ kind: 'running', label: 'cam' }, 1);
    assert.equal(h.broadcast.status().state, 'live');
    await h.broadcast.stop();
  });

  it('a new frame size ends open streams so viewers reconnect; the same size does not', async () => {
    const h = harness();
    const started = await h.broadcast.start();
    assert.ok(started.ok);
    const { port, key } = started.value;
    const jpeg = new Uint8Array(await readFile(placeholder));
    const publish = (width: number, height: number): void => {
      h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width, height }, 1);
    };
    publish(640, 480);
    const ended = await new Promise<boolean>((resolve, reject) => {
      const req = get(`http://127.0.0.1:${port}/stream.mjpg?key=${key ?? ''}`, (res) => {
        assert.equal(res.statusCode, 200);
        res.resume();
        res.once('close', () => {
          resolve(true);
        });
        // Same size again: nothing happens; then a real change (a 90° rotation swaps the sides).
        publish(640, 480);
        setTimeout(() => {
          if (res.closed) reject(new Error('ended on an unchanged size'));
          publish(480, 640);
        }, 200);
      });
      req.on('error', reject);
    });
    assert.equal(ended, true);
    await h.broadcast.stop();
  });

  it('a busy port is an error result and an error state, never a throw', async () => {
    const blocker = await listen(0);
    const address = blocker.address();
    assert.ok(address !== null && typeof address === 'object');
    const h = harness({ port: address.port });
    try {
      const result = await h.broadcast.start();
      if (result.ok) assert.fail('started on a busy port');
      assert.equal(result.code, 'port-in-use');
      assert.match(result.message, new RegExp(String(address.port)));
      assert.equal(h.broadcast.status().state, 'error');
      assert.equal(h.broadcast.isLive, false);
      assert.deepEqual(h.events, []);
    } finally {
      await closeServer(blocker);
    }
    const retried = await h.broadcast.start();
    assert.ok(retried.ok, 'works once the port is free');
    await h.broadcast.stop();
    assert.equal(h.broadcast.status().error, null);
  });

  it('a new key while live restarts the server with it; open mode drops the key', async () => {
    const h = harness();
    await h.broadcast.start();
    const previous = h.settings;
    h.settings = { ...previous, accessKey: 'NewKeyNewKeyNewKey_-123' };
    await h.broadcast.settingsChanged(previous, h.settings);
    assert.equal(h.broadcast.status().key, 'NewKeyNewKeyNewKey_-123');
    const keyed = h.settings;
    h.settings = { ...keyed, openMode: true };
    await h.broadcast.settingsChanged(keyed, h.settings);
    const open = h.broadcast.status();
    assert.equal(open.key, null);
    assert.ok(open.urls.every((url) => !url.includes('key=')));
    // A change that does not touch the server does not restart it.
    const port = open.port;
    await h.broadcast.settingsChanged(h.settings, { ...h.settings, fps: 10 });
    assert.equal(h.broadcast.status().port, port);
    await h.broadcast.stop();
  });

  it('concurrent start calls share one server; stop while off is fine', async () => {
    const h = harness();
    const [a, b] = await Promise.all([h.broadcast.start(), h.broadcast.start()]);
    assert.ok(a.ok && b.ok);
    assert.equal(a.value.port, b.value.port);
    assert.equal(h.events.filter((event) => event === 'awake').length, 1);
    await h.broadcast.stop();
    assert.ok((await h.broadcast.stop()).ok);
  });
});

describe('pure mapping', () => {
  it("maps server status to the contract, main-side rejects next to the server's", () => {
    const status = mapServerStatus(
      {
        urls: ['http://192.168.1.2:8080/?key=k'],
        port: 8080,
        key: 'k',
        rtspUrls: ['rtsp://viewer:k@192.168.1.2:8554/live'],
        rtspPort: 8554,
      },
      {
        state: 'waiting',
        sourceFps: 29.5,
        frame: { width: 1280, height: 720, bytes: 90_000 },
        uptimeMs: 1000,
        rejectedFrames: 2,
        rejectedVideoChunks: 1,
        videoConsumers: 3,
        bytesPerSecondOut: 1_250_000,
        viewerCount: 1,
        viewers: [
          {
            id: 1,
            address: '192.168.1.3',
            userAgent: 'VLC',
            fps: 30,
            bytesSent: 10,
            framesSent: 1,
            skippedFrames: 0,
            isSlow: false,
            connectedAtMs: 5,
          },
        ],
      },
      {
        pausedSources: new Set(),
        gateRejects: { 'rate-limited': 3 },
        warning: null,
        liveSinceMs: 1,
      },
    );
    assert.equal(status.state, 'live');
    assert.equal(status.outMbps, 10);
    assert.equal(status.rejectedFrames, 6);
    assert.deepEqual(status.rejectedByReason, {
      'rate-limited': 3,
      'not-jpeg': 2,
      'video-refused': 1,
    });
    assert.deepEqual(status.rtspUrls, ['rtsp://viewer:k@192.168.1.2:8554/live']);
    assert.equal(status.rtspPort, 8554);
    assert.equal(status.videoConsumers, 3);
    assert.equal(status.frameBytes, 90_000);
    assert.equal(status.viewers[0]?.userAgent, 'VLC');
    const [viewer] = status.viewers;
    assert.ok(viewer);
    assert.equal('framesSent' in viewer, false);
  });

  it('maps each source: its state, figures, viewers and page link on the share host with the key', () => {
    const paths = (n: number) => ({
      page: `/cam/${String(n)}/`,
      stream: `/cam/${String(n)}/stream.mjpg`,
      snapshot: `/cam/${String(n)}/snapshot.jpg`,
    });
    const status = mapServerStatus(
      {
        urls: ['http://192.168.1.2:8080/?key=k'],
        port: 8080,
        key: 'k',
        rtspUrls: [],
        rtspPort: null,
      },
      {
        state: 'live',
        sourceFps: 15,
        frame: null,
        uptimeMs: 1,
        rejectedFrames: 0,
        bytesPerSecondOut: 0,
        viewerCount: 1,
        viewers: [
          {
            id: 4,
            address: '192.168.1.3',
            userAgent: 'VLC',
            fps: 15,
            bytesSent: 1,
            framesSent: 1,
            skippedFrames: 0,
            isSlow: false,
            connectedAtMs: 5,
            sourceId: 2,
          },
        ],
        rtspClients: [
          {
            id: 3,
            protocol: 'rtsp',
            transport: 'tcp',
            address: '192.168.1.9',
            userAgent: 'LibVLC/3.0.21 (LIVE555 Streaming Media v2016.11.28)',
            fps: 30,
            bytesSent: 9,
            framesSent: 3,
            skippedFrames: 0,
            isSlow: false,
            connectedAtMs: 2,
            pendingBytes: 0,
          },
        ],
        sources: [
          {
            id: 1,
            name: '',
            state: 'live',
            sourceFps: 15,
            frame: { width: 1280, height: 720, bytes: 900 },
            rejectedFrames: 0,
            viewerCount: 0,
            paths: paths(1),
          },
          {
            id: 2,
            name: 'Door',
            state: 'live',
            sourceFps: 10,
            frame: { width: 640, height: 480, bytes: 400 },
            rejectedFrames: 0,
            viewerCount: 1,
            paths: paths(2),
          },
        ],
      },
      { pausedSources: new Set([2]), gateRejects: {}, warning: null, liveSinceMs: 1 },
    );
    assert.equal(status.state, 'live', "source 2's lost camera does not pause source 1");
    assert.deepEqual(status.sources[1], {
      id: 2,
      name: 'Door',
      state: 'paused',
      sourceFps: 10,
      frameBytes: 400,
      viewerCount: 1,
      url: 'http://192.168.1.2:8080/cam/2/?key=k',
    });
    assert.equal(status.sources[0]?.state, 'live');
    assert.equal(status.viewerCount, 2, 'the RTSP client counts as watching');
    assert.deepEqual(
      status.viewers.map((viewer) => [viewer.id, viewer.protocol, viewer.codec, viewer.sourceId]),
      [
        [3, 'rtsp', 'h264', 1],
        [4, 'mjpeg', 'jpeg', 2],
      ],
      'every client in one list, oldest first',
    );
    assert.equal(status.viewers[0]?.device, 'VLC');
    assert.equal(sourceStateOf('waiting', false), 'starting');
    assert.equal(sourceStateOf('live', true), 'paused');
    assert.equal(sourcePageUrl(undefined, '/cam/3/'), '/cam/3/');
  });

  it('classifies start errors', () => {
    assert.equal(
      startErrorOf(Object.assign(new Error('x'), { code: 'EADDRINUSE' }), 80).code,
      'port-in-use',
    );
    assert.equal(
      startErrorOf(new Error('Port 9 is already in use on 0.0.0.0'), 9).code,
      'port-in-use',
    );
    assert.equal(startErrorOf(new Error('EACCES'), 80).code, 'listen-failed');
  });
});
