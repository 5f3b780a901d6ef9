// The control window as a first-time user meets it (issue 8, points 1–8): real Chromium, the real renderer
// bundle and preload, the real main process and server. One link to share, New key behind a question, the
// preview shaped like the output, LIVE with who watches, Disconnect/Allow again, messages with their fix, and
// axe-core clean (serious/critical) in idle, live, dialog and error states, light and dark.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { fakeCameraFile } from '../helpers/fake-camera.ts';
import { freePort } from '../helpers/ports.ts';
import { RtspTestClient } from '../helpers/rtsp-client.ts';
import { waitFor } from '../helpers/wait.ts';
import { TestBridge, testKey } from './support/test-bridge.ts';

const iphoneSafari =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const viewerAddress = '127.0.0.93';
/** A second address, so the RTSP client's block does not touch the MJPEG viewer's. */
const rtspAddress = '127.0.0.94';

/** A stream request from `viewerAddress` with an iPhone's User-Agent; resolves with its status and response. */
function watch(url: string): Promise<{ status: number; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: { 'User-Agent': iphoneSafari }, localAddress: viewerAddress, agent: false },
      (response) => {
        response.on('error', () => undefined);
        // Read and drop the body: a paused response would never report its end.
        response.resume();
        resolve({ status: response.statusCode ?? 0, response });
      },
    );
    request.on('error', reject);
  });
}

