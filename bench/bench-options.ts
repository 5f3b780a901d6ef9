// Command-line options of `npm run bench` (server-bench.ts).
import { parseArgs } from 'node:util';
import type { Scenario, ServerKind } from './bench-types.ts';
import { scenarios } from './scenarios.ts';

/** Not a load scenario: the viewer page over a shaped link between network namespaces (bench/link-bench.ts). */
export const SHAPED_LINK = 'shaped-link';

export const USAGE = `Usage: npm run bench -- [--quick] [--scenario NAME[,NAME…]] [--repeat N] [--server lancam|naive]
  --quick     3 s windows (13 s for "stalled") instead of 10 s (20 s)
  --scenario  run only these: ${[...scenarios(false).map((s) => s.name), SHAPED_LINK].join(', ')}
  --repeat N  run every scenario N times per server and report the median of each figure
  --server    load only one server (default: both, side by side)`;

export interface BenchOptions {
  readonly isQuick: boolean;
  readonly scenarios: readonly Scenario[];
  readonly isShapedLink: boolean;
  readonly repeat: number;
  readonly servers: readonly ServerKind[];
}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      repeat: { type: 'string', default: '1' },
      server: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const all = scenarios(values.quick);
  const wanted = (values.scenario ?? []).flatMap((s) => s.split(',')).filter(Boolean);
  const unknown = wanted.filter(
    (name) => name !== SHAPED_LINK && !all.some((s) => s.name === name),
  );
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  const repeat = Number(values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be ≥ 1\n${USAGE}`);
  const server = values.server;
  if (server !== undefined && server !== 'lancam' && server !== 'naive') {
    throw new Error(`--server must be lancam or naive\n${USAGE}`);
  }
  return {
    isQuick: values.quick,
    scenarios: wanted.length === 0 ? all : all.filter((s) => wanted.includes(s.name)),
    isShapedLink: wanted.length === 0 || wanted.includes(SHAPED_LINK),
    repeat,
    servers: server === undefined ? ['lancam', 'naive'] : [server],
  };
}
