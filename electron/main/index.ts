// Electron main process: the composition root. Wires the modules of this folder together and nothing more.
import { hostname } from 'node:os';
import path from 'node:path';
import {
  app,
  clipboard,
  desktopCapturer,
  ipcMain,
  Notification,
  powerSaveBlocker,
  session,
  type BrowserWindow,
} from 'electron';
import { Channels, type BroadcastStatus } from '../ipc.ts';
import { registerAppScheme, serveAppBundle } from './app-protocol.ts';
import { createBroadcast, type KeepAwake } from './broadcast.ts';
import { explainCameraDenial, requestCameraAccess } from './camera-access.ts';
import { registerIpcHandlers } from './ipc-handlers.ts';
import { applyLoginItem, installLifecycle } from './lifecycle.ts';
import { createMdnsAdvertiser } from './mdns.ts';
import { createPermissionPolicy, installPermissionPolicy } from './permissions.ts';
import { installContentsHardening, openExternalSafely } from './security.ts';
import { createScreenSources } from './screen-sources.ts';
import { openSettingsStore } from './settings-store.ts';
import { createTray, type LanCamTray } from './tray.ts';
import { arrivalNotice, ViewerArrivals } from './viewer-arrivals.ts';
import { pushToWindow } from './window-events.ts';
import { createControlWindow, createPreviewOpener } from './windows.ts';

// Every LANCAM_ variable is read here and nowhere else (docs/architecture.md, "Environment variables").
const userDataOverride = process.env.LANCAM_USER_DATA_DIR;
const devTools = !app.isPackaged || process.env.LANCAM_DEVTOOLS === '1';
const usesFakeCamera = app.commandLine.hasSwitch('use-fake-device-for-media-stream');

const here = import.meta.dirname;
const rendererRoot = path.join(here, '..', 'renderer');
const preloadPath = path.join(here, '..', 'preload', 'control-window.cjs');
const iconPath = path.join(here, 'icon.png');

const logger = {
  info: (message: string) => {
    console.log(`[lancam] ${message}`);
  },
  warn: (message: string) => {
    console.warn(`[lancam] ${message}`);
  },
  error: (message: string) => {
    console.error(`[lancam] ${message}`);
  },
};

function keepAwake(): KeepAwake {
  let id: number | null = null;
  return {
    start() {
      // Keeps the system from sleeping while live; the display may still turn off.
      id ??= powerSaveBlocker.start('prevent-app-suspension');
    },
    stop() {
      if (id !== null) powerSaveBlocker.stop(id);
      id = null;
    },
  };
}

