// The shaped-link scenario of `npm run bench`: what a viewer page on a 4 and a 1 Mbit/s link sees (age of the
// picture, new frames per second, bytes on the link) with LanCam's acknowledged channel carrying JPEG or H.264
// (WebCodecs in a secure context, MSE on plain http), LanCam's multipart <img> fallback, and a plain <img> on the
// naive baseline, measured in the same run (test/links/page-over-link.ts does the measuring).
import { ensureIndexedFrames } from '../test/helpers/indexed-frames.ts';
import { createShapedLink, namespacesUnavailable } from '../test/helpers/netns.ts';
import { measurePageOverLink, percentile, type LinkRun } from '../test/links/page-over-link.ts';

export interface LinkBenchRow {
  readonly viewer: LinkRun['viewer'];
  readonly rateKbit: number;
  readonly ageP50S: number;
  readonly ageP95S: number;
  readonly shownPerSecond: number;
  readonly slowestUnshapedFps: number;
  readonly sourceFps: number;
  /** What the page played ('h264/webcodecs', 'h264/mse', 'jpeg'), or null for the multipart and naive pages. */
  readonly pageCodec: string | null;
  /** Server → viewer bytes per second on the shaped link, headers included. */
  readonly linkBytesPerSecond: number;
}

const median = (values: readonly number[]): number => percentile(values, 0.5);

/** Null (with the reason logged) where network namespaces cannot be made. */
export async function runLinkBench(
  options: { repeat: number; isQuick: boolean },
  log: (message: string) => void,
): Promise<LinkBenchRow[] | null> {
  const unavailable = namespacesUnavailable();
  if (unavailable) {
    log(`skipping shaped-link: ${unavailable}`);
    return null;
  }
  const frames = ensureIndexedFrames();
  const link = createShapedLink();
  const rows: LinkBenchRow[] = [];
  try {
    const viewers: LinkRun['viewer'][] = [
      'channel',
      'channel-h264',
      'channel-h264-mse',
      'multipart',
      'naive-img',
    ];
    for (const rateKbit of [4000, 1000]) {
      const runs = new Map<LinkRun['viewer'], LinkBenchRow[]>(viewers.map((v) => [v, []]));
      for (let i = 0; i < options.repeat; i++) {
        for (const viewer of viewers) {
          log(`shaped link ${rateKbit / 1000} Mbit/s · ${viewer} · run ${i + 1}/${options.repeat}`);
          let result;
          try {
            result = await measurePageOverLink(link, frames, {
              rateKbit,
              viewer,
              seconds: options.isQuick ? 6 : 12,
              unshapedViewers: 20,
            });
          } catch (error) {
            // One failed measurement must not lose the whole benchmark's figures.
            log(`shaped link ${rateKbit / 1000} Mbit/s · ${viewer}: failed: ${String(error)}`);
            continue;
          }
          runs.get(viewer)?.push({
            viewer,
            rateKbit,
            ageP50S: percentile(result.agesMs, 0.5) / 1000,
            ageP95S: percentile(result.agesMs, 0.95) / 1000,
            shownPerSecond: result.shownPerSecond,
            slowestUnshapedFps: Math.min(...result.unshapedFps),
            sourceFps: result.sourceFps,
            pageCodec: result.pageCodec,
            linkBytesPerSecond: result.linkBytesPerSecond,
          });
        }
      }
      for (const viewer of viewers) {
        const list = runs.get(viewer) ?? [];
        if (list.length === 0) continue;
        rows.push({
          viewer,
          rateKbit,
          ageP50S: median(list.map((r) => r.ageP50S)),
          ageP95S: median(list.map((r) => r.ageP95S)),
          shownPerSecond: median(list.map((r) => r.shownPerSecond)),
          slowestUnshapedFps: median(list.map((r) => r.slowestUnshapedFps)),
          sourceFps: median(list.map((r) => r.sourceFps)),
          pageCodec: list[0]?.pageCodec ?? null,
          linkBytesPerSecond: median(list.map((r) => r.linkBytesPerSecond)),
        });
      }
    }
  } finally {
    link.close();
  }
  return rows;
}

export function renderLinkTable(rows: readonly LinkBenchRow[], meanFrameKb: number): string {
  const names: Record<LinkRun['viewer'], string> = {
    channel: 'LanCam viewer page (channel)',
    'channel-h264': 'LanCam viewer page (channel, H.264 source, secure context)',
    'channel-h264-mse': 'LanCam viewer page (channel, H.264 source, plain http)',
    multipart: 'LanCam multipart <img> fallback',
    'naive-img': 'naive baseline, <img>',
  };
  const lines = [
    `Shaped link, ${meanFrameKb.toFixed(0)} KB 720p frames at 30 fps, 20 unshaped viewers beside the server:`,
    '| link | viewer | age p50 / p95 s | new frames/s | link KB/s | slowest unshaped viewer fps |',
    '|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    lines.push(
      `| ${row.rateKbit / 1000} Mbit/s | ${names[row.viewer]}${row.pageCodec ? ` (played ${row.pageCodec})` : ''} | ${row.ageP50S.toFixed(2)} / ` +
        `${row.ageP95S.toFixed(2)} | ${row.shownPerSecond.toFixed(1)} | ` +
        `${(row.linkBytesPerSecond / 1000).toFixed(0)} | ` +
        `${row.slowestUnshapedFps.toFixed(1)} of ${row.sourceFps.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}
