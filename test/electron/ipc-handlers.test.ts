// Sender checks, payload guards and channel coverage of electron/main/ipc-handlers.ts over a recording transport.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Channels, type BroadcastStatus, type Result, type Settings } from '../../electron/ipc.ts';
import { offStatus, type Broadcast } from '../../electron/main/broadcast.ts';
import {
  registerIpcHandlers,
  senderProblem,
  type IpcEventLike,
} from '../../electron/main/ipc-handlers.ts';
import { openSettingsStore, type SettingsStore } from '../../electron/main/settings-store.ts';
import type { GateRejectReason } from '../../electron/main/validate.ts';
import { InProcessIpcMain } from '../helpers/in-process-ipc.ts';

/** Records what the handlers ask of the broadcast (its real behaviour is covered by broadcast.test.ts). */
function recordingBroadcast() {
  const calls: string[] = [];
  const frames: Uint8Array[] = [];
  const videoChunks: { bytes: Uint8Array; isKey: boolean }[] = [];
  const rejected: Partial<Record<GateRejectReason, number>> = {};
  const status = (): BroadcastStatus => offStatus(rejected, null);
  const broadcast: Broadcast = {
    start: () => {
      calls.push('start');
      return Promise.resolve({ ok: true, value: status() });
    },
    stop: () => {
      calls.push('stop');
      return Promise.resolve({ ok: true, value: status() });
    },
    status,
    isLive: false,
    publishFrame: (jpeg) => frames.push(jpeg),
    publishVideo: (bytes, meta) => videoChunks.push({ bytes, isKey: meta.isKey }),
    requestKeyframe: () => calls.push('keyframe'),
    noteRejectedFrame: (reason) => {
      rejected[reason] = (rejected[reason] ?? 0) + 1;
    },
    setCameraState: (state, sourceId) => calls.push(`camera:${state.kind}:${sourceId}`),
    settingsChanged: (previous: Settings, next: Settings) => {
      if (previous.extraSources !== next.extraSources) {
        const ids = (next.extraSources ?? []).map((source) => source.id).join(',');
        calls.push(`sources:[${ids}]`);
      } else
        calls.push(`settings:${previous.accessKey === next.accessKey ? 'same-key' : 'new-key'}`);
      return Promise.resolve();
    },
    disconnectViewer: (id) => {
      calls.push(`disconnect:${id}`);
      return { ok: true, value: status() };
    },
    disconnectAll: () => {
      calls.push('disconnect-all');
      return { ok: true, value: status() };
    },
    allowAddress: (address) => {
      calls.push(`allow:${address}`);
      return { ok: true, value: status() };
    },
  };
  return { broadcast, calls, frames, videoChunks };
}

const controlContents = { id: 1 };
const otherContents = { id: 2 };
const trusted: IpcEventLike = {
  sender: controlContents,
  senderFrame: { url: 'app://bundle/control-window.html', parent: null },
};
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]);
const meta = { captureTimeMs: Date.now(), width: 2, height: 2 };

let folder: string;
let settings: SettingsStore;
before(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'lancam-ipc-'));
  settings = await openSettingsStore(folder);
});
after(async () => {
  await rm(folder, { recursive: true, force: true });
});

function setup() {
  const ipcMain = new InProcessIpcMain();
  const recorded = recordingBroadcast();
  const logs: string[] = [];
  const opened: string[] = [];
  const copied: string[] = [];
  const registered = registerIpcHandlers(ipcMain, {
    broadcast: recorded.broadcast,
    settings,
    isControlWindow: (sender) => sender === controlContents,
    openPreview: () => Promise.resolve({ ok: true, value: null }),
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve({ ok: true, value: null });
    },
    copyText: (text) => copied.push(text),
    log: (line) => logs.push(line),
  });
  return { ipcMain, registered, logs, opened, copied, ...recorded };
}

