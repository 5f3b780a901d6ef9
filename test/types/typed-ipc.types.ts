// Type-level test, checked by `npm run typecheck` and never run: the typed IPC helpers of the preload and of
// main's pushes reject a channel swapped by mistake. Each `@ts-expect-error` fails the typecheck if the line
// under it ever compiles.
import {
  Channels,
  type BroadcastStatus,
  type CameraState,
  type LanCamApi,
  type Settings,
} from '../../electron/ipc.ts';
import { pushToWindow, type PushTarget } from '../../electron/main/window-events.ts';
import type { TypedIpc } from '../../electron/preload/typed-ipc.ts';

declare const ipc: TypedIpc;
declare const window: PushTarget;
declare const status: BroadcastStatus;
declare const settings: Settings;
declare const cameraState: CameraState;

/** The preload's own wiring, restated: it compiles. */
export const wired = {
  start: () => ipc.invoke(Channels.start),
  getStatus: () => ipc.invoke(Channels.getStatus),
  updateSettings: (patch) => ipc.invoke(Channels.updateSettings, patch),
  onStatus: (listener) => ipc.on(Channels.status, listener),
  reportCameraState(state, sourceId) {
    ipc.send(Channels.cameraState, state, sourceId);
  },
  updateSource: (id, patch) => ipc.invoke(Channels.updateSource, id, patch),
} satisfies Partial<LanCamApi>;

export const swappedInvoke = {
  // @ts-expect-error getStatus resolves a bare BroadcastStatus, not the Result that start() promises.
  start: () => ipc.invoke(Channels.getStatus),
} satisfies Pick<LanCamApi, 'start'>;

export const swappedSource = {
  // @ts-expect-error addSource resolves Result<Settings>; getStatus a bare BroadcastStatus.
  addSource: () => ipc.invoke(Channels.getStatus),
} satisfies Pick<LanCamApi, 'addSource'>;

export const swappedResult = {
  // @ts-expect-error getSettings resolves Settings, not Result<Settings>.
  regenerateKey: () => ipc.invoke(Channels.getSettings),
} satisfies Pick<LanCamApi, 'regenerateKey'>;

export function swappedCalls(): void {
  // @ts-expect-error the frame channel carries (jpeg, meta, sourceId), not a camera state.
  ipc.send(Channels.frame, cameraState);
  // @ts-expect-error a camera state names its source.
  ipc.send(Channels.cameraState, cameraState);
  // @ts-expect-error removeSource takes a source id, not a patch.
  void ipc.invoke(Channels.removeSource, { name: 'x' });
  // @ts-expect-error updateSettings takes a patch; start takes nothing.
  void ipc.invoke(Channels.start, settings);
  // @ts-expect-error status is an EventMap channel, not an invoke channel.
  void ipc.invoke(Channels.status);
  // @ts-expect-error status listeners receive a BroadcastStatus, not Settings.
  ipc.on(Channels.status, (pushed: Settings) => pushed.fps);
  pushToWindow(window, Channels.status, status);
  // @ts-expect-error main pushes a BroadcastStatus on the status channel, nothing else.
  pushToWindow(window, Channels.status, settings);
  // @ts-expect-error only EventMap channels can be pushed to the window.
  pushToWindow(window, Channels.frame, status);
}
