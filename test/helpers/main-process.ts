// The real main process minus Electron: settings store, createBroadcast and registerIpcHandlers over an
// in-process ipcMain. Tests supply only what Electron would (windows, shell, clipboard) and the page pusher.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BroadcastStatus, Result, Settings } from '../../electron/ipc.ts';
import { createBroadcast, type Broadcast } from '../../electron/main/broadcast.ts';
import {
  registerIpcHandlers,
  type IpcEventLike,
  type RegisteredIpc,
} from '../../electron/main/ipc-handlers.ts';
import type { ScreenSources } from '../../electron/main/screen-sources.ts';
import { openSettingsStore, type SettingsStore } from '../../electron/main/settings-store.ts';
import { InProcessIpcMain } from './in-process-ipc.ts';

export interface MainProcessOptions {
  /** Applied to the store before anything runs, as if the user had saved them earlier. */
  readonly settings?: Partial<Settings>;
  /** The page's real origin stands in for app://bundle (Chromium cannot host our custom scheme here). */
  readonly trustedOrigin: string;
  /** Where main pushes status (the control window's webContents.send in the app). */
  readonly onStatus: (status: BroadcastStatus) => void;
  /** Where main pushes keyframe requests (an H.264 consumer joined); the control window in the app. */
  readonly onKeyframeRequest?: () => void;
  readonly openPreview?: () => Promise<Result<null>>;
  readonly openExternal?: (url: string) => Promise<Result<null>>;
  readonly copyText?: (text: string) => void;
  /** Screens and windows as a source (desktopCapturer's part in the app); absent: none available. */
  readonly screenSources?: Pick<ScreenSources, 'list' | 'choose'>;
  /** Wraps the real store, e.g. to make one save fail as a full disk would. */
  readonly wrapStore?: (store: SettingsStore) => SettingsStore;
}

export interface MainProcess {
  readonly settings: SettingsStore;
  readonly broadcast: Broadcast;
  readonly ipcMain: InProcessIpcMain;
  readonly registered: RegisteredIpc;
  /** Warnings and errors main logged, in order. */
  readonly logs: string[];
  /** Stands in for the control window's webContents: the identity the sender check compares against. */
  readonly controlContents: object;
  /** The IPC event of a message from `frameUrl`, sent by the control window or by another one. */
  eventFrom(frameUrl: string, isControlWindow: boolean, parent?: unknown): IpcEventLike;
  close(): Promise<void>;
}

const refusedPreview: Result<null> = { ok: false, code: 'not-running', message: 'no preview' };
const opened: Result<null> = { ok: true, value: null };

export async function startMainProcess(options: MainProcessOptions): Promise<MainProcess> {
  const userData = await mkdtemp(path.join(tmpdir(), 'lancam-main-'));
  const logs: string[] = [];
  const store = await openSettingsStore(userData, (line) => logs.push(line));
  if (options.settings) await store.update(options.settings);
  const settings = options.wrapStore?.(store) ?? store;
  const broadcast = createBroadcast({
    settings: () => settings.get(),
    onStatus: options.onStatus,
    ...(options.onKeyframeRequest ? { onKeyframeRequest: options.onKeyframeRequest } : {}),
    logger: {
      info: () => undefined,
      warn: (line) => logs.push(line),
      error: (line) => logs.push(line),
    },
    // Loopback only: tests never expose a port to the network; the share URL is then 127.0.0.1.
    host: '127.0.0.1',
  });
  const controlContents = { id: 'control-window' };
  const ipcMain = new InProcessIpcMain();
  const registered = registerIpcHandlers(ipcMain, {
    broadcast,
    settings,
    trustedOrigin: options.trustedOrigin,
    isControlWindow: (sender) => sender === controlContents,
    openPreview: options.openPreview ?? (() => Promise.resolve(refusedPreview)),
    openExternal: options.openExternal ?? (() => Promise.resolve(opened)),
    copyText: options.copyText ?? (() => undefined),
    ...(options.screenSources ? { screenSources: options.screenSources } : {}),
    log: (line) => logs.push(line),
  });
  return {
    settings,
    broadcast,
    ipcMain,
    registered,
    logs,
    controlContents,
    eventFrom: (frameUrl, isControlWindow, parent = null) => ({
      sender: isControlWindow ? controlContents : { id: 'other' },
      senderFrame: { url: frameUrl, parent },
    }),
    async close() {
      registered.dispose();
      await broadcast.stop();
      await rm(userData, { recursive: true, force: true });
    },
  };
}