async function main(): Promise<void> {
  await app.whenReady();
  const settings = await openSettingsStore(app.getPath('userData'), logger.warn);
  serveAppBundle(rendererRoot, logger.warn);

  let controlWindow: BrowserWindow | null = null;
  let tray: LanCamTray | null = null;
  const isControlWindow = (contents: unknown): boolean =>
    controlWindow !== null &&
    !controlWindow.isDestroyed() &&
    contents === controlWindow.webContents;

  installPermissionPolicy(
    session.defaultSession,
    createPermissionPolicy({
      isTrustedWebContents: isControlWindow,
      onDeny: (query, reason) => {
        logger.warn(`permission ${query.permission} denied: ${reason}`);
      },
    }),
  );

  const screenSources = createScreenSources({
    // Thumbnails off: the picker shows names, and rendering one per window is the slow part of listing.
    getSources: () =>
      desktopCapturer.getSources({
        types: ['screen', 'window'],
        thumbnailSize: { width: 0, height: 0 },
      }),
    // Electron keeps one WebFrameMain object per frame, so identity is a safe comparison.
    isControlFrame: (frame) =>
      controlWindow !== null &&
      !controlWindow.isDestroyed() &&
      frame === controlWindow.webContents.mainFrame,
    log: logger.warn,
  });
  session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
    screenSources.handleRequest(request, callback);
  });
  const arrivals = new ViewerArrivals();
  let newestViewer: string | null = null;
  const announceArrivals = (status: BroadcastStatus): void => {
    const arrived = arrivals.next(status);
    if (status.viewerCount === 0) newestViewer = null;
    const newest = arrived.at(-1);
    if (newest) newestViewer = `${newest.device} at ${newest.address}`;
    const notice = arrivalNotice(arrived);
    if (notice && settings.get().notifyOnViewer && Notification.isSupported()) {
      new Notification({ title: notice.title, body: notice.body, silent: true }).show();
    }
  };

  const broadcast = createBroadcast({
    settings: () => settings.get(),
    logger,
    keepAwake: keepAwake(),
    advertiser: createMdnsAdvertiser(`LanCam on ${hostname()}`, logger.warn),
    onStatus: (status: BroadcastStatus) => {
      if (controlWindow && !controlWindow.isDestroyed()) {
        pushToWindow(controlWindow.webContents, Channels.status, status);
      }
      announceArrivals(status);
      tray?.update(status, newestViewer);
    },
    onKeyframeRequest: () => {
      if (controlWindow && !controlWindow.isDestroyed()) {
        pushToWindow(controlWindow.webContents, Channels.keyframeRequest);
      }
    },
  });

  const openPreview = createPreviewOpener({ iconPath, devTools });
  registerIpcHandlers(ipcMain, {
    broadcast,
    settings,
    isControlWindow,
    openPreview: () => {
      const { port, key } = broadcast.status();
      if (port === null) {
        return Promise.resolve({
          ok: false,
          code: 'not-running',
          message: 'Start the broadcast to preview it as a viewer.',
        } as const);
      }
      openPreview(port, key);
      return Promise.resolve({ ok: true, value: null } as const);
    },
    openExternal: openExternalSafely,
    copyText: (text) => {
      clipboard.writeText(text);
    },
    screenSources,
    onSettingsSaved: (previous, next) => {
      if (previous.launchAtLogin !== next.launchAtLogin) applyLoginItem(app, next.launchAtLogin);
    },
    log: logger.warn,
  });

  // Asked before the control window opens the camera. With Chromium's fake capture device (e2e runs) no
  // system camera is touched, so there is nothing to ask the OS.
  const isCameraAllowed = usesFakeCamera || (await requestCameraAccess());
  const window = createControlWindow({ preloadPath, iconPath, devTools });
  controlWindow = window;
  if (!isCameraAllowed) {
    logger.warn('camera access denied by the system');
    window.once('ready-to-show', () => void explainCameraDenial(window));
  }
  const showWindow = (): void => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };

  tray = createTray(iconPath, {
    start: () => void broadcast.start(),
    stop: () => void broadcast.stop(),
    showWindow,
    quit: () => {
      app.quit();
    },
  });
  tray.update(broadcast.status());

  installLifecycle(app, window, {
    isLive: () => broadcast.isLive,
    notifyStillLive: () => {
      if (!Notification.isSupported()) return;
      new Notification({
        title: 'LanCam is still broadcasting',
        body: 'The window is closed but viewers still see your camera. Use the tray icon to stop or quit.',
      }).show();
    },
    shutdown: async () => {
      await broadcast.stop();
      tray.destroy();
    },
    log: logger.warn,
  });
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);

  // Start-on-launch is the control window's job: it opens the camera before any port is opened.
  applyLoginItem(app, settings.get().launchAtLogin);
}

// Before the lock: the lock lives in the user-data folder, so a test profile does not collide with a real one.
if (userDataOverride) app.setPath('userData', path.resolve(userDataOverride));
// One instance only: a second launch focuses the first window (and two servers would fight over the port).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // Every renderer sandboxed, including any we forget to configure (checklist #4); must precede ready.
  app.enableSandbox();
  registerAppScheme();
  installContentsHardening(logger.warn);
  main().catch((error: unknown) => {
    logger.error(
      `fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    app.exit(1);
  });
}
