// Several sources in the settings: the list after add/change/remove, its validation, the old-file migration,
// and the frame gate's per-source checks (electron/main/source-settings.ts, validate.ts, settings-store.ts).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SourceSettings } from '../../electron/ipc.ts';
import { loadSettings, settingsFileName } from '../../electron/main/settings-store.ts';
import {
  newSourceSettings,
  sourceIdsOf,
  withSourceAdded,
  withSourceChanged,
  withSourceRemoved,
} from '../../electron/main/source-settings.ts';
import {
  checkSettingsPatch,
  checkSourcePatch,
  createFrameGate,
  isExtraSources,
} from '../../electron/main/validate.ts';
import { maxSources } from '../../electron/settings-limits.ts';
import { MAX_SOURCES } from '../../server/types.ts';

const source = (id: number, extra: Partial<SourceSettings> = {}): SourceSettings =>
  newSourceSettings(id, extra);

let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lancam-sources-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('extra sources list', () => {
  it('the app and the server agree on how many sources there are', () => {
    assert.equal(maxSources, MAX_SOURCES);
    assert.equal(maxSources, 4);
  });

  it('adds under the lowest free id with the defaults, in id order, and refuses a fifth', () => {
    const first = withSourceAdded([], { cameraId: 'cam-b', rotation: 90 });
    assert.ok(first.ok);
    assert.equal(first.id, 2);
    assert.deepEqual(first.sources, [source(2, { cameraId: 'cam-b', rotation: 90 })]);
    const gap = withSourceAdded([source(2), source(4)], {});
    assert.ok(gap.ok);
    assert.equal(gap.id, 3, 'the gap left by a removed source is filled first');
    assert.deepEqual(
      gap.sources.map((s) => s.id),
      [2, 3, 4],
    );
    const full = withSourceAdded([source(2), source(3), source(4)], {});
    if (full.ok) assert.fail('a fifth source was added');
    assert.match(full.message, /at most 4 sources/);
  });

  it('changes and removes only an existing extra source; source 1 cannot be removed', () => {
    const list = [source(2), source(3)];
    const changed = withSourceChanged(list, 3, { name: 'Door', fps: 10 });
    assert.ok(changed.ok);
    assert.deepEqual(changed.sources, [source(2), source(3, { name: 'Door', fps: 10 })]);
    const removed = withSourceRemoved(list, 2);
    assert.ok(removed.ok);
    assert.deepEqual(removed.sources, [source(3)]);
    assert.equal(withSourceRemoved(list, 4).ok, false);
    const main = withSourceRemoved(list, 1);
    assert.match(main.ok ? '' : main.message, /stays/);
    assert.deepEqual(sourceIdsOf({ extraSources: list }), [1, 2, 3]);
    assert.deepEqual(sourceIdsOf({}), [1]);
  });

  it("validates each source with source 1's limits, ids unique and ascending", () => {
    assert.equal(isExtraSources([]), true);
    assert.equal(isExtraSources([source(2), source(4)]), true);
    assert.equal(isExtraSources([source(3), source(2)]), false, 'order');
    assert.equal(isExtraSources([source(2), source(2)]), false, 'duplicate');
    assert.equal(isExtraSources([source(1)]), false, 'source 1 lives at the top level');
    assert.equal(isExtraSources([source(5)]), false, 'above maxSources');
    assert.equal(isExtraSources([source(2, { fps: 61 })]), false, 'fps above the range');
    assert.equal(isExtraSources([source(2, { jpegQuality: 0.2 })]), false);
    assert.equal(isExtraSources([source(2, { overlayText: 'a\nb' })]), false);
    assert.equal(isExtraSources([{ ...source(2), extra: 1 }]), false, 'unknown field');
    const missingFps: Record<string, unknown> = { ...source(2) };
    delete missingFps.fps;
    assert.equal(isExtraSources([missingFps]), false, 'missing field');
    assert.equal(isExtraSources([source(2), source(3), source(4), source(4)]), false);
    assert.equal(checkSettingsPatch({ extraSources: [source(2)] }).ok, true);
    assert.equal(checkSettingsPatch({ extraSources: [source(9)] }).ok, false);
  });

  it('a source patch takes known fields but the id, each valid', () => {
    assert.deepEqual(checkSourcePatch({ name: 'Door', mirror: true }), {
      ok: true,
      patch: { name: 'Door', mirror: true },
    });
    assert.equal(checkSourcePatch({ id: 3 }).ok, false);
    assert.equal(checkSourcePatch({ port: 9000 }).ok, false);
    assert.equal(checkSourcePatch({ resolution: '4k' }).ok, false);
    assert.equal(checkSourcePatch({ name: 'x'.repeat(41) }).ok, false);
    assert.equal(checkSourcePatch('name').ok, false);
  });
});

