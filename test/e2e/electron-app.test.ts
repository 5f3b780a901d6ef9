// Electron end-to-end: launches the real app on out/ (unpackaged) with a fake camera, Start → stream → Stop → quit.
// Runs wherever an Electron binary exists (normal `npm install`, or ELECTRON_OVERRIDE_DIST_PATH); skips otherwise.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { Channels, type BroadcastStatus, type LanCamApi } from '../../electron/ipc.ts';
import {
  defaultSettings,
  saveSettings,
  settingsFileName,
} from '../../electron/main/settings-store.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  boundaryOf,
  isCompleteJpeg,
  MjpegParser,
  type MjpegPart,
} from '../helpers/mjpeg-parser.ts';
import { canListen, freePort } from '../helpers/ports.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** The executable the electron package points at; null when its binary was never downloaded. */
function electronBinary(): string | null {
  try {
    const binary: unknown = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skip =
  binary === null
    ? 'no Electron binary installed (ELECTRON_SKIP_BINARY_DOWNLOAD / no internet); run a normal `npm install` or set ELECTRON_OVERRIDE_DIST_PATH'
    : !existsSync(path.join(root, 'out/main/index.cjs'))
      ? 'out/ is not built: run `npm run build`'
      : false;

/** The control window's global, typed for page.evaluate callbacks (the test tsconfig has no renderer globals). */
interface ControlWindow {
  readonly lancam: LanCamApi;
}

/** Polls with a generous deadline: the app and Chromium start slowly on a busy 2-core machine. */
const until = <T>(
  what: string,
  probe: () => Promise<T | false | null | undefined> | T | false | null | undefined,
  timeoutMs = 30_000,
): Promise<T> => waitFor(what, probe, timeoutMs, 200);

/** Reads `count` complete parts of the stream like any HTTP client on the LAN would. */
function readParts(url: string, count: number): Promise<MjpegPart[]> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
        res.resume();
        return;
      }
      const parser = new MjpegParser(boundaryOf(res.headers['content-type']));
      const parts: MjpegPart[] = [];
      res.on('data', (chunk: Buffer) => {
        try {
          parts.push(...parser.push(chunk));
        } catch (error) {
          req.destroy();
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (parts.length >= count) {
          req.destroy();
          resolve(parts.slice(0, count));
        }
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error('stream timed out')));
    req.on('error', reject);
    req.end();
  });
}

// One top-level test, so a machine without Electron prints exactly one "# SKIP <reason>" line and counts it.
test('LanCam desktop app (Electron e2e)', { skip }, async (t) => {
  const userData = await mkdtemp(path.join(tmpdir(), 'lancam-e2e-'));
  const port = await freePort();
  const output: string[] = [];
  await saveSettings(path.join(userData, settingsFileName), { ...defaultSettings(), port });
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  const app: ElectronApplication = await _electron.launch({
    ...(binary === null ? {} : { executablePath: binary }),
    // Chromium switches on the command line: production code has no test hooks. Root (containers) needs
    // --no-sandbox from Chromium itself; normal users and CI runners keep the sandbox.
    args: [
      root,
      '--use-fake-device-for-media-stream',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
    env: { ...env, LANCAM_USER_DATA_DIR: userData },
    timeout: 60_000,
  });
  app.process().stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  app.process().stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  try {
    const control: Page = await app.firstWindow();
    const status = (): Promise<BroadcastStatus> =>
      control.evaluate(() => (window as unknown as ControlWindow).lancam.getStatus());

    await t.test(
      'loads the control UI from app://bundle/ with the bridge and no Node, and denies window.open',
      async () => {
        await control.waitForLoadState('domcontentloaded');
        assert.equal(control.url(), 'app://bundle/control-window.html');
        const page = await control.evaluate(() => ({
          api: typeof (window as unknown as ControlWindow).lancam.start,
          node: typeof (globalThis as { require?: unknown }).require,
          process: typeof (globalThis as { process?: unknown }).process,
        }));
        assert.deepEqual(page, { api: 'function', node: 'undefined', process: 'undefined' });
        // setWindowOpenHandler denies: no second window appears.
        const opened = await control.evaluate(() => window.open('https://example.com/') === null);
        assert.equal(opened, true);
        assert.equal(app.windows().length, 1);
      },
    );

    await t.test(
      'Start → /stream.mjpg with the key delivers camera JPEGs → Stop frees the port',
      async (st) => {
        // An extra listener records what a frame is once it has crossed contextBridge and IPC (validate.ts
        // accepts an ArrayBuffer or a Uint8Array view; this pins down which one Electron delivers).
        await app.evaluate(({ ipcMain }, channel) => {
          ipcMain.once(channel, (_event, jpeg: unknown) => {
            Reflect.set(globalThis, '__lancamFrameType', Object.prototype.toString.call(jpeg));
          });
        }, Channels.frame);
        await control.getByRole('button', { name: 'Start broadcast' }).click();
        const live = await until('live', async () => {
          const current = await status();
          return current.state === 'live' && current;
        });
        assert.equal(live.port, port);
        assert.ok(live.key);
        const parts = await readParts(`http://127.0.0.1:${port}/stream.mjpg?key=${live.key}`, 10);
        assert.ok(parts.every((part) => isCompleteJpeg(part.body)));
        assert.equal(
          (await status()).rejectedFrames,
          0,
          'every frame from the real bridge passed validation',
        );
        const frameType = await app.evaluate(() =>
          String(Reflect.get(globalThis, '__lancamFrameType')),
        );
        st.diagnostic(`frames arrive in main as ${frameType}`);
        assert.ok(['[object ArrayBuffer]', '[object Uint8Array]'].includes(frameType), frameType);
        const denied = await fetch(`http://127.0.0.1:${port}/stream.mjpg?key=wrong`);
        assert.equal(denied.status, 401);
        await denied.body?.cancel();

        await control.getByRole('button', { name: 'Stop broadcast' }).click();
        await until('off', async () => (await status()).state === 'off');
        assert.equal(await until('the port to be free', () => canListen(port), 10_000), true);
      },
    );

    await t.test('quitting while live closes the server before the process exits', async () => {
      await control.getByRole('button', { name: 'Start broadcast' }).click();
      await until('live', async () => (await status()).state === 'live');
      const exited = new Promise((resolve) => app.process().once('exit', resolve));
      await app.close();
      await exited;
      assert.equal(await canListen(port), true, output.join(''));
    });
  } finally {
    await app.close().catch(() => undefined);
    await rm(userData, { recursive: true, force: true });
  }
});