async function assertAxeClean(page: Page, state: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const findings = await seriousAxeViolations(page);
    assert.deepEqual(findings, [], `${state}, ${colorScheme}: ${JSON.stringify(findings)}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** The element is fully inside the viewport as it stands (no scrolling). */
async function assertInView(page: Page, selector: string, size: string): Promise<void> {
  const box = await page.locator(selector).boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box && viewport, `${selector} has a box`);
  assert.ok(
    box.x >= 0 &&
      box.y >= 0 &&
      box.x + box.width <= viewport.width &&
      box.y + box.height <= viewport.height,
    `${selector} at ${JSON.stringify(box)} is not inside ${size}`,
  );
}

describe(
  'control window for people (Chromium + real main)',
  { skip: !hasChromium() && 'no Chromium', timeout: 240_000 },
  () => {
    let browser: Browser;
    let context: BrowserContext;
    let bridge: TestBridge;
    let page: Page;
    const pageErrors: Error[] = [];

    before(async () => {
      const clip = await fakeCameraFile({ width: 1280, height: 720 });
      browser = await launchChromium({ fakeCamera: clip });
      // bypassCSP lets axe be evaluated in the page; the page's own CSP is tested elsewhere.
      context = await browser.newContext({ bypassCSP: true });
      bridge = new TestBridge({ settings: { resolution: '720p', fps: 15, port: null } });
      page = await bridge.open(browser, context);
      page.on('pageerror', (error) => pageErrors.push(error));
      await page.setViewportSize({ width: 800, height: 600 });
    });

    after(async () => {
      await bridge.close();
      await context.close();
      await browser.close();
    });

    it('idle: no empty stats, settings in words, rarely used settings folded, axe clean', async () => {
      await page.getByRole('button', { name: 'Start broadcast' }).waitFor();
      assert.equal(await page.locator('#watching').isVisible(), false, 'no stats while off');
      assert.equal(await page.getByText('Live stats').count(), 0);
      const quality = page.getByRole('combobox', { name: 'Quality' });
      assert.deepEqual(await quality.locator('option').allTextContents(), [
        'Low',
        'Medium',
        'High',
      ]);
      assert.match(
        (await page.locator('#quality-estimate').textContent()) ?? '',
        /≈ \d+ Mbit\/s per viewer/,
      );
      const before = (await page.locator('#quality-estimate').textContent()) ?? '';
      await quality.selectOption({ label: 'High' });
      await waitFor('quality saved', () => bridge.settings.jpegQuality === 0.92);
      await waitFor('estimate grows', async () => {
        const now = (await page.locator('#quality-estimate').textContent()) ?? '';
        return Number(/\d+/.exec(now)?.[0]) > Number(/\d+/.exec(before)?.[0]);
      });
      await quality.selectOption({ label: 'Medium' });
      const fps = page.getByRole('combobox', { name: 'Frame rate' });
      assert.ok((await fps.locator('option').allTextContents()).includes('30 fps (smooth)'));
      // Network & startup is folded: its checkboxes are not shown until opened.
      assert.equal(await page.locator('#network-card').getAttribute('open'), null);
      assert.equal(await page.getByRole('checkbox', { name: /Notify me/ }).isVisible(), false);
      await page.locator('#network-card > summary').click();
      const notify = page.getByRole('checkbox', { name: 'Notify me when someone starts watching' });
      assert.equal(await notify.isChecked(), true, 'on by default');
      await notify.uncheck();
      await waitFor('notify off saved', () => !bridge.settings.notifyOnViewer);
      await notify.check();
      await waitFor('notify on saved', () => bridge.settings.notifyOnViewer);
      await assertAxeClean(page, 'idle');
      await page.locator('#network-card > summary').click();
    });

    it('Start keeps focus; live shows LIVE, how long, and one link with Copy link and QR in view', async () => {
      const toggle = page.getByRole('button', { name: 'Start broadcast' });
      await toggle.focus();
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Stop broadcast' }).waitFor();
      await waitFor('live', () => bridge.isLive);
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'toggle',
        'focus stays on Start/Stop',
      );
      await waitFor('LIVE marker', async () =>
        /^Live · nobody watching$/.test((await page.locator('#state-label').textContent()) ?? ''),
      );
      await waitFor('live for', async () =>
        /^for \d+ s$/.test((await page.locator('#live-for').textContent()) ?? ''),
      );

      const port = bridge.main.broadcast.status().port;
      const link = page.locator('#share-link');
      const shown = (await link.textContent()) ?? '';
      assert.match(
        shown,
        new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?key=•+$`),
        'host and port readable, key masked',
      );
      assert.ok(!shown.includes(testKey));
      assert.equal(await link.getAttribute('title'), shown, 'the full (masked) URL on hover');
      assert.equal(await page.getByText('Viewers open this link').isVisible(), true);
      await waitFor('QR drawn', () =>
        page
          .locator('#qr')
          .evaluate(
            (img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0,
          ),
      );
      assert.equal(await page.getByText('Scan with a phone on the same Wi-Fi').isVisible(), true);
      const qrBox = await page.locator('#qr').boundingBox();
      assert.ok(qrBox && qrBox.width >= 150, 'a large QR code');

      for (const [width, height] of [
        [800, 600],
        [720, 520], // the control window's minimum size (electron/main/windows.ts)
      ] as const) {
        await page.setViewportSize({ width, height });
        await page.evaluate(() => {
          window.scrollTo(0, 0);
        });
        for (const selector of ['#share-link', '#copy-link', '#qr']) {
          await assertInView(page, selector, `${width}×${height}`);
        }
      }
      await page.setViewportSize({ width: 800, height: 600 });

      await page.getByRole('button', { name: 'Copy link' }).click();
      await waitFor('copied', () =>
        bridge.copied.includes(bridge.main.broadcast.status().urls[0] ?? '-'),
      );
      assert.ok(bridge.copied.at(-1)?.includes(`key=${testKey}`), 'the real link is copied');
      // Announced: the outcome lands in a polite live region.
      const status = page.locator('#copy-status');
      assert.equal(await status.getAttribute('aria-live'), 'polite');
      await waitFor('Copied announced', async () => (await status.textContent()) === 'Link copied');
      // Other addresses are folded away (there is only the loopback one in tests, so none to show).
      assert.equal(await page.locator('#other-addresses').getAttribute('open'), null);
      await assertAxeClean(page, 'live');
    });

    it('New key asks first, apart from Copy; cancel keeps the key, confirm replaces it', async () => {
      await page.locator('#key-details > summary').click();
      const newKey = page.getByRole('button', { name: 'New key' });
      const copyKey = page.getByRole('button', { name: 'Copy key' });
      const [newBox, copyBox] = [await newKey.boundingBox(), await copyKey.boundingBox()];
      assert.ok(newBox && copyBox);
      assert.ok(
        newBox.y >= copyBox.y + copyBox.height + 8,
        'New key sits in its own row below Copy',
      );
      await newKey.click();
      const dialog = page.getByRole('dialog', { name: 'Make a new access key?' });
      await dialog.waitFor();
      assert.match(
        (await dialog.textContent()) ?? '',
        /Every open viewer is disconnected, and every link you shared stops working/,
      );
      await assertAxeClean(page, 'dialog');
      await page.getByRole('button', { name: 'Keep the current key' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(bridge.settings.accessKey, testKey);
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'key-regenerate',
        'focus returns to New key',
      );
      await newKey.click();
      await page.getByRole('button', { name: 'Make a new key' }).click();
      await waitFor('new key', () => bridge.settings.accessKey !== testKey);
      await waitFor(
        'link follows',
        () => bridge.main.broadcast.status().key === bridge.settings.accessKey,
      );
      await page.locator('#key-details > summary').click();
    });

    it('who is watching: device and address in words, Disconnect blocks, Allow again lets back in', async () => {
      const viewer = await watch(bridge.url('/stream.mjpg'));
      assert.equal(viewer.status, 200);
      const list = page.locator('#viewer-list');
      await waitFor('viewer listed', async () =>
        ((await list.textContent()) ?? '').includes('iPhone · Safari'),
      );
      const text = (await list.textContent()) ?? '';
      assert.match(
        text,
        new RegExp(`${viewerAddress.replaceAll('.', '\\.')} · MJPEG stream · watching since \\d`),
      );
      await waitFor(
        'LIVE counts them',
        async () => (await page.locator('#state-label').textContent()) === 'Live · 1 watching',
      );
      // Engineering figures sit under Details, folded.
      assert.equal(await page.locator('#stat-encode').isVisible(), false);
      await page.getByText('Details', { exact: true }).click();
      await waitFor('encode ms shown', async () =>
        /\d/.test((await page.locator('#stat-encode').textContent()) ?? ''),
      );
      assert.equal(await page.locator('#stat-mbps').isVisible(), true);
      await assertAxeClean(page, 'live with a viewer');

      const closed = new Promise((resolve) => viewer.response.once('close', resolve));
      await page
        .getByRole('button', { name: `Disconnect iPhone · Safari at ${viewerAddress}` })
        .click();
      await closed;
      const allow = page.getByRole('button', { name: `Allow ${viewerAddress} again` });
      await allow.waitFor();
      // The row with the focused button is gone: focus moved to Allow again, not to <body>.
      await waitFor('focus moved', async () =>
        page.evaluate(() => document.activeElement?.textContent === 'Allow again'),
      );
      assert.match(
        (await page.locator('#blocked').textContent()) ?? '',
        /cannot reconnect for 5 minutes/,
      );
      const refused = await watch(bridge.url('/stream.mjpg'));
      assert.equal(refused.status, 403, 'a disconnected address cannot come straight back');
      const blocked = bridge.main.broadcast.status().blockedAddresses;
      assert.equal(blocked.length, 1);
      assert.ok(blocked[0]!.untilMs - Date.now() > 4 * 60_000, 'blocked for about 5 minutes');
      await allow.click();
      await page.locator('#blocked').waitFor({ state: 'hidden' });
      const back = await watch(bridge.url('/stream.mjpg'));
      assert.equal(back.status, 200, 'allowed again');
      back.response.destroy();
    });

    it('an RTSP client (an NVR, VLC) is listed with the viewers and Disconnect ends its session', async () => {
      const rtspPort = bridge.main.broadcast.status().rtspPort;
      assert.ok(rtspPort !== null, 'RTSP is served');
      const client = await RtspTestClient.connect(rtspPort, {
        localAddress: rtspAddress,
        userAgent: 'LibVLC/3.0.21 (LIVE555 Streaming Media v2016.11.28)',
      });
      try {
        await client.play(`rtsp://127.0.0.1:${String(rtspPort)}/live`, bridge.settings.accessKey);
        const list = page.locator('#viewer-list');
        await waitFor('RTSP client listed', async () =>
          ((await list.textContent()) ?? '').includes(`${rtspAddress} · RTSP · H.264`),
        );
        await page.getByRole('button', { name: `Disconnect VLC at ${rtspAddress}` }).click();
        await client.closed;
        await page.getByRole('button', { name: `Allow ${rtspAddress} again` }).click();
        await page.locator('#blocked').waitFor({ state: 'hidden' });
      } finally {
        client.close();
      }
    });

    it('the preview is shaped like the output: rotation, mirror and overlay as encoded; badge size and fps', async () => {
      await page.getByRole('combobox', { name: 'Rotation' }).selectOption('90');
      await page.getByRole('checkbox', { name: 'Mirror' }).check();
      await page.getByRole('checkbox', { name: /Time & name overlay/ }).check();
      await page.getByRole('textbox', { name: 'Overlay name' }).fill('Workshop camera north side');
      await page.getByRole('textbox', { name: 'Overlay name' }).press('Tab');
      await waitFor(
        'saved',
        () =>
          bridge.settings.rotation === 90 &&
          bridge.settings.mirror &&
          bridge.settings.overlayText !== '',
      );
      // The encoder turns 1280×720 into 720×1280; the badge says so, with the measured rate.
      await waitFor(
        'encoded portrait',
        () => bridge.frames.at(-1)?.width === 720 && bridge.frames.at(-1)?.height === 1280,
      );
      await waitFor('badge', async () =>
        /^720×1280 · \d+(\.\d)? fps/.test((await page.locator('#stage-badge').textContent()) ?? ''),
      );
      const frame = await page.locator('#preview-frame').boundingBox();
      assert.ok(frame, 'preview frame');
      assert.ok(
        Math.abs(frame.width / frame.height - 720 / 1280) < 0.02,
        `frame ${frame.width}×${frame.height}`,
      );
      const transform = await page
        .locator('#preview')
        .evaluate((video) => (video as HTMLVideoElement).style.transform);
      assert.match(transform, /rotate\(90deg\) scaleX\(-1\)/);
      const overlay = await page.locator('#preview-overlay').boundingBox();
      assert.ok(overlay, 'overlay shown');
      assert.ok(
        overlay.x >= frame.x && overlay.x + overlay.width <= frame.x + frame.width + 0.5,
        'overlay inside the frame, not clipped',
      );
      assert.match(
        (await page.locator('#preview-overlay').textContent()) ?? '',
        /^Workshop camera north side · \d{4}-/,
      );
      await page.getByRole('combobox', { name: 'Rotation' }).selectOption('0');
      await page.getByRole('checkbox', { name: 'Mirror' }).uncheck();
      await page.getByRole('checkbox', { name: /Time & name overlay/ }).uncheck();
      // Back to landscape before the next test connects (a size change reconnects every viewer).
      await waitFor('encoded landscape', () => bridge.frames.at(-1)?.width === 1280);
    });

    it('says when capture cannot keep up, with the fix, and stops saying it once it can', async () => {
      // The fake camera plays a 30 fps clip, so 60 fps cannot be reached: below 80 % for 5 s.
      const viewer = await watch(bridge.url('/stream.mjpg'));
      try {
        const keepUp = page.locator('#keep-up');
        assert.equal(await keepUp.isVisible(), false);
        assert.equal(viewer.status, 200);
        // Full-rate capture only while someone watches (idle capture is 1 fps on purpose).
        await waitFor('watched', () => bridge.main.broadcast.status().viewerCount > 0);
        await page.getByRole('combobox', { name: 'Frame rate' }).selectOption('60');
        await waitFor('60 fps saved', () => bridge.settings.fps === 60);
        await waitFor(
          'keep-up warning',
          async () =>
            ((await keepUp.textContent()) ?? '').includes(
              'of the 60 frames per second you chose. Lower the resolution, the frame rate or the quality.',
            ),
          20_000,
        );
        assert.equal(await keepUp.getAttribute('role'), 'status');
        await page.getByRole('combobox', { name: 'Frame rate' }).selectOption('15');
        await keepUp.waitFor({ state: 'hidden', timeout: 20_000 });
      } finally {
        viewer.response.destroy();
      }
    });

    it('a port fallback while live is a neutral note, not an error', async () => {
      await page.getByRole('button', { name: 'Stop broadcast' }).click();
      await waitFor('off', () => !bridge.isLive);
      // Hold 8080 ourselves when it is free; when something else holds it, the fallback happens all the same.
      const holder = net.createServer();
      await new Promise<void>((resolve) => {
        holder.once('error', () => {
          resolve();
        });
        holder.listen(8080, '127.0.0.1', () => {
          resolve();
        });
      });
      try {
        await page.getByRole('button', { name: 'Start broadcast' }).click();
        await waitFor('live', () => bridge.isLive);
        const port = bridge.main.broadcast.status().port;
        assert.notEqual(port, 8080);
        const notice = page.locator('#notice');
        await waitFor('note', async () =>
          ((await notice.textContent()) ?? '').includes(
            `Port 8080 was busy, so LanCam uses port ${port}.`,
          ),
        );
        assert.equal(await notice.getAttribute('role'), 'status');
        assert.equal(await page.getByRole('alert').count(), 0, 'no error box');
      } finally {
        await page.getByRole('button', { name: 'Stop broadcast' }).click();
        await waitFor('off', () => !bridge.isLive);
        holder.close();
      }
    });

    it('a busy fixed port offers "Use automatic port" (not Try again), and that fixes it; axe clean', async () => {
      const busy = net.createServer();
      const port = await freePort();
      await new Promise<void>((resolve) =>
        busy.listen(port, '127.0.0.1', () => {
          resolve();
        }),
      );
      try {
        await bridge.main.settings.update({ port });
        await page.reload();
        await page.getByRole('button', { name: 'Start broadcast' }).click();
        const message = page.getByRole('alert');
        await message.getByText(`Port ${port} is in use`).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 0);
        await assertAxeClean(page, 'error');
        await page.getByRole('button', { name: 'Use automatic port' }).click();
        await waitFor(
          'live on automatic port',
          () => bridge.isLive && bridge.settings.port === null,
        );
        await waitFor('message gone', async () => (await page.getByRole('alert').count()) === 0);
      } finally {
        busy.close();
      }
    });

    it('nothing focused hides under the sticky header', async () => {
      await page.setViewportSize({ width: 800, height: 600 });
      await page.evaluate(() => {
        window.scrollTo(0, document.body.scrollHeight);
      });
      // Shift+Tab from the bottom walks focus upwards; each focused control must be below the top bar.
      const header = await page.locator('header.topbar').boundingBox();
      assert.ok(header);
      await page.locator('#overlay').focus();
      for (let step = 0; step < 8; step++) {
        await page.keyboard.press('Shift+Tab');
        const box = await page.evaluate(() => {
          const rect = document.activeElement?.getBoundingClientRect();
          const inHeader = document.activeElement?.closest('header') !== null;
          return rect ? { top: rect.top, height: rect.height, inHeader } : null;
        });
        if (!box || box.inHeader || box.height === 0) continue;
        assert.ok(
          box.top >= header.height - 1,
          `focused control at ${box.top} is under the ${header.height} px header`,
        );
      }
      assert.deepEqual(pageErrors.map(String), []);
    });
  },
);
