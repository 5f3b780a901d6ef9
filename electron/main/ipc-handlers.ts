// Binds every renderer→main channel of ipc.ts to the broadcast and settings: sender check, then payload guards.
import {
  Channels,
  type InvokeMap,
  type Result,
  type SendMap,
  type Settings,
  type SourceSettings,
} from '../ipc.ts';
import type { Broadcast } from './broadcast.ts';
import type { ScreenSources } from './screen-sources.ts';
import type { SettingsStore } from './settings-store.ts';
import { newAccessKey } from './settings-store.ts';
import {
  sourceIdsOf,
  withSourceAdded,
  withSourceChanged,
  withSourceRemoved,
  type SourceListChange,
} from './source-settings.ts';
import { appOrigin, originOf } from './url-guards.ts';
import {
  checkSettingsPatch,
  checkSourcePatch,
  createFrameGate,
  createVideoGate,
  isCameraState,
  isClientAddress,
  isClipboardText,
  isSourceId,
  isUrlText,
  isViewerId,
  type FrameGate,
  type VideoGate,
} from './validate.ts';

/** The parts of Electron's WebFrameMain a sender check reads. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The parts of IpcMainEvent / IpcMainInvokeEvent a handler reads. */
export interface IpcEventLike {
  readonly sender: unknown;
  readonly senderFrame: SenderFrameLike | null;
}

type Listener = (event: IpcEventLike, ...args: unknown[]) => void;

/**
 * The slice of Electron's ipcMain the handlers register on. main passes the real ipcMain; the harness test
 * passes a transport over Playwright bindings, so everything below runs unchanged in both.
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: Listener): unknown;
  removeListener(channel: string, listener: Listener): unknown;
}

export interface SenderPolicy {
  /** Defaults to app://bundle. */
  readonly trustedOrigin?: string;
  /** True for the control window's webContents only. */
  readonly isControlWindow: (sender: unknown) => boolean;
}

/** Why a sender is refused, or null when it is our control window's top frame on our origin. */
export function senderProblem(event: IpcEventLike, policy: SenderPolicy): string | null {
  const frame = event.senderFrame;
  if (frame === null) return 'sender frame is gone';
  if (frame.parent !== null) return 'not the top frame';
  if (originOf(frame.url) !== (policy.trustedOrigin ?? appOrigin)) return `origin of ${frame.url}`;
  if (!policy.isControlWindow(event.sender)) return 'not the control window';
  return null;
}

export interface IpcHandlerDeps extends SenderPolicy {
  readonly broadcast: Broadcast;
  readonly settings: SettingsStore;
  readonly openPreview: () => Promise<Result<null>>;
  readonly openExternal: (url: string) => Promise<Result<null>>;
  readonly copyText: (text: string) => void;
  /** Screens and windows as a source (screen-sources.ts); absent where there is no desktopCapturer. */
  readonly screenSources?: Pick<ScreenSources, 'list' | 'choose'>;
  /** Side effects of a saved settings change outside the broadcast (e.g. the login item). */
  readonly onSettingsSaved?: (previous: Settings, next: Settings) => void;
  readonly log: (message: string) => void;
}

type InvokeHandlers = {
  readonly [C in keyof InvokeMap]: (
    ...args: unknown[]
  ) => Promise<InvokeMap[C][1]> | InvokeMap[C][1];
};
type SendHandlers = { readonly [C in keyof SendMap]: (...args: unknown[]) => void };

export interface RegisteredIpc {
  /** Counts and logs rejected frames; exposed for the status and for tests. */
  readonly frameGate: FrameGate;
  /** Counts and logs rejected H.264 chunks. */
  readonly videoGate: VideoGate;
  readonly invokeChannels: readonly (keyof InvokeMap)[];
  readonly sendChannels: readonly (keyof SendMap)[];
  dispose(): void;
}

const invalid = (message: string): Result<never> => ({
  ok: false,
  code: 'invalid-argument',
  message,
});

const noScreens: Result<never> = {
  ok: false,
  code: 'internal',
  message: 'Screen capture is not available here.',
};

