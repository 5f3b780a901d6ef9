// Builds the ServerStatus snapshot (status(), onStatus and /status.json) from the sources' hubs and the viewers.
import type { FrameHub } from './frame-hub.ts';
import type { RateMeter } from './rate-meter.ts';
import { sourcePaths, type SourceEntry } from './sources.ts';
import type { ServerState, ServerStatus, SourceStatus, ViewerStats } from '../types.ts';
import type { Viewer } from './viewer.ts';

export interface StatusInputs {
  /** Every source, source 1 first: the top-level figures are its own. */
  readonly sources: readonly SourceEntry[];
  readonly viewers: Iterable<Viewer>;
  readonly viewerCount: number;
  readonly startedAtMs: number;
  readonly bytesOut: RateMeter;
}

type HubFigures = Pick<SourceStatus, 'state' | 'sourceFps' | 'frame' | 'rejectedFrames'>;

function hubFigures(hub: FrameHub, nowMs: number): HubFigures {
  const latest = hub.latest;
  const state: ServerState = hub.isPaused ? 'paused' : latest ? 'live' : 'waiting';
  return {
    state,
    sourceFps: Math.round(hub.sourceFps(nowMs) * 10) / 10,
    frame: latest
      ? { width: latest.width, height: latest.height, bytes: latest.jpeg.length }
      : null,
    rejectedFrames: hub.rejectedFrames,
  };
}

export function buildSourceStatus(
  entry: SourceEntry,
  viewerCount: number,
  nowMs = Date.now(),
): SourceStatus {
  return {
    id: entry.id,
    name: entry.name,
    ...hubFigures(entry.hub, nowMs),
    viewerCount,
    paths: sourcePaths(entry.id),
  };
}

/** Viewers per source id, from stats that each name their source. */
export function countBySource(viewers: readonly ViewerStats[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { sourceId = 1 } of viewers) counts.set(sourceId, (counts.get(sourceId) ?? 0) + 1);
  return counts;
}

export function buildStatus(inputs: StatusInputs, nowMs = Date.now()): ServerStatus {
  const [main] = inputs.sources;
  if (main === undefined) throw new Error('a status needs source 1');
  const viewers = Array.from(inputs.viewers, (viewer) => viewer.stats(nowMs));
  const counts = countBySource(viewers);
  return {
    ...hubFigures(main.hub, nowMs),
    uptimeMs: nowMs - inputs.startedAtMs,
    bytesPerSecondOut: Math.round(inputs.bytesOut.rate(nowMs)),
    viewerCount: inputs.viewerCount,
    viewers,
    sources: inputs.sources.map((entry) =>
      buildSourceStatus(entry, counts.get(entry.id) ?? 0, nowMs),
    ),
  };
}