describe('channel coverage', () => {
  it('handles every renderer→main channel of ipc.ts exactly once; status and keyframe requests are the pushes', () => {
    const { ipcMain, registered } = setup();
    const handled = [...ipcMain.handlers.keys(), ...ipcMain.listeners.keys()].sort();
    const all = Object.values(Channels)
      .filter((channel) => channel !== Channels.status && channel !== Channels.keyframeRequest)
      .sort();
    assert.deepEqual(handled, all);
    assert.deepEqual([...registered.invokeChannels, ...registered.sendChannels].sort(), all);
  });

  it('dispose unregisters everything', () => {
    const { ipcMain, registered } = setup();
    registered.dispose();
    assert.equal(ipcMain.handlers.size, 0);
    for (const set of ipcMain.listeners.values()) assert.equal(set.size, 0);
  });
});

describe('sender checks', () => {
  const untrusted: [string, IpcEventLike][] = [
    [
      'a subframe',
      { sender: controlContents, senderFrame: { url: 'app://bundle/x.html', parent: {} } },
    ],
    [
      'another origin',
      { sender: controlContents, senderFrame: { url: 'http://127.0.0.1:8080/', parent: null } },
    ],
    [
      'another window',
      {
        sender: otherContents,
        senderFrame: { url: 'app://bundle/control-window.html', parent: null },
      },
    ],
    ['a destroyed frame', { sender: controlContents, senderFrame: null }],
  ];

  it('the policy names each problem', () => {
    const policy = { isControlWindow: (sender: unknown) => sender === controlContents };
    assert.equal(senderProblem(trusted, policy), null);
    assert.deepEqual(
      untrusted.map(([, event]) => senderProblem(event, policy)),
      [
        'not the top frame',
        'origin of http://127.0.0.1:8080/',
        'not the control window',
        'sender frame is gone',
      ],
    );
  });

  it('invokes from untrusted senders are refused without reaching the broadcast', async () => {
    const { ipcMain, calls, logs } = setup();
    for (const [name, event] of untrusted) {
      await assert.rejects(ipcMain.invoke(event, Channels.start), /untrusted sender/, name);
      await assert.rejects(ipcMain.invoke(event, Channels.getSettings), /untrusted sender/, name);
    }
    assert.deepEqual(calls, []);
    assert.equal(logs.length, 8, 'one log line per channel and reason');
    await ipcMain.invoke(trusted, Channels.start);
    assert.deepEqual(calls, ['start']);
  });

  it('frames from untrusted senders are dropped and counted', () => {
    const { ipcMain, registered, frames } = setup();
    for (const [, event] of untrusted) ipcMain.send(event, Channels.frame, jpeg, meta, 1);
    ipcMain.send(untrusted[0]![1], Channels.cameraState, { kind: 'ended' }, 1);
    assert.equal(frames.length, 0);
    assert.equal(registered.frameGate.rejectedByReason['untrusted-sender'], 4);
    ipcMain.send(trusted, Channels.frame, jpeg, meta, 1);
    assert.equal(frames.length, 1);
  });
});

