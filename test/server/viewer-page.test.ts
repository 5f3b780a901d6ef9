// The viewer page in headless Chromium: the image appears and changes, the key form leads to it, no ghost
// streams after leaving, snapshot polling when the stream is refused, a clear offline state.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { BroadcastServer } from '../../server/types.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { isCompleteJpeg } from '../helpers/mjpeg-parser.ts';
import {
  eventually,
  makeFrames,
  openStream,
  startPublisher,
  startTestServer,
  withKey,
} from './harness.ts';

const frames = makeFrames(10);

/** A coarse fingerprint of what the <img> shows right now. */
function imageSignature(page: Page): Promise<string> {
  return page.evaluate(() => {
    const img = document.querySelector('img');
    if (!img || img.naturalWidth === 0) return '';
    const canvas = document.createElement('canvas');
    canvas.width = 16;
    canvas.height = 16;
    const context = canvas.getContext('2d');
    if (!context) return '';
    context.drawImage(img, 0, 0, 16, 16);
    return context.getImageData(0, 0, 16, 16).data.join(',');
  });
}

const naturalWidth = (page: Page): Promise<number> =>
  page.evaluate(() => document.querySelector('img')?.naturalWidth ?? 0);

describe('viewer page in Chromium', { skip: !hasChromium() && 'no Chromium' }, () => {
  let browser: Browser;
  let server: BroadcastServer;
  let stop: () => void;
  before(async () => {
    browser = await launchChromium();
    server = await startTestServer();
    stop = startPublisher(server, frames, 15);
  });
  after(async () => {
    stop();
    await browser.close();
    await server.close();
  });

  test('the image appears, changes over time, uses one stream, and no CSP violation occurs', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const response = await page.goto(withKey(server, '/'));
    assert.equal(response?.status(), 200);
    assert.match(
      (await response.headerValue('content-security-policy')) ?? '',
      /script-src 'self'/,
    );

    await eventually(async () => (await naturalWidth(page)) > 0, 10_000, 'image shown');
    assert.equal(await naturalWidth(page), 320);
    const first = await imageSignature(page);
    await eventually(async () => (await imageSignature(page)) !== first, 5000, 'image changes');
    await eventually(
      async () => ((await page.textContent('#state')) ?? '').startsWith('Live'),
      5000,
      'live state',
    );
    assert.equal(
      server.status().viewerCount,
      1,
      'one stream per page; status polls are not streams',
    );
    assert.match(server.status().viewers[0]?.clientId ?? '', /^[0-9a-f]{16}$/);
    // The acknowledged channel, not the multipart <img>, and the page says how far behind live it is.
    assert.equal(server.status().viewers[0]?.protocol, 'websocket');
    assert.equal(await page.evaluate(() => document.body.dataset.mode), 'channel');
    await eventually(
      async () => /^\d+(\.\d)? s behind$/.test((await page.textContent('#behind')) ?? ''),
      5000,
      'behind-live readout',
    );

    // After a size change the app ends every stream; the page must come back by itself, promptly.
    const before = server.status().viewers[0]?.id;
    server.reconnectViewers();
    await eventually(
      () => server.status().viewers.some((viewer) => viewer.id !== before),
      6000,
      'page reconnected',
    );
    const second = await imageSignature(page);
    await eventually(
      async () => (await imageSignature(page)) !== second,
      5000,
      'image changes again',
    );
    assert.equal(server.status().viewerCount, 1);
    assert.deepEqual(problems, []);

    // Headless Chromium never hides a page, so hiding is simulated the way the browser reports it.
    const setVisibility = (state: 'hidden' | 'visible'): Promise<void> =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', { value, configurable: true });
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
    await setVisibility('hidden');
    await eventually(() => server.status().viewerCount === 0, 5000, 'no stream while hidden');
    assert.equal(await page.getAttribute('#stream', 'src'), '');
    await setVisibility('visible');
    await eventually(() => server.status().viewerCount === 1, 5000, 'stream again when visible');

    // Leaving the page must close the stream (crbug 73395: Chromium keeps <img> streams open otherwise).
    await page.goto('about:blank');
    await eventually(() => server.status().viewerCount === 0, 5000, 'stream closed after leaving');
    await page.close();
  });

  test('without WebSocket the page falls back to the multipart stream by itself', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Reflect.deleteProperty(window, 'WebSocket');
    });
    const page = await context.newPage();
    try {
      await page.goto(withKey(server, '/'));
      await eventually(async () => (await naturalWidth(page)) > 0, 10_000, 'image shown');
      assert.equal(await page.evaluate(() => document.body.dataset.mode), 'stream');
      assert.equal(await page.textContent('#behind'), 'Compatibility mode');
      assert.equal(server.status().viewers[0]?.protocol, 'mjpeg');
      const first = await imageSignature(page);
      await eventually(async () => (await imageSignature(page)) !== first, 5000, 'image changes');
    } finally {
      await context.close();
    }
    await eventually(() => server.status().viewerCount === 0, 5000, 'stream closed');
  });

  test('the buttons: save snapshot downloads a JPEG, fullscreen fills the screen', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    try {
      await page.goto(withKey(server, '/'));
      await eventually(async () => (await naturalWidth(page)) > 0, 10_000, 'image shown');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
      assert.match(download.suggestedFilename(), /^lancam-\d{4}-\d\d-\d\dT[\d-]+\.jpg$/);
      const file = await download.path();
      assert.ok(isCompleteJpeg(readFileSync(file)));
      await page.click('#fullscreen');
      await eventually(
        () => page.evaluate(() => document.fullscreenElement?.id === 'stage'),
        5000,
        'fullscreen',
      );
    } finally {
      await context.close();
    }
  });

  test('without a key the form asks for it, and submitting it opens the viewer', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`http://127.0.0.1:${server.port}/`);
    assert.equal(response?.status(), 401);
    assert.equal(await page.locator('img').count(), 0);
    await page.fill('#key', server.key ?? '');
    await Promise.all([page.waitForURL(/\?key=/), page.click('button[type=submit]')]);
    await eventually(async () => (await naturalWidth(page)) > 0, 10_000, 'image after the form');
    await page.close();
    await eventually(() => server.status().viewerCount === 0, 5000, 'stream closed');
  });

  test('a refused stream falls back to snapshot polling', async () => {
    const single = await startTestServer({ maxViewers: 1 });
    const stopSingle = startPublisher(single, frames, 15);
    // Someone else holds the only stream slot, so the page's stream attempts get 503.
    const holder = await openStream(withKey(single, '/stream.mjpg'));
    const page = await browser.newPage();
    try {
      await page.goto(withKey(single, '/'));
      await eventually(
        async () => ((await page.textContent('#state')) ?? '').includes('snapshots'),
        15_000,
        'polling state',
      );
      await eventually(async () => (await naturalWidth(page)) > 0, 5000, 'snapshot shown');
      assert.match((await page.getAttribute('#stream', 'src')) ?? '', /^blob:/);
      const first = await imageSignature(page);
      await eventually(
        async () => (await imageSignature(page)) !== first,
        5000,
        'snapshots change',
      );
    } finally {
      await page.close();
      holder.close();
      stopSingle();
      await single.close();
    }
  });

  test('when the server goes away the page says so', async () => {
    const doomed = await startTestServer();
    const stopDoomed = startPublisher(doomed, frames, 15);
    const page = await browser.newPage();
    try {
      await page.goto(withKey(doomed, '/'));
      await eventually(async () => (await naturalWidth(page)) > 0, 10_000, 'image shown');
      stopDoomed();
      await doomed.close();
      await page.waitForSelector('#offline:not([hidden])', { timeout: 10_000 });
      assert.match((await page.textContent('#offline')) ?? '', /Camera offline/);
      assert.equal(await page.textContent('#state'), 'Offline');
    } finally {
      stopDoomed();
      await page.close();
      await doomed.close();
    }
  });
});
