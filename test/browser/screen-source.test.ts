// A screen as the source in real Chromium (its fake display capture stands in for desktopCapturer's screen):
// the picker lists it next to the cameras, Start tells main which one, then getDisplayMedia feeds the same
// pipeline, settings and server as a camera; a source that has gone is explained.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { MjpegViewer } from './support/mjpeg-viewer.ts';
import { TestBridge } from './support/test-bridge.ts';
import { waitFor } from '../helpers/wait.ts';

describe('screen as a source', { skip: !hasChromium() && 'no Chromium' }, () => {
  let browser: Browser;
  let bridge: TestBridge;
  let page: Page;
  const pageErrors: Error[] = [];
  const state = async (): Promise<string | null> =>
    page.locator('#state').getAttribute('data-state');

  before(async () => {
    const clip = await fakeCameraFile({ width: 1280, height: 720 });
    browser = await launchChromium({ fakeCamera: clip });
    bridge = new TestBridge({ settings: { resolution: '720p', fps: 15 } });
    page = await bridge.open(browser);
    page.on('pageerror', (error) => pageErrors.push(error));
  });

  after(async () => {
    await bridge.close();
    await browser.close();
  });

  it('lists screens after the cameras in the picker', async () => {
    await waitFor(
      'screen option',
      async () => (await page.locator('#camera option[value="screen:1:0"]').count()) === 1,
    );
    const labels = await page.locator('#camera option').allTextContents();
    assert.equal(labels.at(-1), 'Screen: Entire screen');
    assert.equal(labels[0], 'System default camera');
  });

  it('broadcasts the chosen screen through the same pipeline and server', async () => {
    await page.locator('#camera').selectOption('screen:1:0');
    await waitFor('saved', () => bridge.settings.cameraId === 'screen:1:0');
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await waitFor('live', async () => (await state()) === 'live', 15_000);
    assert.deepEqual(bridge.chosenScreens, ['screen:1:0'], 'main was told before getDisplayMedia');
    await waitFor('first frame', () => bridge.frames.length > 0, 15_000);
    const viewer = new MjpegViewer(bridge.url('/stream.mjpg'));
    await viewer.connect();
    try {
      await waitFor('viewer frames', () => viewer.parts.length >= 5, 15_000);
      const last = viewer.parts.at(-1)!;
      // Scaled to fit the 720p preset, never up.
      assert.ok(last.width > 0 && last.width <= 1280, `width ${last.width}`);
      assert.ok(last.height > 0 && last.height <= 720, `height ${last.height}`);
      const sent = bridge.frames.at(-1)!;
      assert.equal(`${sent.width}x${sent.height}`, `${last.width}x${last.height}`);
      assert.equal(bridge.cameraStates.at(-1)?.kind, 'running');
    } finally {
      viewer.close();
    }
  });

  it('explains a screen or window that has gone, in screen terms', async () => {
    await page.getByRole('button', { name: 'Stop broadcast' }).click();
    await waitFor('off', async () => (await state()) === 'off');
    bridge.screenSources = [];
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await page.getByRole('alert').getByText('That screen or window is gone').waitFor();
    assert.equal(bridge.isLive, false);
    assert.deepEqual(pageErrors.map(String), []);
  });
});
