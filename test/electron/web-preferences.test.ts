// webPreferences snapshot per window kind (electron/main/web-preferences.ts), checklist items 2–4, 6, 8–12.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secureWebPreferences } from '../../electron/main/web-preferences.ts';

const locked = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  webviewTag: false,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  devTools: false,
};

describe('secureWebPreferences', () => {
  it('control window: locked down, with the preload and no background throttling', () => {
    assert.deepEqual(
      secureWebPreferences('control', { preloadPath: '/app/out/preload/control-window.cjs' }),
      {
        ...locked,
        preload: '/app/out/preload/control-window.cjs',
        backgroundThrottling: false,
      },
    );
  });

  it('preview window: locked down and no preload at all', () => {
    const prefs = secureWebPreferences('preview', { preloadPath: '/ignored.cjs' });
    assert.deepEqual(prefs, locked);
    assert.equal('preload' in prefs, false);
  });

  it('devTools only when asked, and the control window cannot be built without its preload', () => {
    assert.equal(secureWebPreferences('preview', { devTools: true }).devTools, true);
    assert.throws(() => secureWebPreferences('control'), /preload/);
  });

  it('never sets the settings the checklist forbids', () => {
    for (const kind of ['control', 'preview'] as const) {
      const prefs = secureWebPreferences(kind, { preloadPath: '/p.cjs' });
      assert.equal('enableBlinkFeatures' in prefs, false);
      assert.notEqual(prefs.sandbox, false);
      assert.notEqual(prefs.contextIsolation, false);
      assert.notEqual(prefs.nodeIntegration, true);
    }
  });
});
