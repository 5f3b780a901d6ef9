// Output size and canvas transform for mirror + rotation, as plain numbers (no canvas needed to test it).
import type { Rotation } from '../../electron/ipc.ts';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** A 2D affine matrix in canvas setTransform(a, b, c, d, e, f) order. */
export interface Transform {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

export function outputSize(source: Size, rotation: Rotation): Size {
  return rotation === 90 || rotation === 270
    ? { width: source.height, height: source.width }
    : { width: source.width, height: source.height };
}

/**
 * Maps source pixel (x, y) to the output canvas: mirror first (in the camera's own frame, like a selfie
 * view), then rotate clockwise about the centre. Draw the source at (0, 0) after setTransform().
 */
export function frameTransform(source: Size, rotation: Rotation, mirror: boolean): Transform {
  const { width: w, height: h } = source;
  const out = outputSize(source, rotation);
  const cos = Math.round(Math.cos((rotation * Math.PI) / 180));
  const sin = Math.round(Math.sin((rotation * Math.PI) / 180));
  const m = mirror ? -1 : 1;
  // translate(out/2) · rotate · scale(m, 1) · translate(-w/2, -h/2)
  const a = cos * m;
  const b = sin * m;
  const c = -sin;
  const d = cos;
  const e = out.width / 2 - (a * w) / 2 - (c * h) / 2;
  const f = out.height / 2 - (b * w) / 2 - (d * h) / 2;
  // `+ 0` turns -0 into 0, so equal transforms compare equal.
  return { a: a + 0, b: b + 0, c: c + 0, d: d + 0, e: e + 0, f: f + 0 };
}
