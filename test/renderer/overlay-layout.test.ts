// The overlay fits every output frame: landscape keeps its old size, portrait (90°/270°) shrinks to fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { overlayLayout } from '../../renderer/shared/overlay-layout.ts';

// "Workshop camera · 2026-11-24 14:05:09" in a 600-weight system font is about 0.55 em per character.
const longText = 0.55 * 'Workshop camera north side · 2026-11-24 14:05:09'.length;

test('landscape 720p keeps a 24 px font; the box fits', () => {
  const layout = overlayLayout({ width: 1280, height: 720 }, longText);
  assert.equal(layout.fontPx, 24);
  assert.ok(layout.pad + layout.boxWidth <= 1280);
});

for (const size of [
  { width: 720, height: 1280 },
  { width: 480, height: 854 },
  { width: 1080, height: 1920 },
  { width: 360, height: 640 },
]) {
  test(`portrait ${size.width}×${size.height}: the whole box stays inside the frame`, () => {
    const layout = overlayLayout(size, longText);
    assert.ok(
      layout.pad + layout.boxWidth <= size.width,
      `box ends at ${layout.pad + layout.boxWidth} of ${size.width}`,
    );
    assert.ok(layout.fontPx >= 8);
  });
}
