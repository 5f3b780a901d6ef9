// Capabilities + settings → control descriptors, and remembered values → constraints (renderer/camera-controls.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  constraintsFor,
  defaultsOf,
  describeControls,
  fitValue,
  rememberValues,
  snapToRange,
} from '../../renderer/camera-controls.ts';

/** What a Logitech-class UVC webcam reports in Chromium (values as seen in getCapabilities()). */
const webcam = {
  width: { min: 1, max: 1920 },
  deviceId: 'cam-1',
  zoom: { min: 100, max: 500, step: 1 },
  pan: { min: -36000, max: 36000, step: 3600 },
  tilt: { min: -36000, max: 36000, step: 3600 },
  focusMode: ['manual', 'continuous'],
  focusDistance: { min: 0, max: 250, step: 5 },
  exposureMode: ['manual', 'continuous'],
  exposureTime: { min: 3, max: 2047, step: 1 },
  whiteBalanceMode: ['manual', 'continuous'],
  colorTemperature: { min: 2000, max: 6500, step: 1 },
  brightness: { min: 0, max: 255, step: 1 },
  contrast: { min: 0, max: 255, step: 1 },
  saturation: { min: 0, max: 255, step: 1 },
  sharpness: { min: 0, max: 255, step: 1 },
};
const webcamSettings = {
  deviceId: 'cam-1',
  zoom: 100,
  pan: 0,
  tilt: 0,
  focusMode: 'continuous',
  focusDistance: 30,
  exposureMode: 'continuous',
  exposureTime: 250,
  whiteBalanceMode: 'continuous',
  colorTemperature: 4000,
  brightness: 128,
  contrast: 128,
  saturation: 128,
  sharpness: 128,
};

describe('describeControls', () => {
  it('shows nothing for a camera that exposes no controls (Chromium fake camera, most built-ins)', () => {
    assert.deepEqual(describeControls({ width: { min: 1, max: 1280 }, deviceId: 'x' }, {}), []);
  });

  it('lists every supported control in display order with the current value', () => {
    const controls = describeControls(webcam, webcamSettings);
    assert.deepEqual(
      controls.map((c) => c.name),
      [
        'zoom',
        'pan',
        'tilt',
        'focusMode',
        'focusDistance',
        'exposureMode',
        'exposureTime',
        'whiteBalanceMode',
        'colorTemperature',
        'brightness',
        'contrast',
        'saturation',
        'sharpness',
      ],
    );
    const zoom = controls[0];
    assert.deepEqual(zoom, {
      name: 'zoom',
      label: 'Zoom',
      isEnabled: true,
      kind: 'range',
      min: 100,
      max: 500,
      step: 1,
      value: 100,
      unit: '×',
    });
    const focus = controls.find((c) => c.name === 'focusMode');
    assert.deepEqual(focus?.kind === 'choice' && focus.options, ['manual', 'continuous']);
    assert.equal(focus?.value, 'continuous');
  });

  it('disables a manual value while its mode is automatic, and enables it in manual', () => {
    const auto = describeControls(webcam, webcamSettings);
    assert.equal(auto.find((c) => c.name === 'focusDistance')?.isEnabled, false);
    assert.equal(auto.find((c) => c.name === 'exposureTime')?.isEnabled, false);
    assert.equal(auto.find((c) => c.name === 'colorTemperature')?.isEnabled, false);
    assert.equal(auto.find((c) => c.name === 'brightness')?.isEnabled, true);
    const manual = describeControls(webcam, { ...webcamSettings, focusMode: 'manual' });
    assert.equal(manual.find((c) => c.name === 'focusDistance')?.isEnabled, true);
  });

  it('keeps a manual value usable when the camera offers no mode to choose', () => {
    const controls = describeControls(
      { focusDistance: { min: 0, max: 1, step: 0.1 } },
      { focusDistance: 0.5 },
    );
    assert.equal(controls[0]?.isEnabled, true);
  });

  it('skips ranges with no span or bad numbers, and single-mode lists', () => {
    const controls = describeControls(
      {
        zoom: { min: 1, max: 1, step: 0.1 },
        pan: { min: 'a', max: 5 },
        tilt: { max: 5 },
        brightness: { min: 10, max: 0 },
        focusMode: ['continuous'],
        exposureMode: 'manual',
        whiteBalanceMode: ['manual', 'manual'],
      },
      {},
    );
    assert.deepEqual(controls, []);
  });

  it('shows torch only when reported as supported, as a toggle', () => {
    assert.deepEqual(describeControls({ torch: false }, {}), []);
    const [torch] = describeControls({ torch: true }, { torch: true });
    assert.equal(torch?.kind, 'toggle');
    assert.equal(torch.value, true);
    assert.equal(describeControls({ torch: true }, {})[0]?.value, false);
  });

  it('fills a missing or odd current value from the capability', () => {
    const [zoom, mode] = describeControls(
      { zoom: { min: 1, max: 4, step: 0.5 }, focusMode: ['manual', 'continuous'] },
      { zoom: 2.74, focusMode: 'single-shot' },
    );
    assert.equal(zoom?.value, 2.5, 'snapped onto the step grid');
    assert.equal(mode?.value, 'manual', 'first offered mode');
    const [noStep] = describeControls({ contrast: { min: 0, max: 10 } }, {});
    assert.equal(noStep?.kind === 'range' && noStep.step, 0.1, 'continuous: 100 steps');
  });
});

