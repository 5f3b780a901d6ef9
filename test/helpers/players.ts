// Runs real media players against a URL and reports what they decoded: ffmpeg, ffprobe, VLC, GStreamer, mpv.
import { spawn, spawnSync } from 'node:child_process';

export interface PlayerRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly isTimedOut: boolean;
}

/** Whether `binary` is on PATH; the callers skip a player that is missing, with one line saying so. */
export function hasBinary(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
}

export function run(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<PlayerRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let isTimedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      isTimedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, isTimedOut });
    });
  });
}

/**
 * Decodes `frames` frames of `url` with ffmpeg and counts them with `-f framemd5` (one line per decoded frame),
 * with `-xerror` so any decode error fails the run.
 */
export async function ffmpegDecode(
  url: string,
  transport: 'tcp' | 'udp',
  frames: number,
  timeoutMs = 30_000,
): Promise<{ run: PlayerRun; decodedFrames: number }> {
  const result = await run(
    'ffmpeg',
    [
      ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-xerror'],
      ...['-rtsp_transport', transport, '-i', url],
      ...['-frames:v', String(frames), '-f', 'framemd5', '-'],
    ],
    timeoutMs,
  );
  const decodedFrames = result.stdout.split('\n').filter((line) => line.startsWith('0,')).length;
  return { run: result, decodedFrames };
}
