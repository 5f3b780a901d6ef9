// Frames for `lancam serve`: loads the .jpg files of a folder in name order and replays them in a loop at a
// fixed rate, like a camera would publish them.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isJpeg, jpegDimensions } from '../core/jpeg.ts';
import type { FrameMeta } from '../types.ts';

export interface SourceFrame {
  readonly jpeg: Buffer;
  readonly width: number;
  readonly height: number;
}

/** A problem with the user's input, reported as one line (exit code 2) rather than a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Reads every `*.jpg`/`*.jpeg` in `dir`, sorted by name (numeric-aware, so 2.jpg precedes 10.jpg). */
export async function loadFrameDir(dir: string): Promise<SourceFrame[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new UsageError(`cannot read frames folder ${dir}: ${(error as Error).message}`);
  }
  const jpegNames = names
    .filter((name) => /\.jpe?g$/i.test(name))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (jpegNames.length === 0) throw new UsageError(`no .jpg files in ${dir}`);
  const frames: SourceFrame[] = [];
  for (const name of jpegNames) {
    const jpeg = await readFile(path.join(dir, name));
    if (!isJpeg(jpeg)) throw new UsageError(`${path.join(dir, name)} is not a complete JPEG`);
    const size = jpegDimensions(jpeg) ?? { width: 0, height: 0 };
    frames.push({ jpeg, ...size });
  }
  return frames;
}

/**
 * Publishes the frames round-robin at `fps`, scheduled against the clock so timer jitter does not
 * accumulate into a lower rate. Returns a function that stops the loop.
 */
export function startFrameLoop(
  frames: readonly SourceFrame[],
  fps: number,
  publish: (jpeg: Uint8Array, meta: FrameMeta) => void,
): () => void {
  const intervalMs = 1000 / fps;
  const startMs = performance.now();
  let index = 0;
  let timer: NodeJS.Timeout | null = null;
  const tick = (): void => {
    const frame = frames[index % frames.length];
    index += 1;
    if (frame) {
      publish(frame.jpeg, {
        captureTimeMs: performance.timeOrigin + performance.now(),
        width: frame.width,
        height: frame.height,
      });
    }
    const nextMs = startMs + index * intervalMs;
    const nowMs = performance.now();
    // After a long stall (a suspended laptop) restart the schedule instead of bursting to catch up.
    if (nowMs - nextMs > 1000) index = Math.ceil((nowMs - startMs) / intervalMs);
    timer = setTimeout(tick, Math.max(0, startMs + index * intervalMs - nowMs));
  };
  tick();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
