// Harness: real preload bundle + real renderer bundle (fake camera) + real main-process IPC handlers,
// broadcast and settings store + real server. Only Electron's IPC transport and BrowserWindow are substituted.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Channels, type LanCamApi, type Result } from '../../electron/ipc.ts';
import type { Broadcast } from '../../electron/main/broadcast.ts';
import type { RegisteredIpc } from '../../electron/main/ipc-handlers.ts';
import type { SettingsStore } from '../../electron/main/settings-store.ts';
import { isSafeExternalUrl, localViewerUrl } from '../../electron/main/url-guards.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import type { InProcessIpcMain } from '../helpers/in-process-ipc.ts';
import { startMainProcess, type MainProcess } from '../helpers/main-process.ts';
import { canListen, freePort } from '../helpers/ports.ts';
import {
  bindingNames,
  emitToPage,
  fromWire,
  preloadInitScript,
} from '../helpers/preload-stand-in.ts';
import { startStaticServer, type StaticServer } from '../helpers/static-server.ts';
import { waitFor } from '../helpers/wait.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rendererDir = path.join(root, 'out/renderer');
const preloadFile = path.join(root, 'out/preload/control-window.cjs');
const isBuilt =
  existsSync(preloadFile) && existsSync(path.join(rendererDir, 'control-window.html'));
const skip = !isBuilt
  ? 'out/ is not built: run `npm run build` (npm test does it first)'
  : !hasChromium()
    ? 'no Chromium at /usr/bin/chromium (set CHROMIUM)'
    : false;

const apiNames: readonly (keyof LanCamApi)[] = [
  'sendFrame',
  'sendVideoChunk',
  'onKeyframeRequest',
  'reportCameraState',
  'start',
  'stop',
  'getStatus',
  'onStatus',
  'getSettings',
  'updateSettings',
  'regenerateKey',
  'openPreview',
  'openExternal',
  'copyText',
  'listScreenSources',
  'chooseScreenSource',
  'disconnectViewer',
  'disconnectAll',
  'allowAddress',
  'addSource',
  'removeSource',
  'updateSource',
];

/** The page's global, typed for page.evaluate callbacks (the test tsconfig has no renderer globals). */
interface ControlWindow {
  readonly lancam: LanCamApi;
}

/** What the listener test keeps in the page. */
interface Probe {
  counts: [number, number];
  arity: number[];
  stopFirst: (() => void) | null;
}

/** Polls with a generous deadline: the app and Chromium start slowly on a busy 2-core machine. */
const until = <T>(
  what: string,
  probe: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 30_000,
): Promise<T> => waitFor(what, probe, timeoutMs, 100);

/** ffmpeg pulls the stream like any LAN client and hashes each decoded frame: one framemd5 line per frame. */
function decodeFrames(
  url: string,
  frames: number,
): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const ffmpeg = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-i',
        url,
        '-frames:v',
        String(frames),
        '-f',
        'framemd5',
        '-',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    ffmpeg.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    ffmpeg.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => ffmpeg.kill('SIGKILL'), 60_000);
    ffmpeg.on('error', reject);
    ffmpeg.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        lines: stdout.split('\n').filter((line) => line !== '' && !line.startsWith('#')),
        stderr,
      });
    });
  });
}

