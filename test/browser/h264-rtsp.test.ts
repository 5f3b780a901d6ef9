// The real control window in Chromium with the fake camera → WebCodecs H.264 in the capture worker → the
// bridge and main's video gate → the RTSP server → ffmpeg and a raw RTSP client. Proves issue 11 §7 for the
// renderer: decodes at the camera's size, a keyframe on demand for each new client, no encodes while idle.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { ffmpegDecode, hasBinary } from '../helpers/players.ts';
import { RtspTestClient } from '../helpers/rtsp-client.ts';
import { sleep, waitFor } from '../helpers/wait.ts';
import { TestBridge, testKey } from './support/test-bridge.ts';

const NAL_SPS = 7;
const NAL_IDR = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Connect → DESCRIBE/SETUP/PLAY → the first access unit that opens with SPS or an IDR: a decodable frame. */
async function timeToFirstKeyframeMs(
  port: number,
  url: string,
  key: string,
): Promise<{ ms: number; client: RtspTestClient }> {
  const started = Date.now();
  const client = await RtspTestClient.connect(port, { userAgent: 'lancam-test first-frame' });
  await client.play(url, key);
  await waitFor('a keyframe on the new RTSP client', () =>
    client.unitFirstNalTypes.some((type) => type === NAL_SPS || type === NAL_IDR),
  );
  const index = client.unitFirstNalTypes.findIndex((t) => t === NAL_SPS || t === NAL_IDR);
  const arrivedAt = client.unitTimesMs[index] ?? Date.now();
  return { ms: arrivedAt - started, client };
}