describe('settings files', () => {
  it('a file written before several sources existed loads cleanly, with no extra sources', async () => {
    const file = path.join(root, `old-${settingsFileName}`);
    // The shape of a settings file written by the single-source release (no extraSources).
    const old = {
      cameraId: 'cam-a',
      resolution: '1080p',
      fps: 24,
      jpegQuality: 0.92,
      mirror: true,
      rotation: 180,
      overlay: true,
      overlayText: 'Workshop',
      port: 8081,
      accessKey: 'old-key-0123456789abcdef',
      openMode: false,
      startOnLaunch: false,
      launchAtLogin: false,
      cameraControls: {},
      notifyOnViewer: true,
      h264BitrateMbps: 3,
    };
    await writeFile(file, JSON.stringify(old));
    const loaded = await loadSettings(file);
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.backupPath, null);
    assert.deepEqual(loaded.settings, { ...old, extraSources: [] });
  });

  it('keeps saved sources; a damaged list falls back to none and is reported', async () => {
    const good = path.join(root, `good-${settingsFileName}`);
    const base = (await loadSettings(path.join(root, 'missing.json'))).settings;
    await writeFile(good, JSON.stringify({ ...base, extraSources: [source(2, { name: 'Door' })] }));
    const loaded = await loadSettings(good);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.settings.extraSources, [source(2, { name: 'Door' })]);
    const bad = path.join(root, `bad-${settingsFileName}`);
    await writeFile(bad, JSON.stringify({ ...base, extraSources: [source(2), source(2)] }));
    const repaired = await loadSettings(bad);
    assert.deepEqual(repaired.problems, ['extraSources: invalid value']);
    assert.deepEqual(repaired.settings.extraSources, []);
    assert.ok(repaired.backupPath);
  });
});

describe('frame gate with several sources', () => {
  const meta = { captureTimeMs: 1, width: 2, height: 2 };
  const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);

  it('refuses a source id that is not an integer or not a source that exists', () => {
    const known = new Set([1, 3]);
    const gate = createFrameGate({ isKnownSource: (id) => known.has(id) });
    assert.equal(gate.accept(bytes, meta, 3)?.sourceId, 3);
    for (const id of [2, 0, 5, 1.5, '1', undefined, null]) {
      assert.equal(gate.accept(bytes, meta, id), null, String(id));
    }
    assert.deepEqual(gate.rejectedByReason, { 'unknown-source': 7 });
  });

  it('each source has its own rate allowance', () => {
    let now = 0;
    const gate = createFrameGate({ now: () => now, isKnownSource: () => true });
    let first = 0;
    let second = 0;
    for (let i = 0; i < 150; i++) {
      if (gate.accept(bytes, meta, 1)) first++;
      if (gate.accept(bytes, meta, 2)) second++;
    }
    assert.equal(first, 120, 'source 2 did not take from source 1');
    assert.equal(second, 120);
    now += 1000;
    assert.ok(gate.accept(bytes, meta, 1));
  });
});