describe('snapToRange / fitValue', () => {
  it('clamps and snaps without floating-point noise', () => {
    const range = { min: 0, max: 1, step: 0.1 };
    assert.equal(snapToRange(0.3, range), 0.3);
    assert.equal(snapToRange(0.349, range), 0.3);
    assert.equal(snapToRange(-4, range), 0);
    assert.equal(snapToRange(9, range), 1);
    assert.equal(snapToRange(7, { min: 1, max: 8, step: 3 }), 7);
  });

  it('fits remembered values to this camera or refuses them', () => {
    assert.equal(fitValue(webcam, 'zoom', 900), 500);
    assert.equal(fitValue(webcam, 'zoom', 'manual'), null);
    assert.equal(fitValue(webcam, 'focusMode', 'manual'), 'manual');
    assert.equal(fitValue(webcam, 'focusMode', 'single-shot'), null);
    assert.equal(fitValue(webcam, 'torch', true), null, 'this camera has no torch');
    assert.equal(fitValue({ torch: true }, 'torch', true), true);
  });
});

describe('constraintsFor', () => {
  it('one advanced set per control, modes before their values, unusable values left out', () => {
    assert.deepEqual(
      constraintsFor(webcam, {
        focusDistance: 102,
        focusMode: 'manual',
        zoom: 9000,
        torch: true,
        exposureMode: 'bogus',
      }),
      { advanced: [{ zoom: 500 }, { focusMode: 'manual' }, { focusDistance: 100 }] },
    );
    assert.deepEqual(constraintsFor(webcam, {}), { advanced: [] });
  });
});

describe('defaultsOf / rememberValues', () => {
  it('takes the camera values of every supported control', () => {
    const defaults = defaultsOf(webcam, webcamSettings);
    assert.equal(defaults.zoom, 100);
    assert.equal(defaults.focusMode, 'continuous');
    assert.equal(defaults.torch, undefined);
    assert.equal(Object.keys(defaults).length, 13);
  });

  it('replaces one camera and keeps the others; empty values forget the camera', () => {
    const all = { a: { zoom: 2 }, b: { brightness: 3 } };
    assert.deepEqual(rememberValues(all, 'a', { zoom: 4 }), {
      b: { brightness: 3 },
      a: { zoom: 4 },
    });
    assert.deepEqual(rememberValues(all, 'a', {}), { b: { brightness: 3 } });
    assert.deepEqual(rememberValues({}, 'c', { torch: true }), { c: { torch: true } });
    assert.deepEqual(all, { a: { zoom: 2 }, b: { brightness: 3 } }, 'input untouched');
  });
});
