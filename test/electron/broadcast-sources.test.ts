// electron/main/broadcast.ts with several sources against the real server on 127.0.0.1: the saved sources are
// served under their own ids (after a restart too), frames reach their own source, a source's camera loss and
// size change touch only that source, and a removed source's paths answer 404.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Settings, SourceSettings } from '../../electron/ipc.ts';
import { createBroadcast } from '../../electron/main/broadcast.ts';
import { defaultSettings } from '../../electron/main/settings-store.ts';
import { newSourceSettings } from '../../electron/main/source-settings.ts';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const placeholder = path.resolve(import.meta.dirname, '../../server/assets/placeholder.jpg');

const source = (id: number, name = ''): SourceSettings => newSourceSettings(id, { name });

/** Status code of a GET, the body dropped. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

function harness(extraSources: readonly SourceSettings[]) {
  // Port 0 is not a user-settable value; tests use it to get a free port without races.
  let settings: Settings = { ...defaultSettings(), port: 0, extraSources };
  const broadcast = createBroadcast({
    settings: () => settings,
    onStatus: () => undefined,
    logger: silent,
    host: '127.0.0.1',
  });
  const url = (pathname: string): string => {
    const { port, key } = broadcast.status();
    return `http://127.0.0.1:${String(port)}${pathname}?key=${key ?? ''}`;
  };
  return {
    broadcast,
    url,
    async change(patch: Partial<Settings>): Promise<void> {
      const previous = settings;
      settings = { ...settings, ...patch };
      await broadcast.settingsChanged(previous, settings);
    },
  };
}

describe('createBroadcast with several sources', () => {
  it('serves the saved sources under their ids, keeping a gap (2 and 4), after a restart too', async () => {
    const h = harness([source(2, 'Door'), source(4, 'Garden')]);
    const started = await h.broadcast.start();
    assert.ok(started.ok);
    const ids = (): number[] => h.broadcast.status().sources.map((s) => s.id);
    assert.deepEqual(ids(), [1, 2, 4]);
    assert.deepEqual(
      h.broadcast.status().sources.map((s) => s.name),
      ['', 'Door', 'Garden'],
    );
    assert.equal(await statusOf(h.url('/cam/3/snapshot.jpg')), 404, 'the gap stays a gap');
    assert.match(h.broadcast.status().sources[2]?.url ?? '', /\/cam\/4\/\?key=/);
    // A new key restarts the server: the same sources come back under the same ids.
    await h.change({ accessKey: 'another-key-0123456789' });
    assert.deepEqual(ids(), [1, 2, 4]);
    // Added while live: served at once under the lowest free id, which the settings chose too.
    await h.change({ extraSources: [source(2, 'Door'), source(3), source(4, 'Garden')] });
    assert.deepEqual(ids(), [1, 2, 3, 4]);
    await h.change({ extraSources: [source(2, 'Front door'), source(4, 'Garden')] });
    assert.deepEqual(ids(), [1, 2, 4]);
    assert.equal(h.broadcast.status().sources[1]?.name, 'Front door', 'renamed in place');
    await h.broadcast.stop();
  });

  it("frames reach their own source; one source's camera loss pauses only that source", async () => {
    const h = harness([source(2)]);
    await h.broadcast.start();
    const jpeg = new Uint8Array(await readFile(placeholder));
    h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width: 640, height: 480 }, 2);
    const [one, two] = h.broadcast.status().sources;
    assert.equal(one?.frameBytes, 0, 'source 1 got nothing');
    assert.equal(two?.frameBytes, jpeg.length);
    assert.equal(await statusOf(h.url('/cam/2/snapshot.jpg')), 200);
    h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width: 640, height: 480 }, 1);
    h.broadcast.setCameraState({ kind: 'ended' }, 2);
    let status = h.broadcast.status();
    assert.equal(status.state, 'live', 'source 1 stays live');
    assert.deepEqual(
      status.sources.map((s) => s.state),
      ['live', 'paused'],
    );
    h.broadcast.setCameraState({ kind: 'running', label: 'USB' }, 2);
    h.broadcast.setCameraState({ kind: 'ended' }, 1);
    status = h.broadcast.status();
    assert.equal(status.state, 'paused');
    assert.deepEqual(
      status.sources.map((s) => s.state),
      ['paused', 'live'],
    );
    // A frame for a source the server does not serve is dropped, not thrown.
    h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width: 640, height: 480 }, 3);
    await h.broadcast.stop();
  });

  it("a new frame size ends only that source's streams; a removed source answers 404", async () => {
    const h = harness([source(2)]);
    await h.broadcast.start();
    const jpeg = new Uint8Array(await readFile(placeholder));
    const publish = (sourceId: number, width: number): void => {
      h.broadcast.publishFrame(jpeg, { captureTimeMs: Date.now(), width, height: 480 }, sourceId);
    };
    publish(1, 640);
    publish(2, 640);
    const open = (pathname: string) =>
      new Promise<{ ended: Promise<void>; close: () => void }>((resolve, reject) => {
        const req = get(h.url(pathname), (res) => {
          assert.equal(res.statusCode, 200);
          res.resume();
          resolve({
            ended: new Promise((done) => res.once('close', done)),
            close: () => req.destroy(),
          });
        });
        req.on('error', reject);
      });
    const first = await open('/cam/1/stream.mjpg');
    const second = await open('/cam/2/stream.mjpg');
    let isFirstEnded = false;
    void first.ended.then(() => (isFirstEnded = true));
    publish(2, 320);
    await second.ended;
    publish(1, 640);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(isFirstEnded, false, "source 1's viewer kept its stream");
    await h.change({ extraSources: [] });
    assert.equal(await statusOf(h.url('/cam/2/stream.mjpg')), 404);
    assert.equal(await statusOf(h.url('/cam/1/snapshot.jpg')), 200);
    first.close();
    await h.broadcast.stop();
  });
});
