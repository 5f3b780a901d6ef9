// electron/settings-limits.ts is the one source of setting ranges: main's guards, the control window's inputs
// and the server's own default port must all agree with it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultSettings } from '../../electron/main/settings-store.ts';
import { settingsFieldGuards } from '../../electron/main/validate.ts';
import {
  defaultPort,
  fpsRange,
  jpegQualityRange,
  overlayTextMaxLength,
  portRange,
} from '../../electron/settings-limits.ts';
import { clampFps, clampQuality, parsePort } from '../../renderer/setting-inputs.ts';
import { DEFAULT_PORT } from '../../server/core/listen.ts';

describe('settings limits', () => {
  it('the app and the server try the same port first', () => {
    assert.equal(defaultPort, DEFAULT_PORT);
    assert.equal(defaultPort, 8080);
  });

  it('main accepts exactly the ports the port field accepts: 1024–65535', () => {
    for (const port of [0, 1, 80, 1023, 1024, 8080, 65_535, 65_536]) {
      const isAccepted = port >= 1024 && port <= 65_535;
      assert.equal(settingsFieldGuards.port(port), isAccepted, `main, port ${port}`);
      assert.equal(parsePort(String(port)).ok, isAccepted, `form, port ${port}`);
    }
    assert.deepEqual([portRange.min, portRange.max], [1024, 65_535]);
  });

  it('whatever the sliders read, the clamped value is one main accepts', () => {
    for (const raw of [-1, 0, 4.4, 5, 29.6, 60, 61, 1000, Number.NaN]) {
      assert.equal(settingsFieldGuards.fps(clampFps(raw)), true, `fps ${raw}`);
    }
    for (const raw of [0, 0.49, 0.5, 0.8, 0.95, 0.951, 1, Number.NaN]) {
      assert.equal(settingsFieldGuards.jpegQuality(clampQuality(raw)), true, `quality ${raw}`);
    }
    assert.equal(settingsFieldGuards.fps(fpsRange.min - 1), false);
    assert.equal(settingsFieldGuards.fps(fpsRange.max + 1), false);
    assert.equal(settingsFieldGuards.jpegQuality(jpegQualityRange.max + 0.01), false);
  });

  it('the overlay name limit is the same on both sides', () => {
    assert.equal(settingsFieldGuards.overlayText('x'.repeat(overlayTextMaxLength)), true);
    assert.equal(settingsFieldGuards.overlayText('x'.repeat(overlayTextMaxLength + 1)), false);
  });

  it('every default passes its own guard', () => {
    const defaults = defaultSettings();
    for (const [key, guard] of Object.entries(settingsFieldGuards)) {
      assert.equal(guard(defaults[key as keyof typeof defaults]), true, key);
    }
  });
});
