// The viewer page with several sources, in headless Chromium: the switcher appears with two sources (not with
// one), switching shows the other source at its own size, "All" shows a grid of live tiles, one stream per tile
// on screen, and a hidden grid or page holds no stream; a removed source is said to be gone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startFrameLoop } from '../../server/cli/frame-source.ts';
import type { BroadcastServer, BroadcastSource } from '../../server/types.ts';
import { seriousAxeViolations } from '../helpers/axe.ts';
import { hasChromium, launchChromium } from '../helpers/chromium.ts';
import { eventually, makeFrames, startPublisher, startTestServer, withKey } from './harness.ts';

const small = makeFrames(10, '320x240');
const large = makeFrames(10, '640x360');

/** A coarse fingerprint of what an <img> shows right now. */
function imageSignature(page: Page, selector: string): Promise<string> {
  return page.evaluate((query) => {
    const img = document.querySelector(query);
    if (!(img instanceof HTMLImageElement) || img.naturalWidth === 0) return '';
    const canvas = document.createElement('canvas');
    canvas.width = 16;
    canvas.height = 16;
    const context = canvas.getContext('2d');
    if (!context) return '';
    context.drawImage(img, 0, 0, 16, 16);
    return context.getImageData(0, 0, 16, 16).data.join(',');
  }, selector);
}

const naturalWidth = (page: Page, selector = '#stream'): Promise<number> =>
  page.evaluate((query) => {
    const img = document.querySelector(query);
    return img instanceof HTMLImageElement ? img.naturalWidth : 0;
  }, selector);

const switcherLabels = (page: Page): Promise<{ label: string; pressed: string | null }[]> =>
  page.$$eval('#sources button', (buttons) =>
    buttons.map((button) => ({
      label: button.textContent,
      pressed: button.getAttribute('aria-pressed'),
    })),
  );

