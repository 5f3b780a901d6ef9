// Fresh frames on real slow links, not loopback: LanCam's viewer page in Chromium in one network namespace, the
// server in another, the link between them shaped to 4 and 1 Mbit/s, 20 healthy viewers next to the server; JPEG
// on the channel, and H.264 through MSE on the plain-http page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hasChromium } from '../helpers/chromium.ts';
import { ensureIndexedFrames, type IndexedFrameSet } from '../helpers/indexed-frames.ts';
import { createShapedLink, namespacesUnavailable, type ShapedLink } from '../helpers/netns.ts';
import {
  measurePageOverLink,
  percentile,
  type LinkResult,
  type LinkRun,
} from './page-over-link.ts';

const unavailable = namespacesUnavailable() ?? (hasChromium() ? null : 'no Chromium');
if (unavailable) console.log(`# SKIP shaped-link tests: ${unavailable}`);

function describeResult(label: string, result: LinkResult): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const slowest = Math.min(...result.unshapedFps);
  return (
    `${label}: age p50 ${s(percentile(result.agesMs, 0.5))} s, p95 ${s(percentile(result.agesMs, 0.95))} s, ` +
    `${result.shownPerSecond.toFixed(1)} new frames/s; source ${result.sourceFps.toFixed(1)} fps, ` +
    `slowest unshaped viewer ${slowest.toFixed(1)} fps`
  );
}

describe('viewer page over a shaped link', { skip: unavailable ?? false }, () => {
  let link: ShapedLink;
  let frames: IndexedFrameSet;
  before(() => {
    frames = ensureIndexedFrames();
    link = createShapedLink();
  });
  after(() => {
    link.close();
  });

  const base = { seconds: 10, unshapedViewers: 20 } as const;

  function assertHealthyViewersKeptUp(result: LinkResult): void {
    assert.equal(result.unshapedErrors, 0);
    assert.equal(result.unshapedFps.length, base.unshapedViewers - 1);
    for (const fps of result.unshapedFps) {
      assert.ok(fps >= 0.95 * result.sourceFps, `an unshaped viewer got ${fps.toFixed(1)} fps`);
    }
  }

  test('4 Mbit/s: the picture is under a second old, several new frames a second', async () => {
    const run: LinkRun = { ...base, rateKbit: 4000, viewer: 'channel' };
    const result = await measurePageOverLink(link, frames, run);
    console.log(
      `# ${describeResult(`4 Mbit/s, ${(frames.meanBytes / 1000).toFixed(0)} KB frames, channel`, result)}`,
    );
    assert.ok(result.agesMs.length >= 50, 'the page was sampled throughout');
    assert.ok(percentile(result.agesMs, 0.5) <= 1000, 'p50 age ≤ 1.0 s');
    assert.ok(percentile(result.agesMs, 0.95) <= 2000, 'p95 age ≤ 2.0 s');
    assert.ok(result.shownPerSecond >= 2, '≥ 2 new frames per second');
    assertHealthyViewersKeptUp(result);
  });

  test('1 Mbit/s: p50 ≤ 1.5 s, p95 ≤ 2.5 s', async () => {
    // 20 s: at 1 Mbit/s a frame takes ~0.8 s to cross, so a 10 s window holds only a dozen frames and one slow
    // one moves the p95. The issue's p95 ≤ 2.0 s is the benchmark's target (npm run bench -- --scenario
    // shaped-link, medians of runs); one run here on a busy machine lands at 1.6–2.2 s, so the test's bound
    // leaves room for that and still fails the multipart fallback (~7 s) and the naive server (~15 s).
    const result = await measurePageOverLink(link, frames, {
      ...base,
      seconds: 20,
      rateKbit: 1000,
      viewer: 'channel',
    });
    console.log(`# ${describeResult('1 Mbit/s, channel', result)}`);
    assert.ok(result.agesMs.length >= 50);
    assert.ok(percentile(result.agesMs, 0.5) <= 1500, 'p50 age ≤ 1.5 s');
    assert.ok(percentile(result.agesMs, 0.95) <= 2500, 'p95 age ≤ 2.5 s');
    assertHealthyViewersKeptUp(result);
  });

  test('4 Mbit/s, plain http, H.264 source: the page plays it through MSE, the picture under a second old', async () => {
    const result = await measurePageOverLink(link, frames, {
      ...base,
      rateKbit: 4000,
      viewer: 'channel-h264-mse',
    });
    console.log(
      `# ${describeResult('4 Mbit/s, H.264 through MSE', result)}, ` +
        `${(result.linkBytesPerSecond / 1000).toFixed(0)} KB/s on the link`,
    );
    assert.equal(result.pageCodec, 'h264/mse', 'the insecure page played H.264 through MSE');
    assert.ok(result.agesMs.length >= 50, 'the page was sampled throughout');
    assert.ok(percentile(result.agesMs, 0.5) <= 1000, 'p50 age ≤ 1.0 s');
    assert.ok(percentile(result.agesMs, 0.95) <= 2000, 'p95 age ≤ 2.0 s');
    // The page is sampled about every 100 ms, so ~9/s is the most this can count.
    assert.ok(result.shownPerSecond >= 5, '≥ 5 new frames per second');
    assertHealthyViewersKeptUp(result);
  });

  test('for comparison: the multipart <img> fallback on the same 4 Mbit/s link', async () => {
    const result = await measurePageOverLink(link, frames, {
      ...base,
      rateKbit: 4000,
      viewer: 'multipart',
    });
    console.log(`# ${describeResult('4 Mbit/s, multipart <img> fallback', result)}`);
    // Printed, not bounded: without acknowledgements the kernel's send buffer holds seconds of video.
    assert.ok(result.agesMs.length >= 50, 'the fallback shows a picture too');
    assertHealthyViewersKeptUp(result);
  });
});
