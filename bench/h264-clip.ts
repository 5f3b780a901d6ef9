// The benchmark's H.264 source: the same noisy JPEG frames the MJPEG scenarios stream, encoded once with
// libx264 (Constrained Baseline, no B-frames, ~2.5 Mbit/s at 720p30, a keyframe every 2 s) and cached.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ensureH264Clip(
  framesDir: string,
  cacheRoot: string,
  bitrate = '2500k',
): Promise<string> {
  const file = path.join(cacheRoot, `${path.basename(framesDir)}-h264-${bitrate}.mp4`);
  if (existsSync(file)) return file;
  const partial = `${file}.partial.mp4`;
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-framerate', '30'],
    ...['-i', path.join(framesDir, 'frame-%03d.jpg')],
    ...['-c:v', 'libx264', '-profile:v', 'baseline', '-bf', '0', '-g', '60', '-pix_fmt', 'yuv420p'],
    ...['-b:v', bitrate, '-maxrate', bitrate, '-bufsize', bitrate, partial],
  ]);
  await rename(partial, file);
  return file;
}
