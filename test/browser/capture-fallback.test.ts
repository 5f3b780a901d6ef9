// Where MediaStreamTrackProcessor is missing, the worker-timer + createImageBitmap path still delivers frames.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { MjpegViewer } from './support/mjpeg-viewer.ts';
import { TestBridge } from './support/test-bridge.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

describe(
  'capture without MediaStreamTrackProcessor',
  { skip: !hasChromium() && 'no Chromium' },
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let bridge: TestBridge;
    let page: Page;
    let viewer: MjpegViewer | null = null;
    const pageErrors: Error[] = [];

    before(async () => {
      const clip = await fakeCameraFile({ width: 1280, height: 720 });
      browser = await launchChromium({ fakeCamera: clip });
      context = await browser.newContext();
      // Test-only: hide the API the way a browser without it would.
      await context.addInitScript(() => {
        Reflect.deleteProperty(window, 'MediaStreamTrackProcessor');
      });
      bridge = new TestBridge({ settings: { resolution: '480p', fps: 15, rotation: 90 } });
      page = await bridge.open(browser, context);
      page.on('pageerror', (error) => pageErrors.push(error));
    });

    after(async () => {
      viewer?.close();
      await bridge.close();
      await context.close();
      await browser.close();
    });

    it('encodes paced, rotated frames from the preview video', async () => {
      assert.equal(await page.evaluate(() => 'MediaStreamTrackProcessor' in window), false);
      await page.getByRole('button', { name: 'Start broadcast' }).click();
      await waitFor('first frame', () => bridge.frames.length > 0);
      viewer = new MjpegViewer(bridge.url('/stream.mjpg'));
      await viewer.connect();
      await sleep(1000);
      const from = Date.now();
      await sleep(4000);
      const count = bridge.frames.filter((f) => f.receivedAtMs >= from).length;
      const fps = count / 4;
      // The cap is 15: well above idle (1), never above the cap.
      assert.ok(fps >= 8 && fps <= 16.5, `fallback path delivered ${fps} fps`);
      // 480p rotated by 90°: portrait.
      const sent = bridge.frames.at(-1);
      assert.equal(`${sent?.width}x${sent?.height}`, '480x640');
      const last = viewer.parts.at(-1);
      assert.equal(`${last?.width}x${last?.height}`, '480x640');
      assert.deepEqual(pageErrors.map(String), []);
    });
  },
);
