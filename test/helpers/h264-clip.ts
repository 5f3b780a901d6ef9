// H.264 test clips made at test time with ffmpeg/libx264 (never committed): an MP4 and the same stream as
// Annex B, plus loading them into access units and a paced publisher into a running server.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadVideoFile, startVideoLoop, type VideoClip } from '../../server/cli/video-source.ts';
import type { BroadcastServer } from '../../server/types.ts';

export interface ClipSpec {
  readonly size?: string;
  readonly fps?: number;
  readonly seconds?: number;
  /** Target bitrate, e.g. '2500k'; default libx264's CRF. */
  readonly bitrate?: string;
  /** Keyframe interval in frames (default 30). */
  readonly gop?: number;
  /** Add temporal noise, so the stream has a realistic size for its resolution. */
  readonly noise?: boolean;
  /** Constant quality instead of a bitrate; a low value with noise makes a huge stream that fills buffers fast. */
  readonly crf?: number;
}

export interface ClipFiles {
  readonly mp4: string;
  readonly annexB: string;
  readonly frames: number;
}

/** Baseline profile, no B-frames: what WebCodecs' realtime encoder produces. Cached in the OS temp dir. */
export function makeH264Clip(spec: ClipSpec = {}): ClipFiles {
  const size = spec.size ?? '320x240';
  const fps = spec.fps ?? 30;
  const seconds = spec.seconds ?? 4;
  const gop = spec.gop ?? 30;
  const name = `lancam-h264-${size}-${fps}-${seconds}-${gop}-${spec.bitrate ?? `crf${spec.crf ?? ''}`}-${spec.noise ? 'n' : 'c'}-v1`;
  const dir = path.join(tmpdir(), 'lancam-h264');
  mkdirSync(dir, { recursive: true });
  const mp4 = path.join(dir, `${name}.mp4`);
  const annexB = path.join(dir, `${name}.h264`);
  if (!existsSync(mp4) || !existsSync(annexB)) {
    const partial = `${mp4}.${process.pid}.partial.mp4`;
    const rate = spec.bitrate
      ? ['-b:v', spec.bitrate, '-maxrate', spec.bitrate, '-bufsize', spec.bitrate]
      : spec.crf !== undefined
        ? ['-crf', String(spec.crf), '-preset', 'ultrafast']
        : [];
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
      ...['-i', `testsrc2=size=${size}:rate=${fps}`, '-t', String(seconds)],
      ...(spec.noise ? ['-vf', 'noise=alls=20:allf=t'] : []),
      ...['-c:v', 'libx264', '-profile:v', 'baseline', '-g', String(gop), '-bf', '0'],
      ...['-pix_fmt', 'yuv420p', ...rate, partial],
    ]);
    const partialAnnexB = `${annexB}.${process.pid}.partial`;
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-i', partial],
      ...['-c', 'copy', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', partialAnnexB],
    ]);
    // Renamed into place, so parallel test files never read a half-written clip.
    renameSync(partialAnnexB, annexB);
    renameSync(partial, mp4);
  }
  return { mp4, annexB, frames: fps * seconds };
}

export function loadClip(file: string, fps = 30): Promise<VideoClip> {
  return loadVideoFile(file, fps);
}

/** Publishes the clip into the server in real time, looping, as `lancam serve --video` does. */
export function startVideoPublisher(server: BroadcastServer, clip: VideoClip): () => void {
  return startVideoLoop(clip, (chunk) => server.publishVideo(chunk));
}

/** The share URL for a loopback test server. */
export function rtspUrl(
  server: BroadcastServer,
  options: { key?: string | null; path?: string } = {},
): string {
  const key = options.key === undefined ? server.key : options.key;
  const userInfo = key === null ? '' : `viewer:${encodeURIComponent(key)}@`;
  return `rtsp://${userInfo}127.0.0.1:${server.rtspPort ?? 0}${options.path ?? '/live'}`;
}
