// A camera held by another app (getUserMedia rejects with NotReadableError, as Windows does while Zoom or
// Teams has it): the control window explains it, keeps retrying by itself and goes live once the camera is
// free; Stop ends the waiting.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/chromium.ts';
import { openStubbedControlWindow, type StubbedControlWindow } from './support/stubbed-page.ts';
import type { TestBridge } from './support/test-bridge.ts';
import { sleep, waitFor } from '../helpers/wait.ts';

interface BusyCamera {
  /** How many more getUserMedia calls fail as "busy". */
  remaining: number;
  calls: number;
}

/** Runs in the page before its scripts: the real fake camera, refused while `remaining` > 0. */
function installBusyCamera(): void {
  const state: BusyCamera = { remaining: 0, calls: 0 };
  (window as unknown as { __busyCamera: BusyCamera }).__busyCamera = state;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    state.calls += 1;
    if (state.remaining > 0) {
      state.remaining -= 1;
      // Chromium's message for a camera another process holds.
      throw new DOMException('Could not start video source', 'NotReadableError');
    }
    return original(constraints);
  };
}

describe('camera in use by another app', { skip: !hasChromium() && 'no Chromium' }, () => {
  let opened: StubbedControlWindow;
  let bridge: TestBridge;
  let page: Page;
  let pageErrors: Error[];

  const busy = (): Promise<BusyCamera> =>
    page.evaluate(() => ({ ...(window as unknown as { __busyCamera: BusyCamera }).__busyCamera }));
  const setBusyFor = (remaining: number): Promise<void> =>
    page.evaluate((n) => {
      (window as unknown as { __busyCamera: BusyCamera }).__busyCamera.remaining = n;
    }, remaining);
  const state = async (): Promise<string | null> =>
    page.locator('#state').getAttribute('data-state');

  before(async () => {
    opened = await openStubbedControlWindow(installBusyCamera);
    ({ bridge, page, pageErrors } = opened);
  });

  after(async () => {
    await opened.close();
  });

  it('explains a busy camera, opens no port, and goes live by itself once it is free', async () => {
    // Busy for the first try and the first retry (after 1 s); the retry after 2 more seconds gets it.
    await setBusyFor(2);
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    const message = page.getByRole('alert');
    await message.getByText('The camera is busy').waitFor();
    assert.match(
      (await message.textContent()) ?? '',
      /starts by itself as soon as the camera is free/,
    );
    assert.equal(bridge.isLive, false, 'no port while the camera is not ours');
    // While waiting, the big button stops the waiting.
    await page.getByRole('button', { name: 'Stop broadcast' }).waitFor();
    await waitFor('live without a click', async () => (await state()) === 'live', 20_000);
    await waitFor('a frame', () => bridge.frames.length > 0);
    assert.equal((await busy()).calls, 3, 'first try + two retries');
    assert.equal(await message.isVisible(), false, 'the busy message is gone');
  });

  it('Stop ends the waiting: no more tries afterwards', async () => {
    await page.getByRole('button', { name: 'Stop broadcast' }).click();
    await waitFor('off', async () => (await state()) === 'off');
    await setBusyFor(1000);
    const before = (await busy()).calls;
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await page.getByRole('alert').getByText('The camera is busy').waitFor();
    await waitFor('one retry', async () => (await busy()).calls >= before + 2, 10_000);
    await page.getByRole('button', { name: 'Stop broadcast' }).click();
    await waitFor('off', async () => (await state()) === 'off');
    const afterStop = (await busy()).calls;
    await sleep(5000); // longer than the next backoff step (2 s, then 4 s)
    assert.equal((await busy()).calls, afterStop, 'getUserMedia was called again after Stop');
    assert.equal(bridge.isLive, false);
    assert.deepEqual(pageErrors.map(String), []);
  });
});