/** Headless Chromium never hides a page, so hiding is simulated the way the browser reports it. */
function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  return page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { value, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

describe('viewer page with several sources', { skip: !hasChromium() && 'no Chromium' }, () => {
  let browser: Browser;
  let server: BroadcastServer;
  let second: BroadcastSource;
  const stops: (() => void)[] = [];
  before(async () => {
    browser = await launchChromium();
    server = await startTestServer();
    second = server.addSource({ name: 'Garden' });
    stops.push(startPublisher(server, small, 15));
    stops.push(startFrameLoop(large, 15, (jpeg, meta) => second.publish(jpeg, meta)));
  });
  after(async () => {
    for (const stop of stops) stop();
    await browser.close();
    await server.close();
  });

  test('switcher, switching, the grid of live tiles, and no stream for a hidden grid', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(withKey(server, '/'));
      await page.waitForSelector('#sources:not([hidden])', { timeout: 10_000 });
      assert.deepEqual(await switcherLabels(page), [
        { label: 'Source 1', pressed: 'true' },
        { label: '2 · Garden', pressed: 'false' },
        { label: 'All', pressed: 'false' },
      ]);
      await eventually(async () => (await naturalWidth(page)) === 320, 10_000, 'source 1 shown');

      // Switching to source 2 shows it at its own size; the address follows.
      await page.click('#sources button:has-text("Garden")');
      await eventually(async () => (await naturalWidth(page)) === 640, 10_000, 'source 2 shown');
      assert.match(page.url(), /\/cam\/2\/\?key=/);
      await eventually(
        () => server.status().viewers.every((viewer) => viewer.sourceId === 2),
        5000,
        'the page watches source 2 only',
      );
      assert.equal(
        (await switcherLabels(page)).find((button) => button.pressed === 'true')?.label,
        '2 · Garden',
      );

      // "All", from the keyboard: a grid of both sources, each tile live, and the main stream let go.
      await page.focus('#sources button:has-text("All")');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#grid:not([hidden])');
      assert.equal(await page.isHidden('#stage'), true);
      assert.equal(await page.locator('#grid .tile').count(), 2);
      assert.deepEqual(
        await page.$$eval('#grid .tile-name', (names) => names.map((n) => n.textContent)),
        ['Source 1', '2 · Garden'],
      );
      await eventually(
        async () =>
          (await naturalWidth(page, '#grid .tile:nth-child(1) img')) === 320 &&
          (await naturalWidth(page, '#grid .tile:nth-child(2) img')) === 640,
        10_000,
        'both tiles show their source',
      );
      for (const nth of [1, 2]) {
        const selector = `#grid .tile:nth-child(${nth}) img`;
        const first = await imageSignature(page, selector);
        await eventually(
          async () => (await imageSignature(page, selector)) !== first,
          5000,
          `tile ${nth} changes`,
        );
      }
      await eventually(
        () => {
          const viewers = server.status().viewers;
          return (
            viewers.length === 2 &&
            viewers.every(
              (viewer) => viewer.protocol === 'mjpeg' && /-t[12]$/.test(viewer.clientId ?? ''),
            )
          );
        },
        5000,
        'one stream per tile, none for the main view',
      );
      // Screen readers hear what the tile shows: its source and state.
      assert.equal(
        await page.getByRole('button', { name: 'Open 2 · Garden Live', exact: true }).count(),
        1,
      );

      // A hidden page lets go of the tiles; back, they stream again.
      await setVisibility(page, 'hidden');
      await eventually(
        () => server.status().viewerCount === 0,
        5000,
        'no tile stream while hidden',
      );
      await setVisibility(page, 'visible');
      await eventually(() => server.status().viewerCount === 2, 5000, 'tiles stream again');

      // Clicking a tile opens that source; the hidden grid holds no stream.
      await page.click('#grid .tile:nth-child(1)');
      await eventually(async () => (await naturalWidth(page)) === 320, 10_000, 'source 1 opened');
      assert.equal(await page.isHidden('#grid'), true);
      await eventually(
        () => {
          const viewers = server.status().viewers;
          return (
            viewers.length === 1 &&
            viewers.every((viewer) => viewer.sourceId === 1 && viewer.protocol === 'websocket')
          );
        },
        5000,
        'only the main view streams',
      );
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
    await eventually(() => server.status().viewerCount === 0, 5000, 'streams closed');
  });

  test('tiles scrolled out of view hold no stream', async () => {
    const third = server.addSource({ name: 'Door' });
    const stopThird = startFrameLoop(small, 10, (jpeg, meta) => third.publish(jpeg, meta));
    // One column, room for about one tile: the others are below the fold.
    const page = await browser.newPage({ viewport: { width: 360, height: 420 } });
    try {
      await page.goto(withKey(server, '/cam/2/'));
      await page.waitForSelector('#sources:not([hidden])', { timeout: 10_000 });
      await eventually(
        async () => (await naturalWidth(page)) === 640,
        10_000,
        '/cam/2/ opens source 2',
      );
      await page.click('#sources button:has-text("All")');
      await page.waitForSelector('#grid:not([hidden])');
      await eventually(
        () => server.status().viewers.some((viewer) => viewer.clientId?.endsWith('-t1')),
        5000,
        'the first tile streams',
      );
      const tileStreams = (): string[] =>
        server
          .status()
          .viewers.map((viewer) => viewer.clientId ?? '')
          .filter((id) => /-t\d$/.test(id))
          .map((id) => id.slice(-2))
          .sort();
      assert.ok(!tileStreams().includes('t3'), `tile 3 is below the fold: ${tileStreams().join()}`);
      await page.locator('#grid .tile:nth-child(3)').scrollIntoViewIfNeeded();
      await eventually(() => tileStreams().includes('t3'), 5000, 'tile 3 streams once on screen');
      await eventually(
        () => !tileStreams().includes('t1'),
        5000,
        'tile 1 let go once scrolled away',
      );
    } finally {
      await page.close();
      stopThird();
      server.removeSource(third.id);
    }
  });

  test('switcher and grid: no serious or critical axe finding; touch targets of 44 px', async () => {
    // axe is injected by evaluation, which the page's CSP forbids (as it should): bypassed for this context only.
    const context = await browser.newContext({ bypassCSP: true, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    try {
      await page.goto(withKey(server, '/'));
      await page.waitForSelector('#sources:not([hidden])', { timeout: 10_000 });
      await eventually(async () => (await naturalWidth(page)) > 0, 10_000, 'picture shown');
      assert.deepEqual(await seriousAxeViolations(page), []);
      await page.click('#sources button:has-text("All")');
      await page.waitForSelector('#grid:not([hidden]) .tile');
      assert.deepEqual(await seriousAxeViolations(page), []);
      const smallest = await page.$$eval('#sources button, #grid .tile', (elements) =>
        Math.min(
          ...elements.map((element) => {
            const box = element.getBoundingClientRect();
            return Math.min(box.width, box.height);
          }),
        ),
      );
      assert.ok(smallest >= 44, `smallest target ${smallest} px`);
    } finally {
      await context.close();
    }
  });

  test('the key form on /cam/2/ leads back to source 2', async () => {
    const page = await browser.newPage();
    try {
      const response = await page.goto(`http://127.0.0.1:${server.port}/cam/2/`);
      assert.equal(response?.status(), 401);
      await page.fill('#key', server.key ?? '');
      await Promise.all([page.waitForURL(/\/cam\/2\/\?key=/), page.click('button[type=submit]')]);
      await eventually(async () => (await naturalWidth(page)) === 640, 10_000, 'source 2 shown');
    } finally {
      await page.close();
    }
  });

  test('a removed source is said to be gone', async () => {
    const extra = server.addSource({ name: 'Temporary' });
    const stopExtra = startFrameLoop(small, 10, (jpeg, meta) => extra.publish(jpeg, meta));
    const page = await browser.newPage();
    try {
      await page.goto(withKey(server, `/cam/${extra.id}/`));
      await eventually(async () => (await naturalWidth(page)) === 320, 10_000, 'source shown');
      stopExtra();
      server.removeSource(extra.id);
      await page.waitForSelector('#offline:not([hidden])', { timeout: 10_000 });
      await eventually(
        async () =>
          ((await page.textContent('#offline')) ?? '').includes(
            `Source ${extra.id} is not being broadcast now`,
          ),
        10_000,
        'the page says the source is gone',
      );
      await eventually(
        async () =>
          (await switcherLabels(page)).every((button) => !button.label.includes('Temporary')),
        5000,
        'the switcher drops it',
      );
    } finally {
      stopExtra();
      await page.close();
    }
  });
});

describe('viewer page with one source', { skip: !hasChromium() && 'no Chromium' }, () => {
  test('no switcher and no grid: the page as it always was', async () => {
    const browser = await launchChromium();
    const server = await startTestServer();
    const stop = startPublisher(server, small, 15);
    try {
      const page = await browser.newPage();
      await page.goto(withKey(server, '/'));
      await eventually(
        async () => ((await page.textContent('#state')) ?? '').startsWith('Live · 1 watching'),
        10_000,
        'live',
      );
      assert.equal(await page.isHidden('#sources'), true);
      assert.equal(await page.isHidden('#grid'), true);
      assert.equal(await page.locator('#sources button').count(), 0);
      assert.equal(await naturalWidth(page), 320);
      await page.close();
    } finally {
      stop();
      await browser.close();
      await server.close();
    }
  });
});
