// JPEG checks without decoding: whole-JPEG test and frame size from the SOF marker, on real ffmpeg output.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isJpeg, jpegDimensions } from '../../server/core/jpeg.ts';
import { RateMeter } from '../../server/core/rate-meter.ts';
import { makeFrames } from './harness.ts';

test('sizes of real JPEGs, including the shipped placeholder', () => {
  const placeholder = readFileSync(
    path.join(import.meta.dirname, '../../server/assets/placeholder.jpg'),
  );
  assert.ok(isJpeg(placeholder));
  assert.deepEqual(jpegDimensions(placeholder), { width: 640, height: 360 });
  const [frame] = makeFrames(1, '176x144');
  assert.ok(frame && isJpeg(frame.jpeg));
  assert.deepEqual(jpegDimensions(frame.jpeg), { width: 176, height: 144 });
});

test('truncated or foreign bytes are not JPEGs and have no size', () => {
  const [frame] = makeFrames(1, '176x144');
  assert.ok(frame);
  assert.equal(isJpeg(frame.jpeg.subarray(0, frame.jpeg.length - 1)), false);
  assert.equal(isJpeg(Buffer.from('GIF89a')), false);
  assert.equal(
    jpegDimensions(Buffer.from([0xff, 0xd8, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08])),
    null,
  );
  assert.equal(jpegDimensions(frame.jpeg.subarray(0, 20)), null);
});

test('RateMeter reports per-second rates over completed windows and decays to zero', () => {
  const meter = new RateMeter(0);
  for (let t = 0; t < 1000; t += 100) meter.add(3, t);
  assert.equal(meter.rate(999), 0, 'no completed window yet');
  assert.equal(meter.rate(1000), 30);
  assert.equal(meter.rate(3000), 0, 'nothing added since');
});
