// `npm run bench`: LanCam's `lancam serve` and a naive Koa baseline under the same loads, side by side.
// `npm run bench -- --quick` for 3 s windows, `--scenario 200x720p` for one, `--repeat 3` for medians of 3 runs
// (this machine is shared and noisy: single runs of the heavy scenarios vary by ±20 %), `--help` for the rest.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseBenchOptions } from './bench-options.ts';
import { renderLinkTable, runLinkBench } from './link-bench.ts';
import type { Resolution, RunFigures, ServerKind } from './bench-types.ts';
import { ensureIndexedFrames } from '../test/helpers/indexed-frames.ts';
import { ensureFrames, type FrameSet } from './frames.ts';
import { medianFigures } from './median-figures.ts';
import { ratiosOf, renderTable, type Ratios } from './report.ts';
import { runFlood } from './run-flood.ts';
import { runScenario } from './run-scenario.ts';
import { serverEntry } from './server-process.ts';

const FPS = 30;
const resultsDir = path.join(import.meta.dirname, 'results');

const options = parseBenchOptions(process.argv.slice(2));
if (options.servers.includes('lancam') && !existsSync(serverEntry.lancam)) {
  throw new Error(
    `${serverEntry.lancam} is missing: run \`node build/bundle.mjs --only cli\` first`,
  );
}
const openFiles = fileLimit();
const warmupMs = options.isQuick ? 1000 : 2000;
// Hex: a base64url key may start with '-', which parseArgs would read as an option after --key.
const key = randomBytes(16).toString('hex');

const frames = new Map<Resolution, FrameSet>();
for (const resolution of new Set(options.scenarios.map((s) => s.resolution))) {
  const set = await ensureFrames(path.join(resultsDir, 'frames'), resolution);
  frames.set(resolution, set);
  log(`frames ${resolution}: ${set.count} × ${(set.meanBytes / 1000).toFixed(0)} KB in ${set.dir}`);
}

const rows: {
  scenario: (typeof options.scenarios)[number];
  runs: RunFigures[];
  ratios: Ratios | null;
}[] = [];
for (const scenario of options.scenarios) {
  const needed = 2 * (scenario.viewers + scenario.stalled + scenario.throttled) + 200;
  if (openFiles !== null && openFiles < needed) {
    log(
      `skipping ${scenario.name}: ulimit -n is ${openFiles}, it needs ≈ ${needed} (raise it: ulimit -n ${needed})`,
    );
    continue;
  }
  const set = frames.get(scenario.resolution);
  if (!set) continue;
  // Repeats alternate between the servers, so a burst of noise on this shared machine hits both alike.
  const repeats = new Map<ServerKind, RunFigures[]>(options.servers.map((s) => [s, []]));
  for (let i = 0; i < options.repeat; i++) {
    for (const server of options.servers) {
      log(
        `${scenario.label} · ${server}${options.repeat > 1 ? ` · run ${i + 1}/${options.repeat}` : ''}`,
      );
      const settings = { framesDir: set.dir, fps: FPS, key, warmupMs };
      const figures = scenario.floodRequests
        ? await runFlood(server, scenario, settings)
        : await runScenario(server, scenario, settings);
      repeats.get(server)?.push(figures);
    }
  }
  const runs = [...repeats.values()].map((list) => medianFigures(list));
  const [lancam, naive] = [
    runs.find((r) => r.server === 'lancam'),
    runs.find((r) => r.server === 'naive'),
  ];
  rows.push({
    scenario,
    runs,
    ratios: lancam && naive ? ratiosOf(scenario.name, lancam, naive) : null,
  });
}

const shapedLink = options.isShapedLink ? await runLinkBench(options, log) : null;

const summary = {
  bench: 'lancam-server',
  date: new Date().toISOString(),
  host: { cpus: os.cpus().length, node: process.version },
  quick: options.isQuick,
  repeat: options.repeat,
  sourceFps: FPS,
  frames: Object.fromEntries(
    [...frames].map(([res, set]) => [
      res,
      { count: set.count, meanBytes: Math.round(set.meanBytes) },
    ]),
  ),
  scenarios: rows.map(({ scenario, runs, ratios }) => ({ ...scenario, runs, ratios })),
  shapedLink,
};
await mkdir(resultsDir, { recursive: true });
const file = path.join(resultsDir, `server-bench-${summary.date.replace(/[:.]/g, '-')}.json`);
await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);

console.log();
if (rows.length > 0) console.log(renderTable(rows));
if (shapedLink) {
  console.log();
  console.log(renderLinkTable(shapedLink, ensureIndexedFrames().meanBytes / 1000));
}
console.log();
console.log(
  `Source ${FPS} fps. Latency: X-Timestamp → part received; 1st frame: all viewers connect at once. CPU: server, % of one core over the window; core-s/GB: server CPU seconds per GB delivered. RSS +MB: peak minus before readers connected. ${options.repeat > 1 ? `Medians of ${options.repeat} runs.` : 'One run each; --repeat N gives medians.'}`,
);
console.log(`Results: ${path.relative(process.cwd(), file)}`);
console.log(JSON.stringify(summary));

function fileLimit(): number | null {
  try {
    const text = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return text === 'unlimited' ? null : Number(text);
  } catch {
    return null;
  }
}

function log(message: string): void {
  console.error(`[bench] ${message}`);
}
