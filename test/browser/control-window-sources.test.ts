// Several sources in the control window (issue 9 §4): real Chromium with two fake cameras, the real renderer
// bundle and preload, the real main process and server. Add a second source, both stream at their own size on
// /cam/1/ and /cam/2/, "in use by source N" in the pickers, one camera lost leaves the other live, Remove asks
// when someone watches and its path 404s, Add source stops at 4 with the reason, and axe-core stays clean.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { get } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { waitFor } from '../helpers/wait.ts';
import { MjpegViewer } from './support/mjpeg-viewer.ts';
import { TestBridge } from './support/test-bridge.ts';

const root = path.resolve(import.meta.dirname, '../..');

function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe(
  'control window with several sources (Chromium + two fake cameras + real main)',
  { skip: !hasChromium() && 'no Chromium', timeout: 240_000 },
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let bridge: TestBridge;
    let page: Page;
    const pageErrors: Error[] = [];
    const viewers: MjpegViewer[] = [];
    const card = (id: number): Locator => page.locator(`[data-source-id="${String(id)}"]`);
    const serverSources = () => bridge.main.broadcast.status().sources;

    async function watch(pathname: string): Promise<MjpegViewer> {
      const viewer = new MjpegViewer(bridge.url(pathname));
      viewers.push(viewer);
      await viewer.connect();
      return viewer;
    }

    before(async () => {
      // Chromium's own fake cameras (not a clip): two devices, each at the size asked for.
      browser = await launchChromium({
        extraArgs: [
          '--use-fake-device-for-media-stream=device-count=2',
          '--use-fake-ui-for-media-stream',
        ],
      });
      // bypassCSP lets axe be evaluated in the page; the page's own CSP is tested elsewhere.
      context = await browser.newContext({ bypassCSP: true });
      bridge = new TestBridge({ settings: { resolution: '720p', fps: 15 } });
      page = await bridge.open(browser, context);
      page.on('pageerror', (error) => pageErrors.push(error));
    });

    after(async () => {
      for (const viewer of viewers) viewer.close();
      await bridge.close();
      await context.close();
      await browser.close();
    });

    it('with one source the window is as before, with Add source next to the main camera', async () => {
      await page.getByRole('button', { name: 'Start broadcast' }).waitFor();
      assert.equal(await page.locator('#source-cards > *').count(), 0);
      const add = page.getByRole('button', { name: 'Add source' });
      assert.equal(await add.isEnabled(), true);
      assert.match(
        (await page.locator('#add-source-hint').textContent()) ?? '',
        /another camera or your screen/,
      );
    });

    it('a second source gets a free camera, its own settings and its own stream at its own size', async () => {
      await page.getByRole('button', { name: 'Start broadcast' }).click();
      await waitFor('live', () => bridge.isLive, 15_000);
      // Device labels are readable once the first camera opened.
      await waitFor(
        'camera labels',
        async () =>
          (await page.locator('#camera option', { hasText: 'fake_device_1' }).count()) === 1,
        15_000,
      );
      await page.getByRole('button', { name: 'Add source' }).click();
      await card(2).waitFor();
      const saved = await waitFor('source 2 saved', () => bridge.settings.extraSources?.[0]);
      assert.equal(saved.id, 2);
      const secondCamera = await page
        .locator('#camera option', { hasText: 'fake_device_1' })
        .getAttribute('value');
      assert.equal(saved.cameraId, secondCamera, 'the camera source 1 does not use');
      // Each picker marks the camera the other source has open.
      await waitFor('marked in source 1', async () =>
        ((await page.locator('#camera').textContent()) ?? '').includes(
          'fake_device_1 (in use by source 2)',
        ),
      );
      await card(2).locator('summary', { hasText: 'Settings' }).click();
      const picker = page.getByRole('combobox', { name: 'Camera (source 2)' });
      assert.match((await picker.textContent()) ?? '', /fake_device_0 \(in use by source 1\)/);
      await page.getByRole('combobox', { name: 'Resolution (source 2)' }).selectOption('480p');
      await waitFor('480p saved', () => bridge.settings.extraSources?.[0]?.resolution === '480p');
      await page.getByRole('combobox', { name: 'Rotation (source 2)' }).selectOption('90');
      await waitFor('90° saved', () => bridge.settings.extraSources?.[0]?.rotation === 90);
      await page.getByRole('textbox', { name: 'Name (source 2)' }).fill('Workbench');
      await page.getByRole('textbox', { name: 'Name (source 2)' }).press('Enter');
      await waitFor('name saved', () => bridge.settings.extraSources?.[0]?.name === 'Workbench');
      await card(2).getByRole('heading', { name: 'Workbench' }).waitFor();

      // Connect once each source sends its final size: a size change ends open streams (by design).
      const hasFrame = (sourceId: number, size: string): boolean =>
        bridge.frames.some(
          (f) => f.sourceId === sourceId && `${String(f.width)}x${String(f.height)}` === size,
        );
      await waitFor('source 2 at 480×640', () => hasFrame(2, '480x640'), 30_000);
      await waitFor('source 1 at 1280×720', () => hasFrame(1, '1280x720'), 30_000);
      const one = await watch('/cam/1/stream.mjpg');
      const two = await watch('/cam/2/stream.mjpg');
      await waitFor('both streams', () => one.parts.length >= 5 && two.parts.length >= 5, 30_000);
      const sizeOf = (viewer: MjpegViewer): string => {
        const part = viewer.parts.at(-1);
        return `${String(part?.width)}x${String(part?.height)}`;
      };
      assert.equal(sizeOf(one), '1280x720');
      assert.equal(sizeOf(two), '480x640', '480p turned a quarter');
      await waitFor('card says live with its viewer', async () =>
        ((await card(2).locator('.source-state').textContent()) ?? '').includes(
          'Live · 1 watching',
        ),
      );
      assert.match(
        (await card(2).locator('.source-link code').textContent()) ?? '',
        /\/cam\/2\/\?key=•+/,
        'its own link, key masked',
      );
      await card(2).getByRole('button', { name: 'Copy link' }).click();
      await waitFor('copied', () =>
        bridge.copied.some((text) => text.includes('/cam/2/?key=test-key')),
      );
      // Watching now says which source each viewer watches.
      const rows = (await page.locator('#viewer-list').textContent()) ?? '';
      assert.match(rows, /watches Source 1/);
      assert.match(rows, /watches Workbench/);
    });

    it("source 2's camera lost: only source 2 pauses, source 1 keeps streaming, and it resumes", async () => {
      const one = viewers[0]!;
      assert.ok(
        await page.evaluate(() =>
          (
            window as unknown as { __lancamTest: { endTrackIn: (s: string) => boolean } }
          ).__lancamTest.endTrackIn('[data-source-id="2"] video'),
        ),
      );
      await waitFor('source 2 paused', () => serverSources()[1]?.state === 'paused');
      assert.equal(serverSources()[0]?.state, 'live');
      assert.equal(bridge.main.broadcast.status().state, 'live');
      await card(2).getByText('Paused · camera lost').waitFor();
      const before = one.parts.length;
      await waitFor('source 1 still streams', () => one.parts.length >= before + 5, 15_000);
      assert.equal(await page.locator('#state').getAttribute('data-state'), 'live');
      await page.evaluate(() => {
        (
          window as unknown as { __lancamTest: { fireDeviceChange: () => void } }
        ).__lancamTest.fireDeviceChange();
      });
      await waitFor('source 2 live again', () => serverSources()[1]?.state === 'live', 15_000);
    });

    it('two sources: axe-core finds nothing serious, light and dark', async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        const findings = await seriousAxeViolations(page);
        assert.deepEqual(findings, [], `${colorScheme}: ${JSON.stringify(findings)}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
      await mkdir(path.join(root, 'test-results'), { recursive: true });
      await page.screenshot({
        path: path.join(root, 'test-results/control-window-two-sources.png'),
        fullPage: true,
      });
    });

    it('Remove asks while someone watches; then its stream ends and its paths answer 404', async () => {
      const two = viewers[1]!;
      await card(2).getByRole('button', { name: 'Remove source 2' }).click();
      const dialog = page.getByRole('dialog', { name: 'Remove this source?' });
      await dialog.waitFor();
      assert.match((await dialog.textContent()) ?? '', /1 person is watching Workbench/);
      await dialog.getByRole('button', { name: 'Keep broadcasting it' }).click();
      assert.equal(bridge.settings.extraSources?.length, 1, 'kept');
      await card(2).getByRole('button', { name: 'Remove source 2' }).click();
      await dialog.getByRole('button', { name: 'Remove source' }).click();
      await waitFor('removed', () => bridge.settings.extraSources?.length === 0);
      await card(2).waitFor({ state: 'detached' });
      await two.ended();
      assert.equal(await statusOf(bridge.url('/cam/2/snapshot.jpg')), 404);
      assert.equal(await statusOf(bridge.url('/cam/1/snapshot.jpg')), 200);
      assert.deepEqual(
        serverSources().map((s) => s.id),
        [1],
      );
    });

    it('Add source stops at 4 and says why; saved sources wait while off and start with the broadcast', async () => {
      await page.getByRole('button', { name: 'Stop broadcast' }).click();
      await waitFor('off', () => !bridge.isLive);
      const add = page.getByRole('button', { name: 'Add source' });
      for (const id of [2, 3, 4]) {
        await add.click();
        await card(id).waitFor();
      }
      await waitFor('disabled at 4', async () => !(await add.isEnabled()));
      assert.match(
        (await page.locator('#add-source-hint').textContent()) ?? '',
        /4 sources is the most LanCam broadcasts at once/,
      );
      assert.match(
        (await card(3).locator('.source-state').textContent()) ?? '',
        /Off · starts with the broadcast/,
      );
      for (const id of [4, 3]) {
        await card(id)
          .getByRole('button', { name: `Remove source ${String(id)}` })
          .click();
        await card(id).waitFor({ state: 'detached' });
      }
      await waitFor('two removed', () => bridge.settings.extraSources?.length === 1);
      assert.equal(await add.isEnabled(), true);
      // Start with a saved extra source: main serves it at once, its card opens its camera.
      const framesBefore = bridge.frames.filter((f) => f.sourceId === 2).length;
      await page.getByRole('button', { name: 'Start broadcast' }).click();
      await waitFor('live', () => bridge.isLive, 15_000);
      await waitFor(
        'source 2 streams again',
        () => bridge.frames.filter((f) => f.sourceId === 2).length > framesBefore,
        15_000,
      );
      const viewer = await watch('/cam/2/stream.mjpg');
      await waitFor('frames on /cam/2/', () => viewer.parts.length >= 2, 15_000);
      await page.getByRole('button', { name: 'Stop broadcast' }).click();
      await waitFor('off again', () => !bridge.isLive);
      await card(2).getByRole('button', { name: 'Remove source 2' }).click();
      await card(2).waitFor({ state: 'detached' });
      await waitFor('all removed', () => bridge.settings.extraSources?.length === 0);
      assert.deepEqual(pageErrors.map(String), []);
      const rejects = bridge.main.broadcast.status().rejectedByReason;
      assert.equal(rejects['unknown-source'] ?? 0, 0, 'no frame of a removed source was sent');
    });
  },
);
