// The viewer page on a plain-http LAN address (not a secure context, so no WebCodecs) plays H.264 through MSE:
// real Chromium opens http://lancam.test:PORT/ (mapped to 127.0.0.1), the page remuxes each access unit into
// fragmented MP4 for a <video>, stays near the live edge, trims its buffer, and falls back to JPEG without MSE.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { BroadcastServer } from '../../server/types.ts';
import { hasChromium } from '../helpers/chromium.ts';
import { eventually } from './harness.ts';
import {
  pictureSignature,
  startH264PageFixture,
  type H264PageFixture,
} from './h264-page-fixture.ts';

/** Not localhost and not https: what a phone opening http://192.168.x.y:8080/ gets. */
const INSECURE_HOST = 'lancam.test';

function insecureUrl(server: BroadcastServer): string {
  return `http://${INSECURE_HOST}:${server.port}/?key=${encodeURIComponent(server.key ?? '')}`;
}

interface VideoState {
  readonly currentTime: number;
  readonly bufferedStart: number;
  readonly bufferedEnd: number;
  readonly width: number;
  readonly height: number;
}

function videoState(page: Page): Promise<VideoState> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('#mse-video');
    const ranges = video?.buffered;
    const count = ranges?.length ?? 0;
    return {
      currentTime: video?.currentTime ?? 0,
      bufferedStart: ranges && count > 0 ? ranges.start(0) : 0,
      bufferedEnd: ranges && count > 0 ? ranges.end(count - 1) : 0,
      width: video?.videoWidth ?? 0,
      height: video?.videoHeight ?? 0,
    };
  });
}

describe('viewer page with H.264 through MSE', { skip: !hasChromium() && 'no Chromium' }, () => {
  let fixture: H264PageFixture;
  let browser: Browser;
  let server: BroadcastServer;
  before(async () => {
    fixture = await startH264PageFixture([`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`]);
    ({ browser, server } = fixture);
  });
  after(() => fixture.close());

  test('an insecure origin has no VideoDecoder; the page plays H.264 in a <video> through MSE', async () => {
    const page = await browser.newPage();
    let channelsOpened = 0;
    page.on('websocket', () => (channelsOpened += 1));
    // A CSP without media-src blob: would refuse the MediaSource object URL; Chromium says so on the console.
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      const openedAtMs = Date.now();
      const response = await page.goto(insecureUrl(server));
      assert.match(
        (await response?.headerValue('content-security-policy')) ?? '',
        /media-src 'self' blob:/,
      );
      assert.deepEqual(
        await page.evaluate(() => ({
          isSecure: isSecureContext,
          hasVideoDecoder: 'VideoDecoder' in window,
          hasMediaSource: 'MediaSource' in window,
        })),
        { isSecure: false, hasVideoDecoder: false, hasMediaSource: true },
      );
      await eventually(
        async () => (await pictureSignature(page, '#mse-video')) !== '',
        15_000,
        'H.264 shown',
      );
      const first = await pictureSignature(page, '#mse-video');
      const startedAt = await videoState(page);
      await eventually(
        async () => (await pictureSignature(page, '#mse-video')) !== first,
        5000,
        'frames advance',
      );
      await eventually(
        async () => (await videoState(page)).currentTime > startedAt.currentTime + 1,
        10_000,
        'the video plays on',
      );
      const playing = await videoState(page);
      assert.equal(playing.width, 320);
      assert.equal(playing.height, 240);
      assert.deepEqual(
        await page.evaluate(() => Object.fromEntries(Object.entries(document.body.dataset))),
        {
          mode: 'channel',
          codec: 'h264',
          player: 'mse',
        },
      );
      assert.equal(
        await page.evaluate(() => document.querySelector('canvas#video')?.hasAttribute('hidden')),
        true,
        'the WebCodecs canvas stays hidden',
      );
      assert.match((await page.textContent('#behind')) ?? '', /^H\.264 · \d+(\.\d)? s behind$/);
      const channelViewer = () => server.status().viewers.find((v) => v.protocol === 'websocket');
      assert.equal(channelViewer()?.codec, 'h264');
      await eventually(
        () => (channelViewer()?.framesSent ?? 0) > 60,
        10_000,
        'access units keep flowing while the page acknowledges them',
      );
      // Live, not a growing buffer: the playhead stays near the newest frame (generous: a busy machine).
      const live = await videoState(page);
      assert.ok(
        live.bufferedEnd - live.currentTime < 1.5,
        `${(live.bufferedEnd - live.currentTime).toFixed(2)} s between the playhead and the newest frame`,
      );
      // And the buffer behind the playhead is cut (at a keyframe) once it is a few seconds long.
      await eventually(
        async () => (await videoState(page)).bufferedStart > 0,
        20_000,
        'the buffer behind the playhead is trimmed',
      );
      const trimmed = await videoState(page);
      assert.ok(trimmed.currentTime - trimmed.bufferedStart < 8, 'a bounded buffer');
      // Past the page's 8 s stall check: a playing <video> counts as a changing picture, so the page keeps
      // its one channel instead of reconnecting.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, openedAtMs + 12_000 - Date.now())),
      );
      assert.equal(channelsOpened, 1, 'one channel for the whole time');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
    await eventually(() => server.status().viewerCount === 0, 5000, 'channel closed');
  });

  test('without MediaSource the insecure page uses JPEG on the channel', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Reflect.deleteProperty(window, 'MediaSource');
      Reflect.deleteProperty(window, 'ManagedMediaSource');
    });
    const page = await context.newPage();
    try {
      await page.goto(insecureUrl(server));
      await eventually(
        () => page.evaluate(() => (document.querySelector('img')?.naturalWidth ?? 0) > 0),
        10_000,
        'JPEG shown',
      );
      await eventually(
        async () => ((await page.textContent('#behind')) ?? '').startsWith('JPEG · '),
        5000,
        'JPEG mode shown',
      );
      assert.equal(await page.evaluate(() => document.body.dataset.player), undefined);
      assert.equal(server.status().viewers[0]?.codec, 'jpeg');
    } finally {
      await context.close();
    }
  });

  test('when the SourceBuffer refuses the stream the page says why and plays JPEG instead', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      // What a browser whose MSE cannot take this stream does: appendBuffer throws (not a full buffer).
      SourceBuffer.prototype.appendBuffer = () => {
        throw new DOMException('refused for the test', 'NotSupportedError');
      };
    });
    const page = await context.newPage();
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    try {
      await page.goto(insecureUrl(server));
      await eventually(
        async () => ((await page.textContent('#behind')) ?? '').startsWith('JPEG · '),
        10_000,
        'JPEG mode shown',
      );
      assert.ok(
        warnings.some((text) =>
          /H\.264 playback failed \(append: .*refused for the test/.test(text),
        ),
        warnings.join('\n'),
      );
      assert.equal(await page.evaluate(() => document.body.dataset.codec), 'jpeg');
      await eventually(
        () => server.status().viewers.some((v) => v.protocol === 'websocket' && v.codec === 'jpeg'),
        5000,
        'a JPEG channel viewer',
      );
    } finally {
      await context.close();
    }
  });
});
