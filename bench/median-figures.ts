// Folds the repeats of one scenario × server into one figure set: the median of every number.
import type { RunFigures } from './bench-types.ts';
import { median } from './sample-stats.ts';

export function medianFigures(runs: readonly RunFigures[]): RunFigures {
  const first = runs[0];
  if (!first) throw new Error('no runs to take a median of');
  return medianOf(runs) as RunFigures;
}

// Walks the first run's shape; numbers (or nulls) become medians, strings are taken from the first run.
function medianOf(values: readonly unknown[]): unknown {
  const sample = values.find((v) => v !== null);
  if (typeof sample === 'number' || sample === undefined) {
    return median(values.map((v) => (typeof v === 'number' ? v : null)));
  }
  if (typeof sample === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(sample)) {
      out[key] = medianOf(values.map((v) => (v as Record<string, unknown> | null)?.[key] ?? null));
    }
    return out;
  }
  return sample;
}
