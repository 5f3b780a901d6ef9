// Builds the ServerStatus snapshot (status(), onStatus and /status.json) from the hub and the viewers.
import type { FrameHub } from './frame-hub.ts';
import type { RateMeter } from './rate-meter.ts';
import type { ServerState, ServerStatus } from '../types.ts';
import type { Viewer } from './viewer.ts';

export interface StatusSources {
  readonly hub: FrameHub;
  readonly viewers: Iterable<Viewer>;
  readonly viewerCount: number;
  readonly startedAtMs: number;
  readonly bytesOut: RateMeter;
}

export function buildStatus(sources: StatusSources, nowMs = Date.now()): ServerStatus {
  const { hub } = sources;
  const latest = hub.latest;
  const state: ServerState = hub.isPaused ? 'paused' : latest ? 'live' : 'waiting';
  return {
    state,
    sourceFps: Math.round(hub.sourceFps(nowMs) * 10) / 10,
    frame: latest
      ? { width: latest.width, height: latest.height, bytes: latest.jpeg.length }
      : null,
    uptimeMs: nowMs - sources.startedAtMs,
    rejectedFrames: hub.rejectedFrames,
    bytesPerSecondOut: Math.round(sources.bytesOut.rate(nowMs)),
    viewerCount: sources.viewerCount,
    viewers: Array.from(sources.viewers, (viewer) => viewer.stats(nowMs)),
  };
}
