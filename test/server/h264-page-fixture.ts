// What the viewer-page H.264 tests share: Chromium and a server publishing JPEG frames and a looped H.264 clip,
// and a coarse fingerprint of the picture an element (the WebCodecs canvas, the MSE <video>) shows.
import type { Browser, Page } from 'playwright-core';
import type { BroadcastServer } from '../../server/types.ts';
import { launchChromium } from '../helpers/chromium.ts';
import { loadClip, makeH264Clip, startVideoPublisher } from '../helpers/h264-clip.ts';
import { makeFrames, startPublisher, startTestServer } from './harness.ts';

export interface H264PageFixture {
  readonly browser: Browser;
  readonly server: BroadcastServer;
  close(): Promise<void>;
}

export async function startH264PageFixture(chromiumArgs: string[] = []): Promise<H264PageFixture> {
  const browser = await launchChromium({ extraArgs: chromiumArgs });
  const server = await startTestServer({ rtspPort: 0 });
  const stopFrames = startPublisher(server, makeFrames(10), 15);
  const clip = await loadClip(makeH264Clip({ size: '320x240', seconds: 2 }).mp4);
  const stopVideo = startVideoPublisher(server, clip);
  return {
    browser,
    server,
    async close() {
      stopVideo();
      stopFrames();
      await browser.close();
      await server.close();
    },
  };
}

/** 16×16 pixels of what `selector` (a canvas or a video) shows, or '' while it is hidden, empty or blank. */
export function pictureSignature(page: Page, selector: string): Promise<string> {
  return page.evaluate((query) => {
    const source = document.querySelector<HTMLCanvasElement | HTMLVideoElement>(query);
    if (!source || source.hidden) return '';
    const width = source instanceof HTMLVideoElement ? source.videoWidth : source.width;
    if (width === 0) return '';
    const probe = document.createElement('canvas');
    probe.width = 16;
    probe.height = 16;
    const context = probe.getContext('2d');
    if (!context) return '';
    context.drawImage(source, 0, 0, 16, 16);
    const pixels = context.getImageData(0, 0, 16, 16).data;
    return pixels.some((value, i) => i % 4 !== 3 && value > 16) ? pixels.join(',') : '';
  }, selector);
}
