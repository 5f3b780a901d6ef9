// Generates (once per machine, cached in the OS temp dir) a realistic .y4m clip for Chromium's fake camera.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeCameraClip {
  readonly width: number;
  readonly height: number;
  /** Default 30. */
  readonly fps?: number;
  /** Clip length; Chromium loops it. Default 2 (a 1080p clip is then ~190 MB of raw YUV). */
  readonly seconds?: number;
}

/**
 * testsrc2 plus temporal noise: Chromium's built-in pattern compresses 4–8× better than a real scene and
 * encodes faster (docs/design-notes.md, section 3), so targets measured on it would flatter us. With this clip a 720p
 * frame at quality 0.8 is in the ~90 KB range of a real webcam.
 */
export async function fakeCameraFile(clip: FakeCameraClip): Promise<string> {
  const fps = clip.fps ?? 30;
  const seconds = clip.seconds ?? 2;
  const name = `lancam-fake-camera-${clip.width}x${clip.height}-${fps}fps-${seconds}s-v2.y4m`;
  const file = path.join(tmpdir(), name);
  if (existsSync(file)) return file;
  // Written under a unique name and renamed, so parallel test files never read a half-written clip.
  const partial = `${file}.${process.pid}.${Date.now()}.partial`;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${clip.width}x${clip.height}:rate=${fps}`,
    '-vf',
    'noise=alls=9:allf=t',
    '-t',
    String(seconds),
    '-pix_fmt',
    'yuv420p',
    '-f',
    'yuv4mpegpipe',
    '-y',
    partial,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new Error(`ffmpeg exited with ${String(code)}: ${stderr}`));
      });
    });
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  return file;
}
