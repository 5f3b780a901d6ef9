// Quality levels: saved values map to the nearest level; the per-viewer estimate scales with pixels, fps, level.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  estimateMbpsPerViewer,
  formatEstimate,
  qualityLevelOf,
  qualityValues,
} from '../../renderer/quality-levels.ts';
import { jpegQualityRange } from '../../electron/settings-limits.ts';

test('each level encodes inside the allowed range and maps back to itself', () => {
  for (const [level, value] of Object.entries(qualityValues)) {
    assert.ok(value >= jpegQualityRange.min && value <= jpegQualityRange.max, level);
    assert.equal(qualityLevelOf(value), level);
  }
  assert.equal(qualityLevelOf(0.5), 'low');
  assert.equal(qualityLevelOf(0.8), 'medium');
  assert.equal(qualityLevelOf(0.95), 'high');
});

test('the estimate: 720p30 medium is about 25 Mbit/s; it scales with pixels, fps and level', () => {
  const medium720 = estimateMbpsPerViewer(1280, 720, 30, 'medium');
  assert.ok(medium720 > 20 && medium720 < 30, String(medium720));
  assert.ok(Math.abs(estimateMbpsPerViewer(1280, 720, 15, 'medium') - medium720 / 2) < 1e-9);
  assert.ok(estimateMbpsPerViewer(1920, 1080, 30, 'medium') > 2 * medium720);
  assert.ok(estimateMbpsPerViewer(1280, 720, 30, 'low') < medium720);
  assert.ok(estimateMbpsPerViewer(1280, 720, 30, 'high') > medium720);
  assert.equal(estimateMbpsPerViewer(0, 720, 30, 'high'), 0);
  assert.equal(formatEstimate(24.88), '≈ 25 Mbit/s per viewer');
  assert.equal(formatEstimate(3.456), '≈ 3.5 Mbit/s per viewer');
});
