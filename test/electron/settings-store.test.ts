// Settings persistence of electron/main/settings-store.ts: first run, round trip, atomic writes, repair of bad files.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  defaultSettings,
  loadSettings,
  newAccessKey,
  openSettingsStore,
  settingsFileName,
} from '../../electron/main/settings-store.ts';
import { checkSettingsPatch } from '../../electron/main/validate.ts';

let root: string;
let n = 0;
const freshFolder = (): string => path.join(root, `case-${++n}`);

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lancam-settings-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('defaults', () => {
  it('are valid settings with a fresh 128-bit key each time', () => {
    const a = defaultSettings();
    const b = defaultSettings();
    assert.notEqual(a.accessKey, b.accessKey);
    assert.equal(Buffer.from(newAccessKey(), 'base64url').length, 16);
    assert.deepEqual(checkSettingsPatch(a), { ok: true, patch: a });
    assert.equal(a.openMode, false, 'a key is required unless the user opts out');
  });

  // 1 in 64 raw base64url draws starts with '-', which `lancam serve --key K` would read as an option.
  it('never generates a key that starts with "-"', () => {
    for (let i = 0; i < 5000; i++) {
      const key = newAccessKey();
      assert.match(key, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/, key);
    }
  });
});

describe('openSettingsStore', () => {
  it('first run: writes defaults so the generated key survives a restart', async () => {
    const folder = freshFolder();
    const store = await openSettingsStore(folder);
    const onDisk = JSON.parse(
      await readFile(path.join(folder, settingsFileName), 'utf8'),
    ) as unknown;
    assert.deepEqual(onDisk, store.get());
    const again = await openSettingsStore(folder);
    assert.equal(again.get().accessKey, store.get().accessKey);
  });

  it('update persists and leaves no temp files behind, even for concurrent updates', async () => {
    const folder = freshFolder();
    const store = await openSettingsStore(folder);
    await Promise.all([
      store.update({ fps: 12 }),
      store.update({ mirror: true }),
      store.update({ port: 8123 }),
      store.update({ overlayText: 'Garage' }),
    ]);
    const reloaded = await loadSettings(store.filePath);
    assert.deepEqual(reloaded.problems, []);
    assert.equal(reloaded.settings.fps, 12);
    assert.equal(reloaded.settings.mirror, true);
    assert.equal(reloaded.settings.port, 8123);
    assert.equal(reloaded.settings.overlayText, 'Garage');
    assert.deepEqual(await readdir(folder), [settingsFileName]);
  });

  it('a corrupt file: defaults, a backup of the original, a repaired file, no throw', async () => {
    const folder = freshFolder();
    await openSettingsStore(folder);
    const file = path.join(folder, settingsFileName);
    await writeFile(file, '{"fps": 15, "mirror": tru');
    const logs: string[] = [];
    const store = await openSettingsStore(folder, (line) => logs.push(line));
    assert.equal(store.get().fps, 30);
    const files = await readdir(folder);
    const backup = files.find((name) => name.endsWith('.bak'));
    assert.ok(backup, `backup among ${files.join(', ')}`);
    assert.equal(await readFile(path.join(folder, backup), 'utf8'), '{"fps": 15, "mirror": tru');
    assert.deepEqual((await loadSettings(file)).problems, [], 'the file is valid again');
    assert.match(logs.join('\n'), /not valid JSON/);
  });

  it('a partly invalid file keeps its good fields and defaults only the bad ones', async () => {
    const folder = freshFolder();
    const file = path.join(folder, settingsFileName);
    const good = { ...defaultSettings(), fps: 10, rotation: 90, overlayText: 'Door' };
    await openSettingsStore(folder);
    await writeFile(file, JSON.stringify({ ...good, port: 'eighty', jpegQuality: 7, extra: 1 }));
    const loaded = await loadSettings(file);
    assert.equal(loaded.settings.fps, 10);
    assert.equal(loaded.settings.rotation, 90);
    assert.equal(loaded.settings.accessKey, good.accessKey);
    assert.equal(loaded.settings.port, null);
    assert.equal(loaded.settings.jpegQuality, 0.8);
    assert.deepEqual(loaded.problems, [
      'jpegQuality: invalid value',
      'port: invalid value',
      'extra: unknown',
    ]);
    assert.ok(loaded.backupPath);
  });

  it('a partial file (older version) gets defaults for the missing fields', async () => {
    const folder = freshFolder();
    const file = path.join(folder, settingsFileName);
    await openSettingsStore(folder);
    await writeFile(file, JSON.stringify({ fps: 20 }));
    const store = await openSettingsStore(folder);
    assert.equal(store.get().fps, 20);
    assert.equal(store.get().resolution, '720p');
    assert.equal((await loadSettings(file)).problems.length, 0);
  });

  it('JSON that is not an object falls back to all defaults', async () => {
    const folder = freshFolder();
    await openSettingsStore(folder);
    await writeFile(path.join(folder, settingsFileName), '[1,2,3]');
    const loaded = await loadSettings(path.join(folder, settingsFileName));
    assert.deepEqual(loaded.problems, ['not a JSON object']);
  });
});
