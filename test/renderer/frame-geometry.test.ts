import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Rotation } from '../../electron/ipc.ts';
import {
  frameTransform,
  outputSize,
  type Transform,
} from '../../renderer/shared/frame-geometry.ts';

function apply(t: Transform, x: number, y: number): [number, number] {
  return [t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f];
}

const source = { width: 640, height: 480 };

describe('frame geometry', () => {
  it('swaps width and height for 90 and 270', () => {
    assert.deepEqual(outputSize(source, 0), { width: 640, height: 480 });
    assert.deepEqual(outputSize(source, 90), { width: 480, height: 640 });
    assert.deepEqual(outputSize(source, 180), { width: 640, height: 480 });
    assert.deepEqual(outputSize(source, 270), { width: 480, height: 640 });
  });

  it('is the identity without rotation or mirror', () => {
    assert.deepEqual(frameTransform(source, 0, false), { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
  });

  const cases: [Rotation, boolean, [number, number]][] = [
    // Where the source's top-left corner lands.
    [0, true, [640, 0]],
    [90, false, [480, 0]],
    [180, false, [640, 480]],
    [270, false, [0, 640]],
    [90, true, [480, 640]],
  ];
  for (const [rotation, mirror, expected] of cases) {
    it(`maps the top-left corner for rotation ${rotation}${mirror ? ' mirrored' : ''}`, () => {
      assert.deepEqual(apply(frameTransform(source, rotation, mirror), 0, 0), expected);
    });
  }

  it('keeps every source corner inside the output', () => {
    for (const rotation of [0, 90, 180, 270] as const) {
      for (const mirror of [false, true]) {
        const out = outputSize(source, rotation);
        const t = frameTransform(source, rotation, mirror);
        for (const [x, y] of [
          [0, 0],
          [640, 0],
          [0, 480],
          [640, 480],
        ] as const) {
          const [ox, oy] = apply(t, x, y);
          assert.ok(
            ox >= 0 && ox <= out.width && oy >= 0 && oy <= out.height,
            `${rotation} ${mirror}`,
          );
        }
      }
    }
  });
});
