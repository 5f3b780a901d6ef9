// Data shapes shared by the bench runner, the load-client process and the report.

export type ServerKind = 'lancam' | 'naive';

export type Resolution = '720p' | '480p';

export interface Scenario {
  /** Used by `--scenario NAME`. */
  readonly name: string;
  readonly label: string;
  readonly resolution: Resolution;
  /** Readers that take every byte as fast as they can. */
  readonly viewers: number;
  /** Sockets that send the request and never read. */
  readonly stalled: number;
  /** Readers limited to `throttleBytesPerSec`. */
  readonly throttled: number;
  readonly durationMs: number;
  /**
   * Keyless HTTP/1.0 requests sent while the viewers watch (the keyless-flood scenario). The window is then
   * the flood itself; `durationMs` is a quiet window before it, for the server's CPU at rest.
   */
  readonly floodRequests?: number;
}

/** What the keyless-flood scenario adds to a run. */
export interface FloodFigures {
  readonly requests: number;
  readonly durationMs: number;
  /** How the requests ended: by HTTP status ("401"), or "reset", "timeout", "error". */
  readonly outcomes: Readonly<Record<string, number>>;
  /** Longest time between two frames the watching viewer received during the flood; null if it got none. */
  readonly longestGapMs: number | null;
  /** The same viewer's longest gap in the quiet window before the flood. */
  readonly quietLongestGapMs: number | null;
  /** Server CPU in the quiet window, % of one core. */
  readonly quietCpuPercent: number;
}

/** What the runner asks the flood process to do (sent over the fork IPC channel). */
export interface FloodConfig {
  readonly port: number;
  readonly path: string;
  readonly requests: number;
  readonly concurrency: number;
  /** Source addresses, used in turn: several hostile hosts, each below the per-address socket cap. */
  readonly localAddresses: readonly string[];
}

export type FloodMessage =
  | {
      readonly type: 'done';
      readonly durationMs: number;
      readonly outcomes: Readonly<Record<string, number>>;
    }
  | { readonly type: 'failed'; readonly message: string };

/** What the runner asks the load-client process to do (sent over the fork IPC channel). */
export interface LoadConfig {
  readonly streamUrl: string;
  readonly viewers: number;
  readonly stalled: number;
  readonly throttled: number;
  readonly throttleBytesPerSec: number;
  /** Connect, then wait this long before the measurement window opens. */
  readonly warmupMs: number;
  readonly durationMs: number;
  readonly sourceFps: number;
}

/** Percentiles in milliseconds; null when there was no sample. */
export interface Spread {
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export interface LoadResult {
  readonly windowMs: number;
  /** Full-rate viewers that got a 200 and at least one frame. */
  readonly viewersConnected: number;
  /** Share (0–1) of full-rate viewers whose fps in the window was ≥ 95 % of the source fps. */
  readonly viewersAtRate: number;
  readonly fps: { readonly p50: number | null; readonly min: number | null };
  /** Publish (X-Timestamp) → last byte of the part received, full-rate viewers, in the window. */
  readonly latencyMs: Spread;
  /** Request sent → first complete part, all viewers connecting at once. */
  readonly firstFrameMs: Spread;
  readonly throttled: {
    readonly fps: number | null;
    /** Age (receipt − X-Timestamp) of the frames throttled readers got. */
    readonly frameAgeMs: Spread;
  };
  /** Every body byte every reader got in the window. */
  readonly bytesReceived: number;
  /** Viewers whose stream failed (HTTP status, parse error, reset before the end). */
  readonly errors: number;
  readonly firstError: string | null;
}

export type LoadMessage =
  | { readonly type: 'connecting' }
  | { readonly type: 'measuring' }
  | { readonly type: 'result'; readonly result: LoadResult }
  | { readonly type: 'failed'; readonly message: string };

/** One scenario against one server. */
export interface RunFigures {
  readonly server: ServerKind;
  readonly scenario: string;
  readonly load: LoadResult;
  /** Server CPU over the window, % of one core. */
  readonly cpuPercent: number;
  /** Server CPU seconds per GB delivered to readers in the window. */
  readonly cpuSecondsPerGb: number | null;
  /** Load-client CPU over the window, % of one core: near 100 means the client, not the server, limited. */
  readonly clientCpuPercent: number;
  readonly rssPeakMb: number;
  /** Peak RSS minus RSS just before the readers connected. */
  readonly rssGrowthMb: number;
  /** Stalled sockets only: seconds from connect until the server's viewer count no longer included them. */
  readonly stalledEvictedAfterS: number | null;
  /** Stalled sockets only: seconds from their last write progress seen in /status.json until evicted. */
  readonly stalledEvictedAfterProgressS: number | null;
  /** The keyless-flood scenario only. */
  readonly flood?: FloodFigures;
}
