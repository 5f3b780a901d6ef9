// Runs ffmpeg as a real viewer: decodes N frames from a URL and reports how many it decoded and their size.
import { spawn } from 'node:child_process';

export interface FfmpegDecode {
  readonly frames: number;
  readonly width: number;
  readonly height: number;
  readonly stderr: string;
}

export function ffmpegDecode(
  url: string,
  frames: number,
  timeoutMs = 30_000,
): Promise<FfmpegDecode> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'ffmpeg',
      ['-hide_banner', '-nostdin', '-i', url, '-frames:v', String(frames), '-f', 'null', '-'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const counts = [...stderr.matchAll(/frame=\s*(\d+)/g)].map((m) => Number(m[1]));
      const size = /Video: mjpeg[^\n]*?, (\d+)x(\d+)/.exec(stderr);
      resolve({
        frames: counts.at(-1) ?? 0,
        width: Number(size?.[1] ?? 0),
        height: Number(size?.[2] ?? 0),
        stderr,
      });
    });
  });
}
