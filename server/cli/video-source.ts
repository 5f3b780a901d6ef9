// H.264 for `lancam serve --video FILE`: loads an MP4 (avc1 track) or an Annex B `.h264` file and replays its
// access units in a loop in real time, with its own keyframes, as the renderer's encoder would publish them.
import { readFile } from 'node:fs/promises';
import { splitAccessUnits } from '../video/access-units.ts';
import { readMp4H264 } from '../video/mp4-h264.ts';
import type { VideoChunk } from '../types.ts';
import { UsageError } from './frame-source.ts';

export interface VideoClip {
  readonly units: readonly { readonly data: Uint8Array; readonly isKey: boolean }[];
  readonly frameDurationUs: number;
}

const isMp4 = (bytes: Buffer): boolean =>
  bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp';

/** `fps` is the rate for Annex B files, which carry no timing; MP4 files bring their own. */
export async function loadVideoFile(file: string, fps: number): Promise<VideoClip> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read video ${file}: ${(error as Error).message}`);
  }
  let clip: VideoClip;
  try {
    if (isMp4(bytes)) {
      const track = readMp4H264(bytes);
      const totalUs = track.samples.reduce((sum, sample) => sum + sample.durationUs, 0);
      clip = { units: track.samples, frameDurationUs: totalUs / Math.max(1, track.samples.length) };
    } else {
      clip = { units: splitAccessUnits(bytes), frameDurationUs: 1_000_000 / fps };
    }
  } catch (error) {
    throw new UsageError(`${file} is not a readable H.264 MP4: ${(error as Error).message}`);
  }
  const first = clip.units.findIndex((unit) => unit.isKey);
  if (first < 0) throw new UsageError(`${file} has no H.264 keyframe`);
  // Start on a keyframe so every loop is decodable from its first unit.
  return { ...clip, units: clip.units.slice(first) };
}

/**
 * Publishes the clip's access units at its frame rate, against the clock, looping with timestamps that keep
 * increasing. Returns a function that stops the loop.
 */
export function startVideoLoop(clip: VideoClip, publish: (chunk: VideoChunk) => void): () => void {
  const intervalMs = clip.frameDurationUs / 1000;
  const startMs = performance.now();
  let index = 0;
  let timer: NodeJS.Timeout | null = null;
  const tick = (): void => {
    const unit = clip.units[index % clip.units.length];
    if (unit) {
      publish({
        data: unit.data,
        isKey: unit.isKey,
        timestampUs: Math.round(index * clip.frameDurationUs),
        durationUs: Math.round(clip.frameDurationUs),
      });
    }
    index += 1;
    const nowMs = performance.now();
    timer = setTimeout(tick, Math.max(0, startMs + index * intervalMs - nowMs));
  };
  tick();
  return () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
}
