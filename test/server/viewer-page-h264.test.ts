// The viewer page plays H.264 in Chromium: WebCodecs VideoDecoder over the acknowledged channel into a canvas,
// and the plain MJPEG stream when the viewer chooses Compatibility mode. The page says which mode it is in. (No
// VideoDecoder: MSE or JPEG, viewer-page-mse.test.ts.)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { BroadcastServer } from '../../server/types.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { eventually, withKey } from './harness.ts';
import {
  pictureSignature,
  startH264PageFixture,
  type H264PageFixture,
} from './h264-page-fixture.ts';

describe('viewer page with H.264', { skip: !hasChromium() && 'no Chromium' }, () => {
  let fixture: H264PageFixture;
  let browser: Browser;
  let server: BroadcastServer;
  before(async () => {
    fixture = await startH264PageFixture();
    ({ browser, server } = fixture);
  });
  after(() => fixture.close());

  test('plays H.264 into a canvas, frames advance, the page says H.264', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(withKey(server, '/'));
      await eventually(
        async () => (await pictureSignature(page, '#video')) !== '',
        15_000,
        'H.264 drawn',
      );
      const first = await pictureSignature(page, '#video');
      await eventually(
        async () => (await pictureSignature(page, '#video')) !== first,
        5000,
        'frames advance',
      );
      assert.equal(await page.evaluate(() => document.body.dataset.codec), 'h264');
      assert.equal(await page.evaluate(() => document.body.dataset.player), 'webcodecs');
      assert.match((await page.textContent('#behind')) ?? '', /^H\.264 · \d+(\.\d)? s behind$/);
      const channelViewer = () => server.status().viewers.find((v) => v.protocol === 'websocket');
      assert.equal(channelViewer()?.codec, 'h264');
      await eventually(
        () => (channelViewer()?.framesSent ?? 0) > 30,
        10_000,
        'access units keep flowing while the page acknowledges them',
      );
    } finally {
      await page.close();
    }
    await eventually(() => server.status().viewerCount === 0, 5000, 'channel closed');
  });

  // Neither VideoDecoder nor MediaSource → JPEG on the channel: viewer-page-mse.test.ts (an insecure page,
  // which has no VideoDecoder by nature, with MediaSource removed).

  test('Compatibility mode switches to the MJPEG stream and is remembered', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(withKey(server, '/'));
      await eventually(
        async () => (await pictureSignature(page, '#video')) !== '',
        15_000,
        'H.264 drawn',
      );
      await page.click('#compatibility');
      assert.equal(await page.getAttribute('#compatibility', 'aria-pressed'), 'true');
      await eventually(
        () => page.evaluate(() => document.body.dataset.mode === 'stream'),
        5000,
        'multipart',
      );
      await eventually(
        () => server.status().viewers.some((v) => v.protocol === 'mjpeg'),
        5000,
        'an MJPEG viewer',
      );
      assert.equal(await page.textContent('#behind'), 'Compatibility mode');
      await page.reload();
      await eventually(
        () => page.evaluate(() => document.body.dataset.mode === 'stream'),
        5000,
        'still multipart after a reload',
      );
    } finally {
      await context.close();
    }
  });
});
