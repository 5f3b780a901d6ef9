// Turns benchmark figures into the people-readable table and the LanCam/naive ratios.
import type { RunFigures, Scenario } from './bench-types.ts';

export interface Ratios {
  readonly scenario: string;
  readonly cpu: number | null;
  readonly rssPeak: number | null;
  readonly fpsP50: number | null;
  readonly latencyP50: number | null;
  readonly latencyP95: number | null;
  readonly latencyP99: number | null;
}

export function ratiosOf(scenario: string, lancam: RunFigures, naive: RunFigures): Ratios {
  return {
    scenario,
    cpu: ratio(lancam.cpuPercent, naive.cpuPercent),
    rssPeak: ratio(lancam.rssPeakMb, naive.rssPeakMb),
    fpsP50: ratio(lancam.load.fps.p50, naive.load.fps.p50),
    latencyP50: ratio(lancam.load.latencyMs.p50, naive.load.latencyMs.p50),
    latencyP95: ratio(lancam.load.latencyMs.p95, naive.load.latencyMs.p95),
    latencyP99: ratio(lancam.load.latencyMs.p99, naive.load.latencyMs.p99),
  };
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b === 0 ? null : a / b;
}

const HEADER = [
  'scenario',
  'server',
  '≥95% fps',
  'fps p50/min',
  'latency ms p50/p95/p99',
  '1st frame ms p50/p99/max',
  'CPU %',
  'core-s/GB',
  'RSS MB',
  'RSS +MB',
  'client CPU %',
  'notes',
];

export function renderTable(
  rows: readonly { scenario: Scenario; runs: readonly RunFigures[]; ratios: Ratios | null }[],
): string {
  const lines: string[][] = [HEADER];
  for (const { scenario, runs, ratios } of rows) {
    runs.forEach((run, i) => lines.push(runRow(i === 0 ? scenario.label : '', run)));
    if (ratios) lines.push(ratioRow(ratios));
  }
  const widths = HEADER.map((_, col) =>
    Math.max(...lines.map((cells) => (cells[col] ?? '').length)),
  );
  return lines
    .map((cells, row) => {
      const text = cells
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd();
      return row === 0 ? `${text}\n${'-'.repeat(text.length)}` : text;
    })
    .join('\n');
}

function runRow(label: string, run: RunFigures): string[] {
  const { load } = run;
  return [
    label,
    run.server,
    `${num(load.viewersAtRate * 100, 0)}%`,
    `${num(load.fps.p50, 1)}/${num(load.fps.min, 1)}`,
    [load.latencyMs.p50, load.latencyMs.p95, load.latencyMs.p99].map((v) => num(v, 1)).join('/'),
    [load.firstFrameMs.p50, load.firstFrameMs.p99, load.firstFrameMs.max]
      .map((v) => num(v, 0))
      .join('/'),
    num(run.cpuPercent, 0),
    num(run.cpuSecondsPerGb, 2),
    num(run.rssPeakMb, 0),
    num(run.rssGrowthMb, 0),
    num(run.clientCpuPercent, 0),
    notes(run),
  ];
}

function notes(run: RunFigures): string {
  const { load } = run;
  const out: string[] = [];
  if (run.scenario === 'stalled') {
    out.push(
      run.stalledEvictedAfterS === null
        ? 'stalled never evicted'
        : `stalled evicted ${num(run.stalledEvictedAfterS, 1)} s after connect` +
            (run.stalledEvictedAfterProgressS === null
              ? ''
              : `, ${num(run.stalledEvictedAfterProgressS, 1)} s after last write progress`),
    );
  }
  if (load.throttled.fps !== null) {
    out.push(
      `slow readers ${num(load.throttled.fps, 1)} fps, frame age p50 ${num(load.throttled.frameAgeMs.p50, 0)} ms, max ${num(load.throttled.frameAgeMs.max, 0)} ms`,
    );
  }
  if (run.flood) {
    const { flood } = run;
    const perSecond = flood.requests / (flood.durationMs / 1000);
    const outcomes = Object.entries(flood.outcomes)
      .map(([outcome, count]) => `${outcome}×${num(count, 0)}`)
      .join(' ');
    out.push(
      `${num(flood.requests, 0)} keyless requests in ${num(flood.durationMs / 1000, 1)} s (${num(perSecond, 0)}/s; ${outcomes}); ` +
        `longest frame gap ${num(flood.longestGapMs, 0)} ms (quiet ${num(flood.quietLongestGapMs, 0)} ms); ` +
        `CPU quiet ${num(flood.quietCpuPercent, 0)} %`,
    );
  }
  if (load.errors > 0) out.push(`${load.errors} reader errors (${load.firstError ?? '?'})`);
  return out.join('; ');
}

function ratioRow(r: Ratios): string[] {
  const x = (v: number | null): string => (v === null ? '–' : `${num(v, 2)}×`);
  return [
    '',
    'lancam/naive',
    '',
    x(r.fpsP50),
    [r.latencyP50, r.latencyP95, r.latencyP99].map(x).join('/'),
    '',
    x(r.cpu),
    '',
    x(r.rssPeak),
    '',
    '',
    '',
  ];
}

function num(value: number | null, digits: number): string {
  return value === null ? '–' : value.toFixed(digits);
}
