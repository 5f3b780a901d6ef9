// Test frames that say which frame they are, twice: a JPEG comment for readers of the bytes, and a barcode in the
// pixels for a page that only shows the picture. Lets a test measure the age of what a viewer sees from the frames
// themselves, not from anything the page reports.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Bits of the pixel barcode: frame indexes 0 … 255 (loops are unwrapped by the readers). */
export const BARCODE_BITS = 8;
/** Box i spans x = BARCODE_X0 + i·BARCODE_STEP … +BARCODE_BOX, y = BARCODE_Y0 … +BARCODE_BOX (720p frames). */
export const BARCODE_X0 = 40;
export const BARCODE_STEP = 120;
export const BARCODE_Y0 = 20;
export const BARCODE_BOX = 100;

const COMMENT_PREFIX = 'LCIDX:';

export interface IndexedFrameSet {
  readonly dir: string;
  readonly count: number;
  readonly meanBytes: number;
}

/**
 * `count` 1280×720 frames of ffmpeg's testsrc2 with temporal noise (so they cost what a real camera's do: about
 * 96 KB at 720p), a barcode of the frame index, and the index as a JPEG comment. Made once per folder.
 */
export function ensureIndexedFrames(
  count = 150,
  root = path.join(tmpdir(), 'lancam-indexed'),
): IndexedFrameSet {
  const dir = path.join(root, `720p-${count}-v2`);
  if (!existsSync(path.join(dir, 'done'))) {
    rmSync(dir, { recursive: true, force: true });
    const raw = `${dir}.raw`;
    rmSync(raw, { recursive: true, force: true });
    mkdirSync(raw, { recursive: true });
    const boxes: string[] = [];
    for (let bit = 0; bit < BARCODE_BITS; bit++) {
      const box = `x=${BARCODE_X0 + bit * BARCODE_STEP}:y=${BARCODE_Y0}:w=${BARCODE_BOX}:h=${BARCODE_BOX}`;
      boxes.push(`drawbox=${box}:color=black:t=fill`);
      boxes.push(`drawbox=${box}:color=white:t=fill:enable='eq(mod(floor(n/${2 ** bit}),2),1)'`);
    }
    // Even frames with noise 10, odd ones with noise 11: about 90 and 105 KB, so ≈ 97 KB on average, the size
    // of a real 720p camera frame at quality 0.8 (ffmpeg's noise strength is a whole number).
    for (const [noise, parity] of [
      [10, 0],
      [11, 1],
    ] as const) {
      const part = path.join(raw, `noise${noise}`);
      mkdirSync(part);
      execFileSync('ffmpeg', [
        ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
        ...['-i', 'testsrc2=size=1280x720:rate=30'],
        ...['-vf', [`noise=alls=${noise}:allf=t`, ...boxes].join(',')],
        ...['-frames:v', String(count), '-q:v', '6', path.join(part, 'f%04d.jpg')],
      ]);
      for (const name of readdirSync(part)) {
        const index = Number(/\d+/.exec(name)?.[0]) - 1;
        if (index % 2 === parity) renameSync(path.join(part, name), path.join(raw, name));
      }
      rmSync(part, { recursive: true, force: true });
    }
    const names = readdirSync(raw)
      .filter((name) => name.endsWith('.jpg'))
      .sort();
    names.forEach((name, index) => {
      writeFileSync(path.join(raw, name), withComment(readFileSync(path.join(raw, name)), index));
    });
    writeFileSync(path.join(raw, 'done'), '');
    renameSync(raw, dir);
  }
  const names = readdirSync(dir).filter((name) => name.endsWith('.jpg'));
  const bytes = names.reduce((sum, name) => sum + readFileSync(path.join(dir, name)).length, 0);
  return { dir, count: names.length, meanBytes: bytes / names.length };
}

/**
 * The same frames as H.264 (Constrained Baseline, a keyframe a second, 2.5 Mbit/s: what LanCam's encoder sends
 * at 720p30), for `lancam serve --video`: its loop starts with the JPEG loop and runs at the same rate, so
 * H.264 frame n is published within a few milliseconds of JPEG frame n.
 */
export function ensureIndexedVideo(frames: IndexedFrameSet): string {
  const file = path.join(frames.dir, 'indexed-h264.mp4');
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.partial.mp4`;
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-framerate', '30', '-start_number', '1'],
      ...['-i', path.join(frames.dir, 'f%04d.jpg'), '-c:v', 'libx264', '-profile:v', 'baseline'],
      ...['-bf', '0', '-g', '30', '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '2500k'],
      ...['-pix_fmt', 'yuv420p', partial],
    ]);
    renameSync(partial, file);
  }
  return file;
}

/** Inserts a COM segment right after SOI. */
function withComment(jpeg: Buffer, index: number): Buffer {
  const text = Buffer.from(`${COMMENT_PREFIX}${index}`, 'latin1');
  const segment = Buffer.alloc(4 + text.length);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(text.length + 2, 2);
  text.copy(segment, 4);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

/** The index from the JPEG comment, or null. */
export function frameIndexOf(jpeg: Uint8Array): number | null {
  if (jpeg[2] !== 0xff || jpeg[3] !== 0xfe) return null;
  const length = ((jpeg[4] ?? 0) << 8) | (jpeg[5] ?? 0);
  const text = Buffer.from(jpeg.subarray(6, 4 + length)).toString('latin1');
  return text.startsWith(COMMENT_PREFIX) ? Number(text.slice(COMMENT_PREFIX.length)) : null;
}

/**
 * Turns a frame index that wraps every `count` frames into an ever-growing sequence number, assuming fewer
 * than `count` frames pass between two readings (5 s of video for 150 frames at 30 fps).
 */
export class IndexUnwrapper {
  readonly #count: number;
  #last: number | null = null;

  constructor(count: number, start: number | null = null) {
    this.#count = count;
    this.#last = start;
  }

  next(index: number): number {
    if (this.#last === null) {
      this.#last = index;
      return index;
    }
    const step = (((index - this.#last) % this.#count) + this.#count) % this.#count;
    this.#last += step;
    return this.#last;
  }
}