/** Registers one handler per channel; the mapped types make a missing channel a compile error. */
export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcHandlerDeps): RegisteredIpc {
  const logged = new Set<string>();
  const logOnce = (message: string): void => {
    if (logged.has(message)) return;
    logged.add(message);
    deps.log(message);
  };
  const isKnownSource = (id: unknown): id is number =>
    isSourceId(id) && sourceIdsOf(deps.settings.get()).includes(id);
  const frameGate = createFrameGate({
    logOnce,
    onReject: (reason) => {
      deps.broadcast.noteRejectedFrame(reason);
    },
    isKnownSource,
  });

  const videoGate = createVideoGate({
    logOnce,
    onReject: (reason) => {
      deps.broadcast.noteRejectedFrame(reason);
    },
    onKeyframeNeeded: () => {
      deps.broadcast.requestKeyframe();
    },
  });

  async function saveSettings(patch: Partial<Settings>): Promise<Result<Settings>> {
    const previous = deps.settings.get();
    let next: Settings;
    try {
      next = await deps.settings.update(patch);
    } catch (error) {
      return {
        ok: false,
        code: 'internal',
        message: `Could not save the settings: ${String(error)}`,
      };
    }
    deps.onSettingsSaved?.(previous, next);
    await deps.broadcast.settingsChanged(previous, next);
    return { ok: true, value: next };
  }

  /** Saves a new extra-source list computed from the current one (refusals come back as data). */
  function saveSources(
    change: (sources: readonly SourceSettings[]) => SourceListChange,
  ): Promise<Result<Settings>> | Result<Settings> {
    const changed = change(deps.settings.get().extraSources ?? []);
    return changed.ok ? saveSettings({ extraSources: changed.sources }) : invalid(changed.message);
  }

  const invokeHandlers: InvokeHandlers = {
    [Channels.start]: () => deps.broadcast.start(),
    [Channels.stop]: () => deps.broadcast.stop(),
    [Channels.getStatus]: () => deps.broadcast.status(),
    [Channels.getSettings]: () => deps.settings.get(),
    [Channels.updateSettings]: (patch) => {
      const checked = checkSettingsPatch(patch);
      return checked.ok ? saveSettings(checked.patch) : invalid(checked.message);
    },
    [Channels.regenerateKey]: () => saveSettings({ accessKey: newAccessKey() }),
    [Channels.openPreview]: () => deps.openPreview(),
    [Channels.openExternal]: (url) =>
      isUrlText(url) ? deps.openExternal(url) : invalid('not a URL'),
    [Channels.copyText]: (text) => {
      if (!isClipboardText(text)) return invalid('clipboard text must be a string of at most 8 KB');
      deps.copyText(text);
      return { ok: true, value: null };
    },
    [Channels.listScreenSources]: () => deps.screenSources?.list() ?? noScreens,
    [Channels.chooseScreenSource]: (id) => deps.screenSources?.choose(id) ?? noScreens,
    [Channels.disconnectViewer]: (id) =>
      isViewerId(id) ? deps.broadcast.disconnectViewer(id) : invalid('not a viewer id'),
    [Channels.disconnectAll]: () => deps.broadcast.disconnectAll(),
    [Channels.allowAddress]: (address) =>
      isClientAddress(address) ? deps.broadcast.allowAddress(address) : invalid('not an address'),
    [Channels.addSource]: (initial) => {
      const checked = checkSourcePatch(initial);
      if (!checked.ok) return invalid(checked.message);
      return saveSources((sources) => withSourceAdded(sources, checked.patch));
    },
    [Channels.removeSource]: (id) =>
      isSourceId(id)
        ? saveSources((sources) => withSourceRemoved(sources, id))
        : invalid('not a source id'),
    [Channels.updateSource]: (id, patch) => {
      if (!isSourceId(id)) return invalid('not a source id');
      const checked = checkSourcePatch(patch);
      if (!checked.ok) return invalid(checked.message);
      return saveSources((sources) => withSourceChanged(sources, id, checked.patch));
    },
  };

  const sendHandlers: SendHandlers = {
    [Channels.frame]: (jpeg, meta, sourceId) => {
      const frame = frameGate.accept(jpeg, meta, sourceId);
      if (frame) deps.broadcast.publishFrame(frame.bytes, frame.meta, frame.sourceId);
    },
    [Channels.videoChunk]: (data, meta) => {
      const chunk = videoGate.accept(data, meta);
      if (chunk) deps.broadcast.publishVideo(chunk.bytes, chunk.meta);
    },
    [Channels.cameraState]: (state, sourceId) => {
      if (isCameraState(state) && isKnownSource(sourceId))
        deps.broadcast.setCameraState(state, sourceId);
      else logOnce(`${Channels.cameraState}: invalid payload ignored`);
    },
  };

  const invokeChannels = Object.keys(invokeHandlers) as (keyof InvokeMap)[];
  const sendChannels = Object.keys(sendHandlers) as (keyof SendMap)[];

  for (const channel of invokeChannels) {
    const handler = invokeHandlers[channel];
    ipcMain.handle(channel, (event, ...args) => {
      const problem = senderProblem(event, deps);
      if (problem !== null) {
        logOnce(`${channel}: refused sender (${problem})`);
        // Thrown, not returned: an untrusted page gets a rejected promise and no data at all.
        throw new Error('untrusted sender');
      }
      return handler(...args);
    });
  }
  const listeners = sendChannels.map((channel) => {
    const handler = sendHandlers[channel];
    const listener: Listener = (event, ...args) => {
      const problem = senderProblem(event, deps);
      if (problem !== null) {
        logOnce(`${channel}: refused sender (${problem})`);
        if (channel === Channels.frame) frameGate.reject('untrusted-sender');
        if (channel === Channels.videoChunk) videoGate.reject('video-untrusted-sender');
        return;
      }
      handler(...args);
    };
    ipcMain.on(channel, listener);
    return [channel, listener] as const;
  });

  return {
    frameGate,
    videoGate,
    invokeChannels,
    sendChannels,
    dispose() {
      for (const channel of invokeChannels) ipcMain.removeHandler(channel);
      for (const [channel, listener] of listeners) ipcMain.removeListener(channel, listener);
    },
  };
}
