// Micro-measure of the per-frame JPEG structure check (`node --import tsx bench/jpeg-check-bench.ts`): time per
// call on real 720p frames, next to a plain scan of every byte, to show the check is O(segments), not O(bytes).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkJpeg } from '../server/core/jpeg.ts';
import { ensureFrames } from './frames.ts';

const ROUNDS = 200_000;

const set = await ensureFrames(path.join(import.meta.dirname, 'results', 'frames'), '720p');
const names = (await readdir(set.dir)).filter((name) => name.endsWith('.jpg')).sort();
const frames = await Promise.all(names.map((name) => readFile(path.join(set.dir, name))));

function nsPerCall(label: string, rounds: number, body: (frame: Buffer) => unknown): number {
  let sink = 0;
  // Warm up the JIT before timing.
  for (let i = 0; i < 10_000; i++) sink += body(frames[i % frames.length]!) ? 1 : 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) sink += body(frames[i % frames.length]!) ? 1 : 0;
  const ns = Number(process.hrtime.bigint() - start) / rounds;
  console.log(`${label.padEnd(40)} ${ns.toFixed(0).padStart(8)} ns/frame  (${sink} truthy)`);
  return ns;
}

console.log(`${frames.length} frames, 1280x720, mean ${(set.meanBytes / 1000).toFixed(0)} KB`);
const check = nsPerCall(
  'checkJpeg (segments up to SOS + EOI)',
  ROUNDS,
  (f) => checkJpeg(f).isValid,
);
// The reference: the cheapest possible O(bytes) pass, a native search for bytes that never occur in the data.
const absent = Buffer.from('no such bytes in a JPEG', 'latin1');
const scan = nsPerCall(
  'native search through every byte',
  ROUNDS / 10,
  (f) => f.indexOf(absent) + 1,
);
console.log(
  `checkJpeg at 30 fps: ${((check * 30) / 1e6).toFixed(4)} ms of CPU per second (${(scan / check).toFixed(0)}× cheaper than one byte scan)`,
);
