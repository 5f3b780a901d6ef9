// Preload of the control window: exposes exactly `window.lancam`, named functions over the channels of ipc.ts.
// Bundled to one CommonJS file because a sandboxed preload can require() nothing but electron (sandbox.md).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { Channels, type BroadcastStatus, type LanCamApi } from '../ipc.ts';

const api = {
  sendFrame(jpeg, meta) {
    ipcRenderer.send(Channels.frame, jpeg, meta);
  },
  reportCaptureFormat(format) {
    ipcRenderer.send(Channels.captureFormat, format);
  },
  reportCameraState(state) {
    ipcRenderer.send(Channels.cameraState, state);
  },
  start() {
    return ipcRenderer.invoke(Channels.start);
  },
  stop() {
    return ipcRenderer.invoke(Channels.stop);
  },
  getStatus() {
    return ipcRenderer.invoke(Channels.getStatus);
  },
  onStatus(listener) {
    // The IpcRendererEvent never reaches the page (checklist #20): it carries `sender`, i.e. ipcRenderer.
    const forward = (_event: IpcRendererEvent, status: BroadcastStatus): void => {
      listener(status);
    };
    ipcRenderer.on(Channels.status, forward);
    return () => {
      ipcRenderer.removeListener(Channels.status, forward);
    };
  },
  getSettings() {
    return ipcRenderer.invoke(Channels.getSettings);
  },
  updateSettings(patch) {
    return ipcRenderer.invoke(Channels.updateSettings, patch);
  },
  regenerateKey() {
    return ipcRenderer.invoke(Channels.regenerateKey);
  },
  openPreview() {
    return ipcRenderer.invoke(Channels.openPreview);
  },
  openExternal(url) {
    return ipcRenderer.invoke(Channels.openExternal, url);
  },
  copyText(text) {
    return ipcRenderer.invoke(Channels.copyText, text);
  },
  listScreenSources() {
    return ipcRenderer.invoke(Channels.listScreenSources);
  },
  chooseScreenSource(id) {
    return ipcRenderer.invoke(Channels.chooseScreenSource, id);
  },
} satisfies LanCamApi;

contextBridge.exposeInMainWorld('lancam', api);
