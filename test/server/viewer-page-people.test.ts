// The viewer page as people meet it, in Chromium on a 1280×720 desktop and a 390×844 touch phone: a key card
// with inline errors and a clear lockout, 44 px touch targets, controls that hide over the picture and come back on
// a tap, a dimmed last picture while offline with Save snapshot off, and no serious or critical axe finding.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import type { BroadcastServer } from '../../server/types.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { eventually, makeFrames, startPublisher, startTestServer, withKey } from './harness.ts';

const frames = makeFrames(10);
const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 720 }, bypassCSP: true };
const phone: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 3,
  bypassCSP: true,
};

describe('viewer page for people', { skip: !hasChromium() && 'no Chromium' }, () => {
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

  test('desktop: a heading and landmarks, no serious or critical axe finding while live', async () => {
    const context = await browser.newContext(desktop);
    try {
      const page = await context.newPage();
      await page.goto(withKey(server, '/'));
      await page.waitForFunction(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0);
      assert.equal(await page.locator('h1').count(), 1);
      assert.equal(await page.locator('main').count(), 1);
      assert.deepEqual(await seriousAxeViolations(page), []);
    } finally {
      await context.close();
    }
  });

  test('phone: 44 px controls that hide over the picture and come back on a tap', async () => {
    const context = await browser.newContext(phone);
    try {
      const page = await context.newPage();
      await page.goto(withKey(server, '/'));
      await page.waitForFunction(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0);
      for (const selector of ['#fullscreen', '#save']) {
        const box = await page.locator(selector).boundingBox();
        assert.ok(box && box.height >= 44 && box.width >= 44, `${selector} is a 44 px target`);
      }
      assert.deepEqual(await seriousAxeViolations(page), []);
      const isHidden = (): Promise<boolean> =>
        page.evaluate(() => document.body.classList.contains('controls-hidden'));
      await eventually(isHidden, 8000, 'controls hide by themselves');
      await page.locator('#stage').tap();
      assert.equal(await isHidden(), false, 'a tap brings them back');
      await eventually(isHidden, 8000, 'and they hide again');
    } finally {
      await context.close();
    }
  });

  test('offline: the last picture stays dimmed, "Reconnecting…", Save snapshot is off', async () => {
    const doomed = await startTestServer();
    const stopDoomed = startPublisher(doomed, frames, 15);
    const context = await browser.newContext(phone);
    try {
      const page = await context.newPage();
      await page.goto(withKey(doomed, '/'));
      await page.waitForFunction(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0);
      stopDoomed();
      await doomed.close();
      await page.waitForSelector('#offline:not([hidden])', { timeout: 15_000 });
      assert.match((await page.textContent('#offline')) ?? '', /Reconnecting…/);
      const lastFrame = await page.evaluate(() => {
        const canvas = document.querySelector('canvas');
        if (!canvas || canvas.hidden) return null;
        const pixels = canvas
          .getContext('2d')
          ?.getImageData(0, 0, canvas.width, canvas.height).data;
        return {
          width: canvas.width,
          isBlank: !pixels || pixels.every((value, i) => i % 4 === 3 || value === 0),
        };
      });
      assert.deepEqual(lastFrame, { width: 320, isBlank: false });
      assert.equal(await page.getAttribute('#save', 'aria-disabled'), 'true');
      assert.equal(await page.getAttribute('#save', 'href'), null);
      assert.deepEqual(await seriousAxeViolations(page), []);
    } finally {
      stopDoomed();
      await context.close();
      await doomed.close();
    }
  });

  test('the key card: asks, says when a key is wrong, explains a lockout; full width on a phone', async () => {
    const guarded = await startTestServer({ key: 'short-key' });
    const context = await browser.newContext(phone);
    try {
      const page = await context.newPage();
      const base = `http://127.0.0.1:${guarded.port}/`;
      assert.equal((await page.goto(base))?.status(), 401);
      assert.equal(await page.textContent('h1'), 'This camera is private');
      assert.equal(await page.locator('[role=alert]').count(), 0, 'no error before a try');
      const card = await page.locator('main').boundingBox();
      assert.ok(card && card.width >= 390 - 2 * 16 - 1, 'the card spans the phone width');
      assert.deepEqual(await seriousAxeViolations(page), []);

      await page.fill('#key', 'not-it');
      await Promise.all([page.waitForURL(/\?key=not-it/), page.click('button[type=submit]')]);
      assert.match((await page.textContent('[role=alert]')) ?? '', /not right/);
      assert.equal(await page.getAttribute('#key', 'aria-invalid'), 'true');
      assert.deepEqual(await seriousAxeViolations(page), []);

      // The lockout (10 wrong keys a minute for a short key) gets its own message, not a bare 429 text.
      let status = 401;
      for (let i = 0; i < 12 && status !== 429; i++) {
        status = (await page.goto(`${base}?key=wrong-${i}`))?.status() ?? 0;
      }
      assert.equal(status, 429);
      assert.match((await page.textContent('[role=alert]')) ?? '', /Too many wrong keys/);
      assert.deepEqual(await seriousAxeViolations(page), []);
    } finally {
      await context.close();
      await guarded.close();
    }
  });
});
