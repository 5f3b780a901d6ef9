// What the registry, the status and the upkeep timer need from any live viewer, whatever its protocol.
import type { ViewerStats } from '../types.ts';

export interface Viewer {
  readonly id: number;
  /** The source it watches (1 … MAX_SOURCES). */
  readonly sourceId: number;
  /** Periodic upkeep from the registry's single timer (stall eviction, keep-alives). */
  tick(nowMs: number): void;
  /** Ends the stream cleanly (server closing, or viewers told to reconnect). */
  end(): void;
  stats(nowMs: number): ViewerStats;
}
