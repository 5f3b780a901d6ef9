// The Camera controls card in real Chromium. Its fake camera exposes no controls, so the track's
// getCapabilities/getSettings/applyConstraints are stubbed like a UVC webcam (zoom, focus, brightness,
// torch) through an init script; everything else — page, settings path, main's settings guard — is real.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { hasChromium } from '../helpers/chromium.ts';
import { openStubbedControlWindow, type StubbedControlWindow } from './support/stubbed-page.ts';
import type { TestBridge } from './support/test-bridge.ts';
import { waitFor } from '../helpers/wait.ts';

interface ControlsStub {
  /** Off: the track keeps Chromium's own (control-less) capabilities. */
  enabled: boolean;
  /** Every applyConstraints argument, in order. */
  applied: { advanced?: Record<string, unknown>[] }[];
}

/** Runs in the page before its scripts. */
function installControlsStub(): void {
  const stub: ControlsStub = { enabled: true, applied: [] };
  (window as unknown as { __controls: ControlsStub }).__controls = stub;
  const capabilities = {
    zoom: { min: 1, max: 4, step: 0.1 },
    focusMode: ['manual', 'continuous'],
    focusDistance: { min: 0, max: 1, step: 0.05 },
    brightness: { min: 0, max: 255, step: 1 },
    torch: true,
  };
  const defaults = {
    zoom: 1,
    focusMode: 'continuous',
    focusDistance: 0.5,
    brightness: 128,
    torch: false,
  };
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await original(constraints);
    const track = stream.getVideoTracks()[0];
    if (!stub.enabled || !track) return stream;
    const state: Record<string, unknown> = { ...defaults };
    const realCapabilities = track.getCapabilities.bind(track);
    const realSettings = track.getSettings.bind(track);
    track.getCapabilities = () => ({ ...realCapabilities(), ...capabilities });
    track.getSettings = () => ({ ...realSettings(), ...state });
    track.applyConstraints = (c?: MediaTrackConstraints) => {
      stub.applied.push(JSON.parse(JSON.stringify(c ?? {})) as ControlsStub['applied'][number]);
      for (const set of c?.advanced ?? []) Object.assign(state, set);
      return Promise.resolve();
    };
    return stream;
  };
}

describe('camera controls card', { skip: !hasChromium() && 'no Chromium' }, () => {
  let opened: StubbedControlWindow;
  let bridge: TestBridge;
  let page: Page;
  let pageErrors: Error[];

  const stub = (): Promise<ControlsStub> =>
    page.evaluate(() => (window as unknown as { __controls: ControlsStub }).__controls);
  const card = (): ReturnType<Page['locator']> => page.locator('#camera-controls');
  const remembered = (): Record<string, Record<string, unknown>> =>
    bridge.settings.cameraControls ?? {};

  async function restartCamera(): Promise<void> {
    await page.getByRole('button', { name: 'Stop broadcast' }).click();
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await waitFor(
      'live',
      async () => (await page.locator('#state').getAttribute('data-state')) === 'live',
    );
  }

  before(async () => {
    opened = await openStubbedControlWindow(installControlsStub);
    ({ bridge, page, pageErrors } = opened);
  });

  after(async () => {
    await opened.close();
  });

  it('is hidden while the camera is off, and shows only the supported controls once it runs', async () => {
    assert.equal(await card().isVisible(), false);
    await page.getByRole('button', { name: 'Start broadcast' }).click();
    await card().waitFor({ state: 'visible' });
    for (const name of ['zoom', 'focusMode', 'focusDistance', 'brightness', 'torch']) {
      assert.equal(await page.locator(`#camera-control-${name}`).count(), 1, name);
    }
    for (const name of ['colorTemperature', 'exposureTime', 'sharpness', 'whiteBalanceMode']) {
      assert.equal(await page.locator(`#camera-control-${name}`).count(), 0, name);
    }
    assert.equal(await page.locator('#camera-control-zoom').inputValue(), '1');
    // Focus distance only means something under manual focus.
    assert.equal(await page.locator('#camera-control-focusDistance').isDisabled(), true);
    assert.deepEqual((await stub()).applied, [], 'nothing remembered yet, nothing applied');
  });

  it('applies a change live and remembers it for this camera', async () => {
    await page.locator('#camera-control-zoom').fill('2.5');
    await waitFor('zoom applied', async () =>
      (await stub()).applied.some((c) => c.advanced?.[0]?.zoom === 2.5),
    );
    await waitFor('zoom remembered', () => Object.values(remembered()).some((v) => v.zoom === 2.5));
    assert.match(
      (await page.locator('#camera-controls output').first().textContent()) ?? '',
      /2\.5/,
    );

    await page.locator('#camera-control-focusMode').selectOption('manual');
    await waitFor('focus distance enabled', async () =>
      page.locator('#camera-control-focusDistance').isEnabled(),
    );
    await page.locator('#camera-control-torch').check();
    await waitFor('torch remembered', () =>
      Object.values(remembered()).some((v) => v.torch === true),
    );
    const [deviceId, values] = Object.entries(remembered())[0] ?? [];
    assert.ok(deviceId, 'remembered under the camera deviceId');
    assert.deepEqual(values, { zoom: 2.5, focusMode: 'manual', torch: true });
  });

  it('puts the remembered values back when the camera opens again', async () => {
    const before = (await stub()).applied.length;
    await restartCamera();
    await card().waitFor({ state: 'visible' });
    await waitFor('remembered applied', async () => (await stub()).applied.length > before);
    // One advanced set per control, modes first, so a refused one is skipped alone.
    assert.deepEqual((await stub()).applied[before], {
      advanced: [{ zoom: 2.5 }, { focusMode: 'manual' }, { torch: true }],
    });
    await waitFor(
      'slider shows it',
      async () => (await page.locator('#camera-control-zoom').inputValue()) === '2.5',
    );
    assert.equal(await page.locator('#camera-control-torch').isChecked(), true);
  });

  it('"Reset to camera defaults" restores the camera values and forgets this camera', async () => {
    await page.getByRole('button', { name: 'Reset to camera defaults' }).click();
    await waitFor('forgotten', () => Object.keys(remembered()).length === 0);
    const last = (await stub()).applied.at(-1);
    assert.deepEqual(last?.advanced, [
      { zoom: 1 },
      { focusMode: 'continuous' },
      { focusDistance: 0.5 },
      { brightness: 128 },
      { torch: false },
    ]);
    assert.equal(await page.locator('#camera-control-zoom').inputValue(), '1');
    assert.equal(await page.locator('#camera-control-torch').isChecked(), false);
  });

  it('stays hidden for a camera that exposes no controls', async () => {
    await page.evaluate(() => {
      (window as unknown as { __controls: ControlsStub }).__controls.enabled = false;
    });
    await restartCamera();
    await waitFor('a frame after restart', () => bridge.frames.length > 0);
    assert.equal(await card().isVisible(), false);
    assert.deepEqual(pageErrors.map(String), []);
  });
});
