// README pictures: the control window live with a viewer (light and dark, and with a second source) and the
// viewer page (desktop and phone), from real Chromium, the real renderer bundle and the real server. Every run saves them under
// test-results/ and checks they are real pictures; LANCAM_UPDATE_SCREENSHOTS=1 also copies them to docs/.
import assert from 'node:assert/strict';
import { copyFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { TestBridge } from './support/test-bridge.ts';

const root = path.resolve(import.meta.dirname, '../..');
const resultsDir = path.join(root, 'test-results');
const isUpdating = process.env.LANCAM_UPDATE_SCREENSHOTS === '1';

const pixel7 =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';

/** Distinct colours in a PNG sampled in the page: a blank or broken picture has a handful. */
async function colourCount(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(
    async (dataUrl) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const canvas = new OffscreenCanvas(img.width, img.height);
      const context = canvas.getContext('2d');
      if (!context) return 0;
      context.drawImage(img, 0, 0);
      const data = context.getImageData(0, 0, img.width, img.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97)
        colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return colours.size;
    },
    `data:image/png;base64,${png.toString('base64')}`,
  );
}

/** `analyser`: a page whose CSP allows data: images (the control window; the viewer page forbids them). */
async function save(page: Page, analyser: Page, name: string, fullPage: boolean): Promise<void> {
  const file = path.join(resultsDir, name);
  const png = await page.screenshot({ path: file, fullPage });
  assert.ok(png.length > 20_000, `${name}: only ${png.length} bytes`);
  const colours = await colourCount(analyser, png);
  assert.ok(colours > 100, `${name}: only ${colours} distinct colours`);
  if (isUpdating) await copyFile(file, path.join(root, 'docs', name));
}

describe('README screenshots', { skip: !hasChromium() && 'no Chromium', timeout: 180_000 }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let bridge: TestBridge;
  let page: Page;
  let watcher: http.ClientRequest | null = null;

  before(async () => {
    await mkdir(resultsDir, { recursive: true });
    const clip = await fakeCameraFile({ width: 1280, height: 720 });
    browser = await launchChromium({ fakeCamera: clip });
    context = await browser.newContext();
    bridge = new TestBridge({
      settings: { resolution: '720p', fps: 15, port: null, overlay: true, overlayText: 'Workshop' },
    });
    page = await bridge.open(browser, context);
  });

  after(async () => {
    watcher?.destroy();
    await bridge.close();
    await context.close();
    await browser.close();
  });

  it('control window, live with one viewer, light and dark', async () => {
    await page.setViewportSize({ width: 1040, height: 760 });
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await waitFor('live', () => bridge.isLive);
    // One viewer from a phone, so the list shows a device in words.
    watcher = http.get(bridge.url('/stream.mjpg'), {
      headers: { 'User-Agent': pixel7 },
      localAddress: '127.0.0.42',
      agent: false,
    });
    watcher.on('response', (response) => response.resume());
    watcher.on('error', () => undefined);
    await waitFor('viewer listed', async () =>
      ((await page.locator('#viewer-list').textContent()) ?? '').includes('Android phone'),
    );
    await waitFor('QR drawn', () =>
      page
        .locator('#qr')
        .evaluate((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0),
    );
    await sleep(2200); // the badge and clock need a couple of stats ticks
    await page.mouse.move(0, 0);
    await save(page, page, 'screenshot-control.png', true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await sleep(300);
    await save(page, page, 'screenshot-control-dark.png', true);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('control window with a second source (the screen next to the camera)', async () => {
    await page.getByRole('button', { name: 'Add source' }).click();
    const card = page.locator('[data-source-id="2"]');
    await card.waitFor();
    // The one fake camera is source 1's, so the new source takes the screen.
    await waitFor(
      'screen chosen',
      () => bridge.settings.extraSources?.[0]?.cameraId === 'screen:1:0',
    );
    await card.locator('summary', { hasText: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Name (source 2)' }).fill('Screen');
    await page.getByRole('textbox', { name: 'Name (source 2)' }).press('Enter');
    await card.getByRole('heading', { name: 'Screen' }).waitFor();
    await waitFor(
      'source 2 live',
      async () => (await card.locator('.source-state').getAttribute('data-state')) === 'live',
      20_000,
    );
    await sleep(2200);
    await card.locator('.source-settings').evaluate((details) => {
      (details as HTMLDetailsElement).open = false;
    });
    await page.mouse.move(0, 0);
    await save(page, page, 'screenshot-control-sources.png', true);
    await card.getByRole('button', { name: 'Remove source 2' }).click();
    await card.waitFor({ state: 'detached' });
  });

  it('viewer page on a desktop and on a phone', async () => {
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await desktop.goto(bridge.url('/'));
    await desktop.waitForFunction(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0);
    await sleep(1500);
    await save(desktop, page, 'screenshot-viewer-desktop.png', false);
    await desktop.close();
    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      userAgent: pixel7,
    });
    const phone = await phoneContext.newPage();
    await phone.goto(bridge.url('/'));
    await phone.waitForFunction(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0);
    await sleep(1500);
    await save(phone, page, 'screenshot-viewer-phone.png', false);
    await phoneContext.close();
  });
});
