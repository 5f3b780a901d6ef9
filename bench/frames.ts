// Generates the benchmark's test frames once (ffmpeg testsrc2 + noise) and caches them under bench/results/.
import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Resolution } from './bench-types.ts';

const run = promisify(execFile);

const FRAME_COUNT = 75;

// Noise defeats JPEG's compression of the flat test pattern, so frames are the size of real camera frames:
// the settings were tuned to ≈ 100 KB at 720p and ≈ 40 KB at 480p.
const SETTINGS: Record<Resolution, { size: string; noise: number; quality: number }> = {
  '720p': { size: '1280x720', noise: 13, quality: 7 },
  '480p': { size: '640x480', noise: 11, quality: 6 },
};

export interface FrameSet {
  readonly dir: string;
  readonly count: number;
  readonly meanBytes: number;
}

/** Returns the cached frames for a resolution, generating them first if needed. */
export async function ensureFrames(cacheRoot: string, resolution: Resolution): Promise<FrameSet> {
  const { size, noise, quality } = SETTINGS[resolution];
  const dir = path.join(cacheRoot, `${resolution}-noise${noise}-q${quality}-${FRAME_COUNT}`);
  if ((await jpegsIn(dir)).length !== FRAME_COUNT) {
    // Generate beside the final folder and rename, so an interrupted run never leaves a half-filled cache.
    const partial = `${dir}.partial`;
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    await run('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-f', 'lavfi'],
      ...['-i', `testsrc2=size=${size}:rate=30`],
      ...['-vf', `noise=alls=${noise}:allf=t`, '-frames:v', String(FRAME_COUNT)],
      ...['-q:v', String(quality), path.join(partial, 'frame-%03d.jpg')],
    ]);
    await rm(dir, { recursive: true, force: true });
    await rename(partial, dir);
  }
  const files = await jpegsIn(dir);
  const sizes = await Promise.all(files.map(async (f) => (await stat(path.join(dir, f))).size));
  return {
    dir,
    count: files.length,
    meanBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length,
  };
}

async function jpegsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.jpg'));
  } catch {
    return [];
  }
}
