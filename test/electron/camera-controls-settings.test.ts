// The optional cameraControls settings field: main's guard (validate.ts) and persistence (settings-store.ts).
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  defaultSettings,
  loadSettings,
  openSettingsStore,
  settingsFileName,
} from '../../electron/main/settings-store.ts';
import { checkSettingsPatch, isCameraControls } from '../../electron/main/validate.ts';

let root: string;
before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'lancam-camera-controls-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('isCameraControls', () => {
  it('accepts known controls per deviceId with numbers, mode names and booleans', () => {
    assert.equal(isCameraControls({}), true);
    assert.equal(
      isCameraControls({
        a1b2c3: { zoom: 2.5, focusMode: 'manual', torch: true, exposureCompensation: -1 },
        other: {},
      }),
      true,
    );
  });

  it('refuses unknown names, odd values, empty ids and oversized maps', () => {
    const refused: unknown[] = [
      null,
      [],
      'zoom',
      { cam: { width: 1280 } },
      { cam: { zoom: Number.NaN } },
      { cam: { zoom: Number.POSITIVE_INFINITY } },
      { cam: { focusMode: '' } },
      { cam: { focusMode: 'x'.repeat(33) } },
      { cam: { zoom: { min: 1 } } },
      { cam: [] },
      { '': { zoom: 1 } },
      { ['d'.repeat(513)]: { zoom: 1 } },
      Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`cam-${i}`, { zoom: 1 }])),
    ];
    for (const value of refused)
      assert.equal(isCameraControls(value), false, JSON.stringify(value));
  });

  it('is part of the settings patch guard', () => {
    assert.equal(checkSettingsPatch({ cameraControls: { cam: { zoom: 2 } } }).ok, true);
    assert.equal(checkSettingsPatch({ cameraControls: { cam: { hue: 2 } } }).ok, false);
  });
});

describe('cameraControls persistence', () => {
  it('a settings file written before the field existed loads cleanly (no repair, no backup)', async () => {
    const folder = path.join(root, 'old');
    await openSettingsStore(folder);
    const file = path.join(folder, settingsFileName);
    const { cameraControls, ...old } = defaultSettings();
    assert.deepEqual(cameraControls, {}, 'new installs start with no camera changed');
    await writeFile(file, JSON.stringify(old));
    const loaded = await loadSettings(file);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.settings.cameraControls, {}, 'the default fills the gap');
    assert.deepEqual(
      (await readdir(folder)).filter((f) => f.endsWith('.bak')),
      [],
      'nothing was backed up',
    );
  });

  it('round-trips through the store, and a damaged value is reported and dropped', async () => {
    const folder = path.join(root, 'round-trip');
    const store = await openSettingsStore(folder);
    await store.update({ cameraControls: { cam: { zoom: 3, focusMode: 'manual' } } });
    const again = await openSettingsStore(folder);
    assert.deepEqual(again.get().cameraControls, { cam: { zoom: 3, focusMode: 'manual' } });

    const file = path.join(folder, settingsFileName);
    await writeFile(file, JSON.stringify({ ...again.get(), cameraControls: { cam: { hue: 1 } } }));
    const loaded = await loadSettings(file);
    assert.deepEqual(loaded.problems, ['cameraControls: invalid value']);
    assert.deepEqual(loaded.settings.cameraControls, {}, 'back to the default');
  });
});
