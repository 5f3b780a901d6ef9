// The benchmark scenarios of issues 2 and 10 and their durations (normal and --quick).
import type { Scenario } from './bench-types.ts';

const SECOND = 1000;

export function scenarios(isQuick: boolean): Scenario[] {
  const normal = isQuick ? 3 * SECOND : 10 * SECOND;
  // Long enough in both modes to see a stalled viewer evicted (stallTimeoutMs defaults to 10 s).
  const stalled = isQuick ? 13 * SECOND : 20 * SECOND;
  const base = { stalled: 0, throttled: 0, durationMs: normal } as const;
  return [
    { ...base, name: '1x720p', label: '1 × 720p', resolution: '720p', viewers: 1 },
    { ...base, name: '50x720p', label: '50 × 720p', resolution: '720p', viewers: 50 },
    { ...base, name: '200x720p', label: '200 × 720p', resolution: '720p', viewers: 200 },
    { ...base, name: '1000x480p', label: '1000 × 480p', resolution: '480p', viewers: 1000 },
    {
      ...base,
      name: 'stalled',
      label: '50 + 5 stalled × 720p',
      resolution: '720p',
      viewers: 50,
      stalled: 5,
      durationMs: stalled,
    },
    {
      ...base,
      name: 'throttled',
      label: '50 + 5 @100 KiB/s × 720p',
      resolution: '720p',
      viewers: 50,
      throttled: 5,
    },
    {
      // Issue 10: 40 000 keyless HTTP/1.0 requests from a few LAN hosts while one viewer watches.
      ...base,
      name: 'keyless-flood',
      label: '1 × 720p + 40 000 keyless requests',
      resolution: '720p',
      viewers: 1,
      floodRequests: 40_000,
    },
  ];
}
