// App-wide web-contents hardening (navigation, new windows, webviews) and the one open-in-browser guard.
import { app, shell } from 'electron';
import type { Result } from '../ipc.ts';
import { isAllowedNavigation, isSafeExternalUrl } from './url-guards.ts';

/**
 * For every webContents ever created (checklist #13–#15): no navigation away from app://bundle, no
 * window.open (the preview window is opened by main, not by a page), no <webview>.
 */
export function installContentsHardening(log: (message: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (isAllowedNavigation(url, contents.getURL())) return;
      event.preventDefault();
      log(`navigation to ${url} blocked`);
    });
    contents.setWindowOpenHandler(({ url }) => {
      log(`window.open(${url}) denied`);
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log('<webview> denied');
    });
  });
}

/** Opens an http(s) URL in the user's browser; anything else is refused, never handed to the OS. */
export async function openExternalSafely(url: string): Promise<Result<null>> {
  if (!isSafeExternalUrl(url)) {
    return { ok: false, code: 'invalid-url', message: 'Only http and https links can be opened.' };
  }
  try {
    await shell.openExternal(url);
    return { ok: true, value: null };
  } catch (error) {
    return { ok: false, code: 'internal', message: `Could not open the browser: ${String(error)}` };
  }
}