describe('payload guards', () => {
  it('frames: malformed ones are rejected, counted in the status and logged once per reason', () => {
    const { ipcMain, registered, frames, broadcast, logs } = setup();
    ipcMain.send(trusted, Channels.frame, jpeg.buffer, meta, 1);
    ipcMain.send(trusted, Channels.frame, 'jpeg', meta, 1);
    ipcMain.send(trusted, Channels.frame, 'jpeg', meta, 1);
    ipcMain.send(trusted, Channels.frame, jpeg, { width: -1 }, 1);
    ipcMain.send(trusted, Channels.frame, new Uint8Array(9 * 1024 * 1024), meta, 1);
    // Bytes that are not a JPEG pass the gate: the server's publish() is the one check of frame bytes.
    ipcMain.send(trusted, Channels.frame, new Uint8Array([1, 2, 3]), meta, 1);
    assert.equal(frames.length, 2);
    assert.equal(registered.frameGate.rejected, 4);
    assert.equal(broadcast.status().rejectedFrames, 4);
    assert.deepEqual(broadcast.status().rejectedByReason, {
      'not-binary': 2,
      'bad-meta': 1,
      'too-large': 1,
    });
    assert.equal(logs.filter((line) => line.includes('frame rejected')).length, 3);
  });

  it('video chunks: only Annex B access units after a keyframe reach the broadcast; rejects show in the status', () => {
    const { ipcMain, registered, videoChunks, broadcast, calls } = setup();
    const unit = (nalType: number): Uint8Array =>
      new Uint8Array([0, 0, 0, 1, 0x60 | nalType, 1, 2, 3]);
    const at = (isKey: boolean, n: number) => ({
      isKey,
      timestampUs: n * 33_333,
      durationUs: 33_333,
    });
    ipcMain.send(trusted, Channels.videoChunk, unit(1), at(false, 0));
    ipcMain.send(trusted, Channels.videoChunk, unit(5).buffer, at(true, 1));
    ipcMain.send(trusted, Channels.videoChunk, unit(1), at(false, 2));
    ipcMain.send(trusted, Channels.videoChunk, jpeg, at(false, 3));
    ipcMain.send(trusted, Channels.videoChunk, unit(1), { isKey: 'no' });
    const foreign: IpcEventLike = {
      sender: otherContents,
      senderFrame: { url: 'app://bundle/control-window.html', parent: null },
    };
    for (let i = 0; i < 4; i += 1) ipcMain.send(foreign, Channels.videoChunk, unit(5), at(true, 4));
    assert.deepEqual(
      videoChunks.map((c) => c.isKey),
      [true, false],
    );
    assert.deepEqual(registered.videoGate.rejectedByReason, {
      'video-no-keyframe-yet': 1,
      'video-no-start-code': 1,
      'video-bad-meta': 1,
      'video-untrusted-sender': 4,
    });
    assert.equal(broadcast.status().rejectedFrames, 7);
    assert.deepEqual(calls, ['keyframe'], 'the broken stream asked the renderer for a keyframe');
  });

  it('camera-state messages are validated before the broadcast sees them', () => {
    const { ipcMain, calls } = setup();
    ipcMain.send(trusted, Channels.cameraState, { kind: 'ended' }, 1);
    ipcMain.send(trusted, Channels.cameraState, { kind: 'gone' }, 1);
    ipcMain.send(trusted, Channels.cameraState, { kind: 'ended' });
    ipcMain.send(trusted, Channels.cameraState, { kind: 'ended' }, 3);
    assert.deepEqual(
      calls,
      ['camera:ended:1'],
      'no source id, or a source that does not exist: ignored',
    );
  });

  it('settings: a bad patch is refused as data, a good one is saved and handed to the broadcast', async () => {
    const { ipcMain, calls } = setup();
    const bad = (await ipcMain.invoke(trusted, Channels.updateSettings, {
      fps: 'fast',
    })) as Result<Settings>;
    if (bad.ok) assert.fail('an fps of "fast" was accepted');
    assert.equal(bad.code, 'invalid-argument');
    const good = (await ipcMain.invoke(trusted, Channels.updateSettings, {
      fps: 24,
    })) as Result<Settings>;
    assert.equal(good.ok && good.value.fps, 24);
    assert.equal(settings.get().fps, 24);
    const before = settings.get().accessKey;
    const regenerated = (await ipcMain.invoke(trusted, Channels.regenerateKey)) as Result<Settings>;
    assert.ok(regenerated.ok);
    assert.notEqual(regenerated.value.accessKey, before);
    assert.deepEqual(calls, ['settings:same-key', 'settings:new-key']);
  });

  it('sources: add, change and remove go through validation and reach the broadcast; frames name a source', async () => {
    const { ipcMain, calls, frames, registered } = setup();
    const invoke = async (channel: string, ...args: unknown[]): Promise<Result<Settings>> =>
      (await ipcMain.invoke(trusted, channel, ...args)) as Result<Settings>;
    ipcMain.send(trusted, Channels.frame, jpeg, meta, 2);
    assert.equal(frames.length, 0, 'source 2 does not exist yet');
    assert.equal((await invoke(Channels.addSource, { fps: 99 })).ok, false);
    assert.equal((await invoke(Channels.addSource, 'camera')).ok, false);
    const added = await invoke(Channels.addSource, { cameraId: 'cam-b', rotation: 90 });
    assert.ok(added.ok);
    assert.deepEqual(
      added.value.extraSources?.map((s) => [s.id, s.cameraId, s.rotation]),
      [[2, 'cam-b', 90]],
    );
    ipcMain.send(trusted, Channels.frame, jpeg, meta, 2);
    assert.equal(frames.length, 1, 'source 2 exists now');
    for (const [id, patch] of [
      [1, { name: 'x' }],
      [3, { name: 'x' }],
      ['2', { name: 'x' }],
      [2, { id: 3 }],
      [2, { mirror: 'yes' }],
    ] as const) {
      const refused = await invoke(Channels.updateSource, id, patch);
      assert.equal(refused.ok, false, JSON.stringify([id, patch]));
    }
    const renamed = await invoke(Channels.updateSource, 2, { name: 'Door', mirror: true });
    assert.ok(renamed.ok);
    assert.equal(renamed.value.extraSources?.[0]?.name, 'Door');
    assert.equal((await invoke(Channels.removeSource, 1)).ok, false, 'source 1 stays');
    assert.equal((await invoke(Channels.removeSource, 7)).ok, false);
    assert.ok((await invoke(Channels.removeSource, 2)).ok);
    assert.deepEqual(settings.get().extraSources, []);
    ipcMain.send(trusted, Channels.frame, jpeg, meta, 2);
    assert.equal(frames.length, 1);
    assert.equal(registered.frameGate.rejectedByReason['unknown-source'], 2);
    assert.deepEqual(calls, ['sources:[2]', 'sources:[2]', 'sources:[]']);
  });

  it('open-external and copy-text validate their argument', async () => {
    const { ipcMain, opened, copied } = setup();
    const notUrl = (await ipcMain.invoke(trusted, Channels.openExternal, 42)) as Result<null>;
    assert.equal(notUrl.ok, false);
    await ipcMain.invoke(trusted, Channels.openExternal, 'http://192.168.1.2:8080/');
    assert.deepEqual(opened, ['http://192.168.1.2:8080/']);
    const tooLong = (await ipcMain.invoke(
      trusted,
      Channels.copyText,
      'x'.repeat(10_000),
    )) as Result<null>;
    assert.equal(tooLong.ok, false);
    assert.deepEqual(await ipcMain.invoke(trusted, Channels.copyText, 'ffplay http://x/'), {
      ok: true,
      value: null,
    });
    assert.deepEqual(copied, ['ffplay http://x/']);
  });

  it('viewer channels validate ids and addresses before the broadcast sees them', async () => {
    const { ipcMain, calls } = setup();
    for (const bad of [0, -1, 1.5, '3', null, Number.MAX_SAFE_INTEGER + 1]) {
      const refused = (await ipcMain.invoke(
        trusted,
        Channels.disconnectViewer,
        bad,
      )) as Result<null>;
      assert.equal(refused.ok, false, String(bad));
    }
    for (const bad of ['', 'evil.example', '10.0.0.0/8', 42, 'x'.repeat(100), '1.2.3']) {
      const refused = (await ipcMain.invoke(trusted, Channels.allowAddress, bad)) as Result<null>;
      assert.equal(refused.ok, false, String(bad));
    }
    await ipcMain.invoke(trusted, Channels.disconnectViewer, 7);
    await ipcMain.invoke(trusted, Channels.disconnectAll);
    await ipcMain.invoke(trusted, Channels.allowAddress, '192.168.1.20');
    await ipcMain.invoke(trusted, Channels.allowAddress, 'fe80::1%eth0');
    assert.deepEqual(calls, [
      'disconnect:7',
      'disconnect-all',
      'allow:192.168.1.20',
      'allow:fe80::1%eth0',
    ]);
    const untrusted: IpcEventLike = { ...trusted, sender: otherContents };
    await assert.rejects(ipcMain.invoke(untrusted, Channels.disconnectAll));
    assert.equal(calls.length, 4);
  });
});