describe(
  'H.264 from the control window over RTSP (Chromium + fake camera + WebCodecs + real server)',
  { skip: (!hasChromium() && 'no Chromium') || (!hasBinary('ffmpeg') && 'no ffmpeg') },
  () => {
    let browser: Browser;
    let bridge: TestBridge;
    let page: Page;
    const pageErrors: Error[] = [];

    const rtsp = (): { url: string; port: number; key: string } => {
      const status = bridge.main.broadcast.status();
      const url = status.rtspUrls[0];
      assert.ok(url, 'main lists an RTSP URL while live');
      assert.ok(status.rtspPort !== null && status.key !== null);
      // The URL carries viewer:KEY@; the raw client sends the key itself.
      const bare = new URL(url);
      bare.username = '';
      bare.password = '';
      return { url: bare.toString(), port: status.rtspPort, key: status.key };
    };

    before(async () => {
      const clip = await fakeCameraFile({ width: 1280, height: 720 });
      browser = await launchChromium({ fakeCamera: clip });
      bridge = new TestBridge({ settings: { resolution: '720p', fps: 30, jpegQuality: 0.8 } });
      page = await bridge.open(browser);
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.locator('#toggle').click();
      await waitFor(
        'live state',
        async () => (await page.locator('#state').getAttribute('data-state')) === 'live',
      );
      await waitFor('the first JPEG frame', () => bridge.frames.length > 0);
    });

    after(async () => {
      await bridge.close();
      await browser.close();
    });

    it('the Share card lists the RTSP URL and NVR settings, key masked, copies with the key', async () => {
      const block = page.locator('#video-share');
      await waitFor('the RTSP disclosure', () => block.isVisible());
      await block.locator('summary').click();
      const texts = await page.locator('#video-lines code').allTextContents();
      const rtspPort = bridge.main.broadcast.status().rtspPort;
      assert.ok(texts.length >= 8, texts.join('\n'));
      assert.equal(texts[0], `rtsp://viewer:••••••••@127.0.0.1:${rtspPort}/live`);
      assert.ok(
        texts.every((text) => !text.includes(testKey)),
        'the key never shows',
      );
      const labels = await page.locator('#video-lines .line-label').allTextContents();
      for (const app of ['Home Assistant', 'Frigate', 'go2rtc', 'Synology', 'Blue Iris', 'VLC'])
        assert.ok(
          labels.some((label) => label.includes(app)),
          `${app} in ${labels.join(', ')}`,
        );
      await page.getByRole('button', { name: 'Copy RTSP URL line' }).click();
      await waitFor('the copy', () => bridge.copied.length > 0);
      assert.equal(bridge.copied.at(-1), `rtsp://viewer:${testKey}@127.0.0.1:${rtspPort}/live`);
      assert.equal(await page.locator('#video-share-note').isHidden(), true);
    });

    it('encodes no H.264 while no H.264 consumer is connected', async () => {
      await sleep(3000);
      assert.equal(bridge.main.broadcast.status().videoConsumers, 0);
      assert.equal(
        bridge.videoChunks.length,
        0,
        'no chunk crossed the bridge while nobody consumed',
      );
      assert.ok(bridge.frames.length > 0, 'the JPEG path kept running meanwhile');
    });

    it('ffmpeg decodes ≥ 30 frames of rtsp://…/live at the camera size (1280x720)', async () => {
      const url = bridge.main.broadcast.status().rtspUrls[0];
      assert.ok(url);
      assert.match(url, /^rtsp:\/\/viewer:[^@]+@127\.0\.0\.1:\d+\/live$/);
      const { run, decodedFrames } = await ffmpegDecode(url, 'tcp', 30, 60_000);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(decodedFrames, 30, run.stderr);
      assert.match(run.stdout, /#dimensions 0: 1280x720/);
      assert.equal(run.stderr.trim(), '', 'ffmpeg decoded without a single error');
      const status = bridge.main.broadcast.status();
      const videoRejects = Object.entries(status.rejectedByReason).filter(([reason]) =>
        reason.startsWith('video-'),
      );
      assert.deepEqual(videoRejects, [], 'every chunk the renderer sent passed main and the hub');
      const keys = bridge.videoChunks.filter((chunk) => chunk.isKey);
      assert.ok(bridge.videoChunks[0]?.isKey, 'the first chunk is a keyframe');
      assert.ok(keys.length >= 1);
    });

    it('stops encoding H.264 once the last consumer has left', async () => {
      await waitFor('no H.264 consumer', () => bridge.main.broadcast.status().videoConsumers === 0);
      await sleep(1500); // the status push reaches the page, the worker drops the encoder's input
      const count = bridge.videoChunks.length;
      await sleep(2500);
      assert.equal(bridge.videoChunks.length, count, 'no chunk after the last consumer left');
    });

    it('with only an RTSP client: H.264 at the frame rate, JPEG once a second for the snapshot', async () => {
      const { url, port, key } = rtsp();
      const client = await RtspTestClient.connect(port, { userAgent: 'lancam-test rtsp-only' });
      try {
        await client.play(url, key);
        await waitFor('H.264 flowing', () => client.accessUnits > 10, 15_000);
        await sleep(1000);
        const from = Date.now();
        const unitsBefore = client.accessUnits;
        await sleep(4000);
        const seconds = (Date.now() - from) / 1000;
        const jpegPerSecond = bridge.frames.filter((f) => f.receivedAtMs >= from).length / seconds;
        const unitsPerSecond = (client.accessUnits - unitsBefore) / seconds;
        console.log(
          `RTSP only: ${unitsPerSecond.toFixed(1)} H.264 access units/s, ${jpegPerSecond.toFixed(2)} JPEG/s`,
        );
        assert.deepEqual(
          bridge.main.broadcast.status().viewers.map((viewer) => viewer.protocol),
          ['rtsp'],
          'the RTSP client is the only one watching: no JPEG viewer',
        );
        // Generous bounds for a busy 2-core machine: the point is the ratio, 30 fps target vs 1 fps.
        assert.ok(unitsPerSecond >= 10, `H.264 at ${unitsPerSecond.toFixed(1)} access units/s`);
        assert.ok(jpegPerSecond <= 1.5, `JPEG at ${jpegPerSecond.toFixed(2)} frames/s`);
        assert.ok(jpegPerSecond > 0, 'the snapshot stays fresh');
      } finally {
        client.close();
      }
    });

    it('the bitrate setting reaches the encoder: 0.5 Mbit/s at 720p30 gives a fraction of the default', async () => {
      await page.locator('#bitrate').fill('0.5');
      await waitFor('the saved bitrate', () => bridge.settings.h264BitrateMbps === 0.5);
      const { url, port, key } = rtsp();
      const client = await RtspTestClient.connect(port, { userAgent: 'lancam-test bitrate' });
      try {
        await client.play(url, key);
        await waitFor('H.264 flowing', () => client.accessUnits > 10, 15_000);
        await sleep(2000); // the rate control settles after the keyframe
        const bytesBefore = client.bytes;
        const from = Date.now();
        await sleep(4000);
        const mbps = ((client.bytes - bytesBefore) * 8) / 1e6 / ((Date.now() - from) / 1000);
        console.log(`bitrate setting 0.5 Mbit/s: ${mbps.toFixed(2)} Mbit/s on the wire`);
        // The default gives ~2.2-2.5 Mbit/s here (bench:capture). OpenH264 overshoots low targets on the noisy
        // fake-camera clip (~1.1 Mbit/s seen), so the bound only separates "lowered" from "default".
        assert.ok(mbps < 1.7, `${mbps.toFixed(2)} Mbit/s`);
        assert.ok(mbps > 0.1, 'still a stream');
      } finally {
        client.close();
        await page.locator('#bitrate').fill('2.5');
      }
    });

    it('a new RTSP client gets a decodable frame within 0.5 s (keyframe on demand)', async () => {
      const { url, port, key } = rtsp();
      // A first client starts the encoder (that start-up is not what a joining client waits for).
      const first = await timeToFirstKeyframeMs(port, url, key);
      const joins: number[] = [];
      try {
        for (let i = 0; i < 5; i += 1) {
          // Joins at odd moments of the 2 s GOP: without a keyframe on demand they would wait ~1 s.
          await sleep(300 + i * 370);
          const requestsBefore = bridge.keyframeRequests;
          const join = await timeToFirstKeyframeMs(port, url, key);
          join.client.close();
          joins.push(join.ms);
          assert.ok(bridge.keyframeRequests > requestsBefore, 'main asked the renderer');
        }
      } finally {
        first.client.close();
      }
      console.log(
        `RTSP first keyframe: first client (encoder start) ${first.ms} ms; joins ${joins.join(', ')} ms; median ${median(joins)} ms`,
      );
      // Generous per join (a busy 2-core machine), the target on the median: on demand, not the next GOP.
      for (const ms of joins) assert.ok(ms < 1500, `a join waited ${ms} ms`);
      assert.ok(median(joins) < 500, `median time to the first keyframe ${median(joins)} ms`);
      assert.deepEqual(pageErrors, []);
    });
  },
);

describe(
  'no H.264 encoder: the control window says so, MJPEG unaffected',
  { skip: !hasChromium() && 'no Chromium' },
  () => {
    let browser: Browser;
    let bridge: TestBridge;

    before(async () => {
      browser = await launchChromium({ fakeCamera: true });
    });
    after(async () => {
      await bridge.close();
      await browser.close();
    });

    it('shows the plain message instead of RTSP lines and keeps sending JPEG frames', async () => {
      bridge = new TestBridge({ settings: { resolution: '480p', fps: 15 } });
      const context = await browser.newContext();
      // A platform without WebCodecs encoding (older WebViews, some Linux builds): gone before any script runs.
      await context.addInitScript(() => {
        Reflect.deleteProperty(globalThis, 'VideoEncoder');
      });
      const page = await bridge.open(browser, context);
      await page.locator('#toggle').click();
      await waitFor('the first JPEG frame', () => bridge.frames.length > 0);
      const note = page.locator('#video-share-note');
      await waitFor('the no-encoder message', () => note.isVisible());
      assert.match(
        (await note.textContent()) ?? '',
        /^H\.264 is off: this system has no WebCodecs video encoder\..*MJPEG stream and the viewer page work as usual\.$/,
      );
      assert.equal(await page.locator('#video-lines li').count(), 0, 'no RTSP lines offered');
      const before = bridge.frames.length;
      await waitFor('more JPEG frames', () => bridge.frames.length > before);
      await context.close();
    });
  },
);
