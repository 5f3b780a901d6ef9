// Camera permission denied (no fake-UI auto-grant, permission refused): the control window explains how to
// allow the camera, opens no server, and keeps working.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { TestBridge } from './support/test-bridge.ts';
import { waitFor } from '../helpers/wait.ts';

describe('camera permission denied', { skip: !hasChromium() && 'no Chromium' }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let bridge: TestBridge;
  let page: Page;
  const pageErrors: Error[] = [];

  before(async () => {
    const clip = await fakeCameraFile({ width: 1280, height: 720 });
    browser = await launchChromium({ fakeCamera: clip, autoGrantCamera: false });
    context = await browser.newContext();
    bridge = new TestBridge();
    page = await bridge.open(browser, context);
    page.on('pageerror', (error) => pageErrors.push(error));
    // Deny explicitly (what clicking "Block" does), rather than relying on headless prompt behaviour.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Browser.setPermission', {
      permission: { name: 'camera' },
      setting: 'denied',
      origin: new URL(page.url()).origin,
    });
  });

  after(async () => {
    await bridge.close();
    await context.close();
    await browser.close();
  });

  it('shows an actionable message, starts no server, and nothing crashes', async () => {
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    const message = page.getByRole('alert');
    await message.getByText('Camera access is blocked').waitFor();
    const text = (await message.textContent()) ?? '';
    // Linux Chromium here, so the Linux steps; every platform ends with "Press Start again".
    assert.match(text, /Press Start again/);
    assert.equal(await page.locator('#state').getAttribute('data-state'), 'error');
    assert.equal(bridge.isLive, false, 'no port was opened for a broadcast without a camera');
    assert.deepEqual(bridge.cameraStates.at(-1), {
      kind: 'error',
      code: 'NotAllowedError',
      message: 'Camera access is blocked',
    });
    // Still usable: the button is enabled again, and "Try again" retries (and fails the same way).
    await waitFor('button enabled', () =>
      page.getByRole('button', { name: 'Start broadcast' }).isEnabled(),
    );
    await page.getByRole('button', { name: 'Try again' }).click();
    await message.getByText('Camera access is blocked').waitFor();
    assert.deepEqual(pageErrors.map(String), []);
  });
});
