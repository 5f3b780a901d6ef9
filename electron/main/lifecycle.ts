// App lifecycle rules: close-to-tray while live (told once), quit always stops the server first, login item.
import type { App, BrowserWindow } from 'electron';

export type CloseAction = 'close' | 'hide';

/** Closing the window while live keeps broadcasting from the tray; otherwise (or when quitting) it closes. */
export function closeAction(state: {
  readonly isQuitting: boolean;
  readonly isLive: boolean;
}): CloseAction {
  return !state.isQuitting && state.isLive ? 'hide' : 'close';
}

export interface LifecycleOptions {
  readonly isLive: () => boolean;
  /** Shown the first time the window is hidden instead of closed, so nobody is streamed unknowingly. */
  readonly notifyStillLive: () => void;
  /** Stops the broadcast and frees the port; awaited before the process exits. */
  readonly shutdown: () => Promise<void>;
  readonly log: (message: string) => void;
}

/**
 * Wires close/quit: the server is closed before every quit (menu, tray, Cmd+Q, OS logout), and
 * before-quit is held until it is, because process exit would otherwise cut viewers off mid-part.
 */
export function installLifecycle(app: App, window: BrowserWindow, options: LifecycleOptions): void {
  let isQuitting = false;
  let hasShutDown = false;
  let hasNotified = false;

  window.on('close', (event) => {
    if (closeAction({ isQuitting, isLive: options.isLive() }) === 'close') return;
    event.preventDefault();
    window.hide();
    if (!hasNotified) {
      hasNotified = true;
      options.notifyStillLive();
    }
  });

  app.on('before-quit', (event) => {
    isQuitting = true;
    if (hasShutDown) return;
    event.preventDefault();
    options
      .shutdown()
      .catch((error: unknown) => {
        options.log(`shutdown: ${String(error)}`);
      })
      .finally(() => {
        hasShutDown = true;
        app.quit();
      });
  });

  // Not live and the window closed: nothing left to do, on macOS too (LanCam has no window-less mode).
  app.on('window-all-closed', () => {
    app.quit();
  });
}

/** Launch at login; Electron implements it on macOS and Windows only (Linux autostart is not covered). */
export function applyLoginItem(app: App, enabled: boolean): void {
  if (process.platform === 'linux') return;
  app.setLoginItemSettings({ openAtLogin: enabled });
}