describe('Electron wiring harness (no Electron runtime needed)', { skip }, () => {
  let main: MainProcess;
  let settings: SettingsStore;
  let broadcast: Broadcast;
  let ipcMain: InProcessIpcMain;
  let registered: RegisteredIpc;
  let logs: string[];
  let renderer: StaticServer;
  let browser: Browser;
  let page: Page;
  let port: number;
  const externalOpened: string[] = [];
  const copied: string[] = [];
  const previews: Page[] = [];
  let maxPushedViewers = 0;
  /** Gives a page the preload and the IPC transport, as Electron does for a window with our preload. */
  let attachBridge: (target: Page) => Promise<void>;

  before(async () => {
    port = await freePort();
    // Stands in for app://bundle: out/renderer over http://127.0.0.1 (a secure context, as app:// is).
    renderer = await startStaticServer(rendererDir, () => undefined);
    browser = await launchChromium({ fakeCamera: true });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });

    // main → renderer pushes, in order, to the one known window (webContents.send in the real app).
    let pushes = Promise.resolve();
    main = await startMainProcess({
      settings: { port },
      trustedOrigin: renderer.origin,
      onStatus: (status) => {
        maxPushedViewers = Math.max(maxPushedViewers, status.viewerCount);
        pushes = pushes
          .then(() => emitToPage(page, Channels.status, status))
          .catch(() => undefined);
      },
      // BrowserWindow substitute: a second page with no preload, at exactly the URL main would load.
      openPreview: async () => {
        const { port: livePort, key } = broadcast.status();
        if (livePort === null) return { ok: false, code: 'not-running', message: 'not live' };
        const preview = await browser.newPage();
        previews.push(preview);
        await preview.goto(localViewerUrl(livePort, key));
        return { ok: true, value: null };
      },
      openExternal: (url) => {
        if (!isSafeExternalUrl(url)) {
          return Promise.resolve({ ok: false, code: 'invalid-url', message: 'refused' });
        }
        externalOpened.push(url);
        return Promise.resolve({ ok: true, value: null });
      },
      copyText: (text) => copied.push(text),
    });
    ({ settings, broadcast, ipcMain, registered, logs } = main);

    const eventFrom = (frame: { url(): string; parentFrame(): unknown }, fromPage: Page) =>
      main.eventFrom(frame.url(), fromPage === page, frame.parentFrame());
    const preloadSource = await readFile(preloadFile, 'utf8');
    attachBridge = async (target) => {
      await target.exposeBinding(bindingNames.send, (source, channel: string, args: unknown[]) => {
        ipcMain.send(eventFrom(source.frame, source.page), channel, ...fromWire(args));
      });
      await target.exposeBinding(bindingNames.invoke, (source, channel: string, args: unknown[]) =>
        ipcMain.invoke(eventFrom(source.frame, source.page), channel, ...fromWire(args)),
      );
      await target.addInitScript(preloadInitScript(preloadSource));
    };
    await attachBridge(page);
    page.on('pageerror', (error) => logs.push(`pageerror: ${error.message}`));
    await page.goto(`${renderer.origin}/control-window.html`);
  });

  after(async () => {
    for (const preview of previews) await preview.close().catch(() => undefined);
    await browser.close();
    await main.close();
    await renderer.close();
  });

  it('the preload exposes exactly the LanCamApi functions as window.lancam', async () => {
    const exposed = await page.evaluate(() => {
      const api = (window as unknown as { lancam?: Record<string, unknown> }).lancam;
      return api ? Object.entries(api).map(([name, value]) => [name, typeof value]) : null;
    });
    assert.ok(exposed, 'window.lancam exists');
    assert.deepEqual(exposed.map(([name]) => name).sort(), [...apiNames].sort());
    assert.ok(exposed.every(([, type]) => type === 'function'));
  });

  it('Start in the page → ffmpeg decodes the stream from the share URL with the key', async (t) => {
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    const live = await until(
      'the broadcast to go live',
      () => broadcast.status().state === 'live' && broadcast.status(),
    );
    assert.equal(live.port, port);
    const shareUrl = await until('a share URL', () => live.urls[0]);
    assert.ok(shareUrl.includes(`key=${settings.get().accessKey}`), shareUrl);
    // The page learns the same through the bridge.
    await until('the page to show Stop', () =>
      page.getByRole('button', { name: 'Stop broadcast' }).isVisible(),
    );

    const streamUrl = new URL('stream.mjpg', shareUrl);
    streamUrl.search = new URL(shareUrl).search;
    const decodeStarted = performance.now();
    const decoded = await decodeFrames(streamUrl.href, 30);
    const decodeMs = performance.now() - decodeStarted;
    assert.equal(decoded.code, 0, decoded.stderr);
    t.diagnostic(`ffmpeg decoded ${decoded.lines.length} frames in ${Math.round(decodeMs)} ms`);
    // The viewer count reached the page through status pushes, so it left its 1 fps idle mode: 30 frames
    // at idle would take 30 s (the bound is loose on purpose; the bench measures rates).
    assert.ok(maxPushedViewers >= 1, 'a status push carried the viewer');
    assert.ok(decodeMs < 25_000, `decoding took ${Math.round(decodeMs)} ms`);
    assert.ok(decoded.lines.length >= 30, `${decoded.lines.length} frames decoded`);
    const distinct = new Set(decoded.lines.map((line) => line.split(',').at(-1)));
    assert.ok(
      distinct.size > 1,
      'the frames change: they come from the camera, not one repeated picture',
    );

    // For a person to look at: the control window, live, driven only through the bridge.
    await page.screenshot({ path: path.join(root, 'test-results/electron-harness-live.png') });
    const status = broadcast.status();
    assert.ok(status.frameBytes > 0);
    assert.equal(status.rejectedFrames, 0, 'every frame the renderer sent passed validation');
    assert.ok((ipcMain.calls.get(Channels.frame) ?? 0) >= 30);
  });

  it('a malformed frame sent through the bridge is rejected and counted', async () => {
    const before = await page.evaluate(() =>
      (window as unknown as ControlWindow).lancam.getStatus(),
    );
    await page.evaluate(() => {
      (window as unknown as ControlWindow).lancam.sendFrame(
        new Uint8Array([1, 2, 3, 4]).buffer,
        { captureTimeMs: Date.now(), width: 2, height: 2 },
        1,
      );
    });
    const after = await until('the reject to be counted', async () => {
      const status = await page.evaluate(() =>
        (window as unknown as ControlWindow).lancam.getStatus(),
      );
      return status.rejectedFrames > before.rejectedFrames && status;
    });
    assert.equal(after.rejectedFrames, before.rejectedFrames + 1);
    // The gate passes any bytes; the server's publish() refuses what is not a JPEG, and main shows its count.
    assert.deepEqual(after.rejectedByReason, { ...before.rejectedByReason, 'not-jpeg': 1 });
    assert.ok(logs.some((line) => line.includes('frame rejected: not-jpeg')));
    assert.equal(broadcast.status().state, 'live', 'nothing crashed');
  });

  it('a video chunk without a keyframe before it is refused by main and counted', async () => {
    const before = await page.evaluate(() =>
      (window as unknown as ControlWindow).lancam.getStatus(),
    );
    await page.evaluate(() => {
      // An Annex B non-IDR slice: main's gate wants a keyframe first.
      (window as unknown as ControlWindow).lancam.sendVideoChunk(
        new Uint8Array([0, 0, 0, 1, 0x41, 0x9a, 0, 0]).buffer,
        { isKey: false, timestampUs: 1_000_000, durationUs: 33_333 },
      );
    });
    const after = await until('the reject to be counted', async () => {
      const status = await page.evaluate(() =>
        (window as unknown as ControlWindow).lancam.getStatus(),
      );
      return status.rejectedFrames > before.rejectedFrames && status;
    });
    assert.equal(after.rejectedByReason['video-no-keyframe-yet'], 1);
  });

  it('status listeners receive the status only (no event) and stop after unsubscribing', async () => {
    // No function literals stored in variables inside evaluate(): the test loader would wrap them in a
    // helper (__name) that the page does not have.
    await page.evaluate(() => {
      const api = (window as unknown as ControlWindow).lancam;
      const probe: Probe = { counts: [0, 0], arity: [], stopFirst: null };
      probe.stopFirst = api.onStatus((...args: unknown[]) => {
        probe.counts[0]++;
        probe.arity.push(args.length);
      });
      api.onStatus(() => {
        probe.counts[1]++;
      });
      Reflect.set(window, '__probe', probe);
    });
    const read = (): Promise<Probe> => page.evaluate(() => Reflect.get(window, '__probe') as Probe);
    await until('a status push', async () => (await read()).counts[0] > 0);
    const atStop = await page.evaluate(() => {
      const probe = Reflect.get(window, '__probe') as Probe;
      probe.stopFirst?.();
      return probe.counts[0];
    });
    const baseline = (await read()).counts[1];
    // The server reports once a second while live: two more pushes reach the other listener only.
    await until('two more pushes', async () => (await read()).counts[1] >= baseline + 2, 15_000);
    const probe = await read();
    assert.equal(probe.counts[0], atStop, 'the unsubscribed listener heard nothing more');
    assert.ok(
      probe.arity.every((n) => n === 1),
      `listener arities ${probe.arity.join(',')}`,
    );
  });

  it('another window with the same bridge is refused: no data, frames counted as untrusted', async () => {
    const intruder = await browser.newPage();
    try {
      await attachBridge(intruder);
      // Same origin, top frame: only the window check can refuse it.
      await intruder.goto(`${renderer.origin}/not-the-control-window.html`);
      const answer = await intruder.evaluate(() =>
        (window as unknown as ControlWindow).lancam.getSettings().then(
          () => 'answered',
          (error: unknown) => String(error),
        ),
      );
      assert.match(answer, /untrusted sender/);
      await intruder.evaluate(() => {
        const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]);
        (window as unknown as ControlWindow).lancam.sendFrame(
          jpeg.buffer,
          { captureTimeMs: Date.now(), width: 1, height: 1 },
          1,
        );
      });
      await until('the refused frame to be counted', () =>
        registered.frameGate.rejectedByReason['untrusted-sender'] === 1 ? true : false,
      );
      assert.ok(logs.some((line) => line.includes('refused sender (not the control window)')));
    } finally {
      await intruder.close();
    }
  });

  it('the remaining calls reach main with typed results; the preview window has no bridge', async () => {
    const results = await page.evaluate(async () => {
      const api = (window as unknown as ControlWindow).lancam;
      return {
        copy: await api.copyText('ffplay "http://example/stream.mjpg"'),
        open: await api.openExternal('https://example.com/help'),
        refused: await api.openExternal('file:///etc/passwd'),
        settings: await api.updateSettings({ overlayText: 'Harness' }),
        invalid: await api.updateSettings({ fps: 1000 }),
        preview: await api.openPreview(),
        // No viewer 1 exists here: a typed refusal; a bad id is refused before the broadcast sees it.
        disconnect: await api.disconnectViewer(1),
        disconnectBad: await api.disconnectViewer(-1),
        disconnectAll: await api.disconnectAll(),
        allow: await api.allowAddress('192.168.1.20'),
      };
    });
    assert.deepEqual(results.copy, { ok: true, value: null });
    assert.equal(results.disconnect.ok, false);
    assert.equal(!results.disconnectBad.ok && results.disconnectBad.message, 'not a viewer id');
    assert.equal(results.disconnectAll.ok === broadcast.isLive, true);
    assert.equal(results.allow.ok === broadcast.isLive, true);
    assert.deepEqual(results.open, { ok: true, value: null });
    assert.equal(results.refused.ok, false);
    assert.equal(results.settings.ok && results.settings.value.overlayText, 'Harness');
    assert.equal(settings.get().overlayText, 'Harness');
    assert.equal(!results.invalid.ok && results.invalid.code, 'invalid-argument');
    assert.deepEqual(results.preview, { ok: true, value: null });
    assert.deepEqual(copied, ['ffplay "http://example/stream.mjpg"']);
    assert.deepEqual(externalOpened, ['https://example.com/help']);

    const preview = previews[0];
    assert.ok(preview);
    assert.equal(preview.url(), localViewerUrl(port, settings.get().accessKey));
    assert.equal(
      await preview.evaluate(() => 'lancam' in window),
      false,
      'no preload in the preview window',
    );
    await preview.close();
  });

  it('Stop in the page frees the port; a new key can be made while off', async () => {
    await page.getByRole('button', { name: 'Stop broadcast' }).click();
    await until('the broadcast to stop', () => broadcast.status().state === 'off');
    await until('the port to be free', () => canListen(port, '127.0.0.1'), 10_000);
    const keyBefore = settings.get().accessKey;
    const result: Result<unknown> = await page.evaluate(() =>
      (window as unknown as ControlWindow).lancam.regenerateKey(),
    );
    assert.equal(result.ok, true);
    assert.notEqual(settings.get().accessKey, keyBefore);
  });

  it('every channel of ipc.ts is handled by main and used by the preload', async () => {
    // No screen is picked in this run (listing happens at start-up); one call proves the channel is wired.
    const chosen = await page.evaluate(() =>
      (window as unknown as { lancam: LanCamApi }).lancam.chooseScreenSource('screen:0:0'),
    );
    assert.equal(chosen.ok, false, 'this harness has no desktopCapturer');
    // The sources calls, through the bridge: add, change, remove answer with main's settings.
    const sources = await page.evaluate(async () => {
      const { lancam } = window as unknown as { lancam: LanCamApi };
      const added = await lancam.addSource({ name: 'Desk' });
      const changed = await lancam.updateSource(2, { mirror: true });
      const removed = await lancam.removeSource(2);
      const refused = await lancam.removeSource(1);
      return [added, changed, removed, refused].map((result) =>
        result.ok ? JSON.stringify(result.value.extraSources) : result.code,
      );
    });
    assert.equal(sources.length, 4);
    assert.match(sources[0] ?? '', /"id":2,"name":"Desk"/);
    assert.match(sources[1] ?? '', /"mirror":true/);
    assert.deepEqual(sources.slice(2), ['[]', 'invalid-argument']);
    const all = Object.values(Channels).sort();
    const usedByPreload = (
      await page.evaluate(
        () => (window as unknown as { __lancamHarnessChannels: string[] }).__lancamHarnessChannels,
      )
    ).sort();
    assert.deepEqual(usedByPreload, all, 'preload touched every channel (status via on)');
    const handledByMain = [...ipcMain.handlers.keys(), ...ipcMain.listeners.keys()].sort();
    assert.deepEqual(
      handledByMain,
      all.filter((channel) => channel !== Channels.status && channel !== Channels.keyframeRequest),
    );
    for (const channel of handledByMain) {
      assert.ok(
        (ipcMain.calls.get(channel) ?? 0) > 0,
        `${channel} carried at least one real message`,
      );
    }
    assert.deepEqual(
      logs.filter((line) => line.startsWith('pageerror')),
      [],
    );
  });
});
