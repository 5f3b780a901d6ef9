// The control window in real Chromium with a fake camera, wired to a real broadcast server: frames reach
// viewers (ffmpeg included) at rate and size, idle mode, live resolution change, camera loss, screenshot,
// and the Network & startup card (port, open mode behind a confirmation, refused saves).
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { freePort } from '../helpers/ports.ts';
import { ffmpegDecode } from './support/ffmpeg-probe.ts';
import { MjpegViewer } from './support/mjpeg-viewer.ts';
import { TestBridge } from './support/test-bridge.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

const root = path.resolve(import.meta.dirname, '../..');
const placeholder = await readFile(path.join(root, 'server/assets/placeholder.jpg'));

function framesBetween(bridge: TestBridge, fromMs: number, toMs: number): number {
  return bridge.frames.filter((f) => f.receivedAtMs >= fromMs && f.receivedAtMs < toMs).length;
}

describe(
  'control window capture pipeline (Chromium + fake camera + real server)',
  {
    skip: !hasChromium() && 'no Chromium',
  },
  () => {
    let browser: Browser;
    let bridge: TestBridge;
    let page: Page;
    const pageErrors: Error[] = [];
    const viewers: MjpegViewer[] = [];

    async function viewer(): Promise<MjpegViewer> {
      const v = new MjpegViewer(bridge.url('/stream.mjpg'));
      viewers.push(v);
      await v.connect();
      return v;
    }

    before(async () => {
      const clip = await fakeCameraFile({ width: 1280, height: 720 });
      browser = await launchChromium({ fakeCamera: clip });
      // Automatic port, as a new user has it: main tries 8080 on loopback and takes the next free one.
      bridge = new TestBridge({
        settings: { resolution: '720p', fps: 30, jpegQuality: 0.8, port: null },
      });
      page = await bridge.open(browser);
      page.on('pageerror', (error) => pageErrors.push(error));
    });

    after(async () => {
      for (const v of viewers) v.close();
      await bridge.close();
      await browser.close();
    });

    it('starts from the keyboard with the big button and goes live', async () => {
      // The first Tab stop is the Start button ("Preview as viewer" is disabled while off).
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'toggle');
      await page.keyboard.press('Space');
      await waitFor(
        'live state',
        async () => (await page.locator('#state').getAttribute('data-state')) === 'live',
      );
      await waitFor('first frame', () => bridge.frames.length > 0);
      assert.deepEqual(bridge.cameraStates[0]?.kind, 'running');
      const first = bridge.frames[0];
      assert.equal(`${first?.width}x${first?.height}`, '1280x720');
      await page.getByRole('button', { name: 'Stop broadcast' }).waitFor();
    });

    it('encodes at most one frame a second while nobody watches', async () => {
      await sleep(1500); // let the start-up frame pass
      const from = Date.now();
      await sleep(5000);
      const count = framesBetween(bridge, from, Date.now());
      // ≤ 1/s: 5 s may straddle 6 ticks.
      assert.ok(count <= 6, `${count} frames in 5 s with 0 viewers`);
      assert.ok(count >= 3, `idle mode should still refresh the snapshot (${count} frames in 5 s)`);
    });

    it('returns to full rate within a second of a viewer connecting', async () => {
      const connectedAt = Date.now();
      const v = await viewer();
      await sleep(2500);
      const firstSecond = framesBetween(bridge, connectedAt, connectedAt + 1000);
      const nextSecond = framesBetween(bridge, connectedAt + 1000, connectedAt + 2000);
      // Idle would give 1; full rate is ~30. Generous for a loaded 2-core machine.
      assert.ok(firstSecond >= 10, `only ${firstSecond} frames in the first second after connect`);
      assert.ok(nextSecond >= 15, `only ${nextSecond} frames in the second second`);
      assert.ok(v.parts.length > 0, 'the viewer received frames');
      v.close();
    });

    it('streams 720p30 that ffmpeg decodes, at the camera rate', async (t) => {
      const rateViewer = await viewer();
      // Closed even when an assertion fails, so later tests still see exactly their own viewers.
      t.after(() => {
        rateViewer.close();
      });
      const from = Date.now();
      const decoded = await ffmpegDecode(bridge.url('/stream.mjpg'), 45);
      assert.ok(decoded.frames >= 30, `ffmpeg decoded ${decoded.frames} frames\n${decoded.stderr}`);
      assert.equal(`${decoded.width}x${decoded.height}`, '1280x720');
      const elapsed = Date.now() - from;
      if (elapsed < 10_000) await sleep(10_000 - elapsed);
      const to = Date.now();
      const fps = (framesBetween(bridge, from, to) * 1000) / (to - from);
      const distinct = new Set(
        rateViewer.parts.filter((p) => p.receivedAtMs >= from).map((p) => p.timestampMs),
      ).size;
      const viewerFps = (distinct * 1000) / (to - from);
      t.diagnostic(
        `720p30 over ${to - from} ms: ${fps.toFixed(1)} fps received by the server, ${viewerFps.toFixed(1)} fps at the viewer`,
      );
      // The ≥ 28 fps target is measured by `npm run bench:capture` (30.0 fps at 720p run alone). Here the same
      // machine measured anywhere from 17.7 to 30.0 fps on idle re-runs (shared cores, software rendering), so the
      // test asserts what it can prove without flaking: the stream runs at full rate, far above the 1 fps idle
      // mode, with every frame a distinct capture.
      assert.ok(fps >= 12, `server received ${fps.toFixed(1)} fps`);
      assert.ok(viewerFps >= 10, `viewer got ${viewerFps.toFixed(1)} distinct fps`);
      for (const part of rateViewer.parts.slice(-10))
        assert.equal(`${part.width}x${part.height}`, '1280x720');
    });

    it('shows the URL list and QR code while live (screenshot artifact)', async () => {
      const holdViewer = await viewer();
      await waitFor(
        'share link',
        async () => ((await page.locator('#share-link').textContent()) ?? '') !== '',
      );
      await waitFor('QR code', async () =>
        page
          .locator('#qr')
          .evaluate(
            (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
          ),
      );
      await waitFor(
        'viewer in stats',
        async () => (await page.locator('#stat-viewers').textContent()) === '1',
      );
      await sleep(2200); // let the stats ticks show live numbers (the viewer's fps needs a full second)
      await page.mouse.move(0, 0); // no hover highlight in the picture
      const dir = path.join(root, 'test-results');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, 'control-window.png');
      // Sized to the content so the README picture has no empty band.
      await page.setViewportSize({ width: 1100, height: 600 });
      const png = await page.screenshot({ path: file, fullPage: true });
      // Non-blank: a real screenshot of this UI is far larger than a flat image, and has many distinct colours.
      assert.ok(png.length > 30_000, `screenshot only ${png.length} bytes`);
      const stats = await page.evaluate(
        async (dataUrl) => {
          const img = new Image();
          img.src = dataUrl;
          await img.decode();
          const canvas = new OffscreenCanvas(img.width, img.height);
          const ctx = canvas.getContext('2d');
          if (!ctx) return { colours: 0 };
          ctx.drawImage(img, 0, 0);
          const data = ctx.getImageData(0, 0, img.width, img.height).data;
          const colours = new Set<number>();
          for (let i = 0; i < data.length; i += 4 * 97)
            colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
          return { colours: colours.size };
        },
        `data:image/png;base64,${png.toString('base64')}`,
      );
      assert.ok(stats.colours > 200, `screenshot has only ${stats.colours} distinct colours`);
      // The README pictures come from screenshots.test.ts (light, dark, viewer page); this one is an artifact.
      await page.getByRole('button', { name: 'Copy link' }).click();
      await waitFor('copied URL', () => bridge.copied.length > 0);
      assert.match(bridge.copied[0] ?? '', /key=/);
      // The visible URL is masked; the copied one carries the key.
      assert.doesNotMatch((await page.locator('#share-link').textContent()) ?? '', /test-key/);
      // The ready-made lines are one click away and carry the key too.
      await page.getByText('Use in VLC, ffmpeg').click();
      await page.getByRole('button', { name: 'Copy OpenCV (Python) line' }).click();
      await waitFor('copied OpenCV line', () =>
        bridge.copied.some((t) => t.startsWith('cap = cv2.VideoCapture(')),
      );
      holdViewer.close();
    });

    it('makes viewers reconnect and get the new size when the resolution changes live', async () => {
      const before = await viewer();
      await waitFor('a 720p frame', () => before.parts.some((p) => p.width === 1280));
      const framesBefore = bridge.frames.length;
      await page.locator('#resolution').selectOption('480p');
      // Main sees the new size on the frame itself and ends the open streams before publishing it.
      await waitFor('a 640x480 frame sent', () =>
        bridge.frames.slice(framesBefore).some((f) => f.width === 640 && f.height === 480),
      );
      await waitFor('old stream ended', () => before.isEnded, 5000);
      const afterChange = await viewer();
      await waitFor('a 640x480 frame', () =>
        afterChange.parts.some((p) => p.width === 640 && p.height === 480),
      );
      assert.equal(
        bridge.settings.resolution,
        '480p',
        'the change was persisted through the bridge',
      );
      afterChange.close();
    });

    it('falls back to the nearest mode and says so when the camera cannot do the preset', async () => {
      await page.locator('#resolution').selectOption('1080p');
      // The fake camera plays a 720p clip, so 1080p cannot be met.
      await page.getByText('nearest mode is 1280×720 instead of 1920×1080').waitFor();
      await waitFor('720p frames', () => bridge.frames.at(-1)?.width === 1280);
      assert.equal(await page.locator('#state').getAttribute('data-state'), 'live');
    });

    it('shows the paused state and sends viewers the placeholder when the camera track ends', async () => {
      const v = await viewer();
      await waitFor('live frames', () => v.parts.length > 2);
      const ended = await page.evaluate(() =>
        (window as unknown as { __lancamTest: { endTrack(): boolean } }).__lancamTest.endTrack(),
      );
      assert.ok(ended);
      await waitFor(
        'paused state',
        async () => (await page.locator('#state').getAttribute('data-state')) === 'paused',
      );
      await page.getByText('The camera stopped').waitFor();
      assert.equal(bridge.cameraStates.at(-1)?.kind, 'ended');
      // It resumes by itself: no "Try again" beside it (issue 8, point 6).
      assert.equal(await page.locator('#message-action').isVisible(), false);
      await waitFor(
        'placeholder frame',
        () => v.parts.some((p) => p.body.equals(placeholder)),
        5000,
      );

      // Plugging a camera back in (devicechange) resumes without a click.
      await page.evaluate(() => {
        (
          window as unknown as { __lancamTest: { fireDeviceChange(): void } }
        ).__lancamTest.fireDeviceChange();
      });
      await waitFor(
        'live again',
        async () => (await page.locator('#state').getAttribute('data-state')) === 'live',
      );
      assert.equal(bridge.cameraStates.at(-1)?.kind, 'running');
      v.close();
    });

    it('saves a fixed port as a number and refuses one out of range', async () => {
      // Network & startup is folded until the user opens it.
      await page.locator('#network-card > summary').click();
      await page.getByRole('checkbox', { name: /Automatic/ }).uncheck();
      // Unticking pins the port in use, so the live broadcast stays where viewers found it.
      await waitFor('pinned port', () => typeof bridge.settings.port === 'number');
      const port = page.getByRole('spinbutton', { name: 'Port number' });
      assert.equal(await port.evaluate((input) => input === document.activeElement), true);
      await port.fill('80');
      await port.press('Enter');
      await page.getByText('Enter a whole number from 1024 to 65535.').waitFor();
      assert.equal(await port.getAttribute('aria-invalid'), 'true');
      const patchesBefore = bridge.settingsPatches.length;
      // Main really moves the live server there, so a port nothing else holds.
      const freshPort = await freePort();
      await port.fill(String(freshPort));
      await port.press('Enter');
      await waitFor('port saved', () => bridge.settings.port === freshPort);
      assert.deepEqual(bridge.settingsPatches.slice(patchesBefore), [{ port: freshPort }]);
      assert.equal(await page.locator('#port-error').isHidden(), true);
      // A save main refuses is shown next to the control, and the control goes back.
      bridge.refuseNextUpdate = 'the settings file is read-only';
      // click(), not check(): the refusal unticks it again before check() could verify the tick.
      await page.getByRole('checkbox', { name: /Start broadcasting when LanCam opens/ }).click();
      // Main's own wording for a save that failed on disk.
      await page
        .getByText('Not saved: Could not save the settings: Error: the settings file is read-only')
        .waitFor();
      assert.equal(
        await page.getByRole('checkbox', { name: /Start broadcasting/ }).isChecked(),
        false,
      );
      assert.equal(bridge.settings.startOnLaunch, false);
      await page.getByRole('checkbox', { name: /Automatic/ }).check();
      await waitFor('automatic port', () => bridge.settings.port === null);
      await waitFor(
        'live after restarts',
        async () => (await page.locator('#state').getAttribute('data-state')) === 'live',
      );
    });

    it('turns on open mode only after a confirmation, then warns instead of showing the key', async () => {
      const openMode = page.getByRole('checkbox', { name: /Open mode/ });
      const dialog = page.getByRole('dialog', { name: 'Turn on open mode?' });
      await page.locator('#key-details > summary').click();
      await page.locator('#key-row').waitFor();
      // Keyboard only: Space opens the question, focus lands on the safe answer, Escape dismisses it.
      await openMode.focus();
      await page.keyboard.press('Space');
      await dialog.waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'open-mode-cancel');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await openMode.isChecked(), false);
      assert.equal(bridge.settings.openMode, false);
      assert.ok(!bridge.settingsPatches.some((patch) => 'openMode' in patch));
      assert.equal(await page.locator('#key-row').isVisible(), true);

      await page.keyboard.press('Space');
      await dialog.getByRole('button', { name: 'Turn on open mode' }).click();
      await waitFor('open mode saved', () => bridge.settings.openMode);
      await page.locator('#open-warning').getByText('Open: no key.').waitFor();
      await page.locator('#key-row').waitFor({ state: 'hidden' });
      assert.equal(await openMode.isChecked(), true);
      // The restarted server really serves without a key (503 only until its first frame arrives).
      assert.doesNotMatch(bridge.url('/snapshot.jpg'), /key=/);
      await waitFor('keyless snapshot', async () => {
        const snapshot = await fetch(bridge.url('/snapshot.jpg'));
        await snapshot.arrayBuffer();
        assert.notEqual(snapshot.status, 401);
        return snapshot.status === 200;
      });

      // Turning it off needs no question, and the key row comes back.
      await openMode.uncheck();
      await waitFor('open mode off', () => !bridge.settings.openMode);
      await page.locator('#key-row').waitFor();
      assert.equal(await page.locator('#open-warning').isHidden(), true);
    });

    it('stops cleanly and raised no page errors', async () => {
      await page.getByRole('button', { name: 'Stop broadcast' }).click();
      await waitFor(
        'off state',
        async () => (await page.locator('#state').getAttribute('data-state')) === 'off',
      );
      assert.equal(bridge.isLive, false);
      assert.deepEqual(pageErrors.map(String), []);
    });
  },
);
