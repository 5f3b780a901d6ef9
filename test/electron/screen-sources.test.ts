// Screens and windows as a source (electron/main/screen-sources.ts): listing, choosing, and answering
// getDisplayMedia for our control window only — with plain objects for Electron's frames and sources.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createScreenSources,
  isScreenSourceId,
  toScreenSource,
  type DesktopSourceLike,
  type RequestFrameLike,
} from '../../electron/main/screen-sources.ts';

const controlFrame: RequestFrameLike = { url: 'app://bundle/control-window.html', parent: null };
const desktop: DesktopSourceLike[] = [
  { id: 'screen:0:0', name: 'Entire screen' },
  { id: 'window:4242:0', name: 'Notes' },
  { id: 'weird', name: 'not a source' },
];

function setup(
  sources: () => Promise<readonly DesktopSourceLike[]> = () => Promise.resolve(desktop),
) {
  const logs: string[] = [];
  const screens = createScreenSources({
    getSources: sources,
    isControlFrame: (frame) => frame === controlFrame,
    log: (message) => logs.push(message),
  });
  const ask = (frame: RequestFrameLike | null, videoRequested = true): Promise<unknown> =>
    new Promise((resolve) => {
      screens.handleRequest({ frame, videoRequested }, resolve);
    });
  return { screens, logs, ask };
}

describe('screen source ids', () => {
  it('accepts desktopCapturer ids only', () => {
    assert.equal(isScreenSourceId('screen:0:0'), true);
    assert.equal(isScreenSourceId('window:123:1'), true);
    assert.equal(isScreenSourceId('a1b2c3d4'), false);
    assert.equal(isScreenSourceId('screen:'), false);
    assert.equal(isScreenSourceId('screen:0:0 ; rm'), false);
    assert.equal(isScreenSourceId(7), false);
  });

  it('maps sources to the contract, naming unnamed ones', () => {
    assert.deepEqual(toScreenSource({ id: 'screen:1:0', name: '' }), {
      id: 'screen:1:0',
      name: 'Screen',
      kind: 'screen',
    });
    assert.equal(toScreenSource({ id: 'window:9:0', name: 'X' })?.kind, 'window');
    assert.equal(toScreenSource({ id: 'bogus', name: 'X' }), null);
  });
});

describe('createScreenSources', () => {
  it('lists screens and windows, and reports a failed listing as data', async () => {
    assert.deepEqual(await setup().screens.list(), {
      ok: true,
      value: [
        { id: 'screen:0:0', name: 'Entire screen', kind: 'screen' },
        { id: 'window:4242:0', name: 'Notes', kind: 'window' },
      ],
    });
    const failing = setup(() => Promise.reject(new Error('no portal')));
    const result = await failing.screens.list();
    assert.equal(result.ok, false);
  });

  it('grants the chosen source to the control window', async () => {
    const { screens, ask } = setup();
    assert.deepEqual(screens.choose('window:4242:0'), { ok: true, value: null });
    assert.deepEqual(await ask(controlFrame), { video: { id: 'window:4242:0', name: 'Notes' } });
    // Sticky: reopening (new resolution) gets the same source without choosing again.
    assert.deepEqual(await ask(controlFrame), { video: { id: 'window:4242:0', name: 'Notes' } });
  });

  it('refuses a bad id, and denies before anything was chosen', async () => {
    const { screens, ask, logs } = setup();
    assert.equal(screens.choose('../etc').ok, false);
    assert.equal(screens.choose(null).ok, false);
    assert.deepEqual(await ask(controlFrame), {});
    assert.match(logs.join('\n'), /no screen or window was chosen/);
  });

  it('denies other windows, subframes, other origins, gone frames and audio-only requests', async () => {
    const { screens, ask, logs } = setup();
    screens.choose('screen:0:0');
    const other: RequestFrameLike = { url: 'app://bundle/control-window.html', parent: null };
    assert.deepEqual(await ask(other), {});
    assert.deepEqual(
      await ask({ url: 'app://bundle/control-window.html', parent: controlFrame }),
      {},
    );
    assert.deepEqual(await ask({ url: 'http://127.0.0.1:8080/', parent: null }), {});
    assert.deepEqual(await ask(null), {});
    assert.deepEqual(await ask(controlFrame, false), {});
    assert.equal(logs.length, 5);
  });

  it('denies a source that has gone since it was chosen', async () => {
    let sources = desktop;
    const { screens, ask, logs } = setup(() => Promise.resolve(sources));
    screens.choose('window:4242:0');
    sources = desktop.filter((s) => s.id !== 'window:4242:0');
    assert.deepEqual(await ask(controlFrame), {});
    assert.match(logs.join('\n'), /is gone/);
  });
});
