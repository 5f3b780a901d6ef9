// Preload of the control window: exposes exactly `window.lancam`, named functions over the channels of ipc.ts.
// Bundled to one CommonJS file because a sandboxed preload can require() nothing but electron
// (electron/electron docs/tutorial/sandbox.md, "Preload scripts").
import { contextBridge, ipcRenderer } from 'electron';
import { Channels, type LanCamApi } from '../ipc.ts';
import { typedIpc } from './typed-ipc.ts';

const ipc = typedIpc(ipcRenderer);

const api = {
  sendFrame(jpeg, meta, sourceId) {
    ipc.send(Channels.frame, jpeg, meta, sourceId);
  },
  sendVideoChunk(data, meta) {
    ipc.send(Channels.videoChunk, data, meta);
  },
  onKeyframeRequest: (listener) => ipc.on(Channels.keyframeRequest, listener),
  reportCameraState(state, sourceId) {
    ipc.send(Channels.cameraState, state, sourceId);
  },
  start: () => ipc.invoke(Channels.start),
  stop: () => ipc.invoke(Channels.stop),
  getStatus: () => ipc.invoke(Channels.getStatus),
  onStatus: (listener) => ipc.on(Channels.status, listener),
  getSettings: () => ipc.invoke(Channels.getSettings),
  updateSettings: (patch) => ipc.invoke(Channels.updateSettings, patch),
  regenerateKey: () => ipc.invoke(Channels.regenerateKey),
  openPreview: () => ipc.invoke(Channels.openPreview),
  openExternal: (url) => ipc.invoke(Channels.openExternal, url),
  copyText: (text) => ipc.invoke(Channels.copyText, text),
  listScreenSources: () => ipc.invoke(Channels.listScreenSources),
  chooseScreenSource: (id) => ipc.invoke(Channels.chooseScreenSource, id),
  disconnectViewer: (id) => ipc.invoke(Channels.disconnectViewer, id),
  disconnectAll: () => ipc.invoke(Channels.disconnectAll),
  allowAddress: (address) => ipc.invoke(Channels.allowAddress, address),
  addSource: (initial) => ipc.invoke(Channels.addSource, initial),
  removeSource: (id) => ipc.invoke(Channels.removeSource, id),
  updateSource: (id, patch) => ipc.invoke(Channels.updateSource, id, patch),
} satisfies LanCamApi;

contextBridge.exposeInMainWorld('lancam', api);
