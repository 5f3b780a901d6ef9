// Creates the control window and the "preview as viewer" window; webPreferences come from web-preferences.ts.
import { BrowserWindow } from 'electron';
import { controlWindowUrl, localViewerUrl } from './url-guards.ts';
import { secureWebPreferences } from './web-preferences.ts';

export interface WindowOptions {
  readonly iconPath: string;
  readonly devTools: boolean;
}

/** The control window from app://bundle/, with the preload bridge; shown once painted to avoid a white flash. */
export function createControlWindow(
  options: WindowOptions & { readonly preloadPath: string },
): BrowserWindow {
  const window = new BrowserWindow({
    title: 'LanCam',
    width: 1040,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    icon: options.iconPath,
    backgroundColor: '#111418',
    webPreferences: secureWebPreferences('control', {
      preloadPath: options.preloadPath,
      devTools: options.devTools,
    }),
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  void window.loadURL(controlWindowUrl);
  return window;
}

/**
 * The viewer page of our own server over http://127.0.0.1 with the key: exactly what viewers get, so a
 * problem with the stream shows up here too. One at a time; a second call focuses and reloads it.
 */
export function createPreviewOpener(
  options: WindowOptions,
): (port: number, key: string | null) => void {
  let preview: BrowserWindow | null = null;
  return (port, key) => {
    const url = localViewerUrl(port, key);
    if (preview && !preview.isDestroyed()) {
      void preview.loadURL(url);
      preview.focus();
      return;
    }
    const window = new BrowserWindow({
      title: 'LanCam — preview as viewer',
      width: 800,
      height: 600,
      icon: options.iconPath,
      backgroundColor: '#000000',
      webPreferences: secureWebPreferences('preview', { devTools: options.devTools }),
    });
    window.on('closed', () => {
      preview = null;
    });
    preview = window;
    void window.loadURL(url);
  };
}
