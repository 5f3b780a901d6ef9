// A control window whose page runs a test stub before its own scripts (e.g. a camera that is busy, or one
// with controls), over Chromium's fake camera and the usual test bridge.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Settings } from '../../../electron/ipc.ts';
import { launchChromium } from '../../helpers/chromium.ts';
import { fakeCameraFile } from '../../helpers/fake-camera.ts';
import { TestBridge } from './test-bridge.ts';

export interface StubbedControlWindow {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly bridge: TestBridge;
  readonly page: Page;
  readonly pageErrors: Error[];
  close(): Promise<void>;
}

/** `install` runs in the page (serialised by Playwright): keep it self-contained. */
export async function openStubbedControlWindow(
  install: () => void,
  settings: Partial<Settings> = { resolution: '720p', fps: 30 },
): Promise<StubbedControlWindow> {
  const clip = await fakeCameraFile({ width: 1280, height: 720 });
  const browser = await launchChromium({ fakeCamera: clip });
  const context = await browser.newContext();
  // tsx compiles with keepNames, which wraps inner functions in __name(); the page needs that helper too.
  await context.addInitScript({
    content: `var __name = (target) => target;\n(${install.toString()})();`,
  });
  const bridge = new TestBridge({ settings });
  const page = await bridge.open(browser, context);
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return {
    browser,
    context,
    bridge,
    page,
    pageErrors,
    close: async () => {
      await bridge.close();
      await context.close();
      await browser.close();
    },
  };
}
