// The window.lancam the tests inject into the page: invokes go through a Playwright binding, frames and
// reports through one same-origin WebSocket, status arrives via __lancamPushStatus.
// Also the test-only hooks (__lancamTest); none of this exists in production code.

/** Runs in the page (serialised by Playwright): keep it self-contained. */
export function installTestBridge(): void {
  type Listener = (status: unknown) => void;
  type Invoke = (method: string, arg?: unknown) => Promise<unknown>;
  const w = window as unknown as Record<string, unknown>;
  const invoke: Invoke = (method, arg) => (w.__lancamInvoke as Invoke)(method, arg);
  const listeners = new Set<Listener>();
  // One ordered channel for frames and reports, like Electron's IPC: a format change always precedes the
  // first frame of the new size.
  const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/__lancam/socket`);
  socket.binaryType = 'arraybuffer';
  const backlog: (string | ArrayBuffer)[] = [];
  socket.addEventListener('open', () => {
    for (const message of backlog.splice(0)) socket.send(message);
  });
  const sendRaw = (message: string | ArrayBuffer): void => {
    if (socket.readyState === WebSocket.OPEN) socket.send(message);
    else backlog.push(message);
  };
  const send = (header: Record<string, unknown>, payload?: ArrayBuffer): void => {
    sendRaw(JSON.stringify(payload ? { ...header, payloadBytes: payload.byteLength } : header));
    if (payload) sendRaw(payload);
  };
  const api = {
    sendFrame(jpeg: ArrayBuffer, meta: { captureTimeMs: number; width: number; height: number }) {
      const sentAtMs = performance.timeOrigin + performance.now();
      send({ type: 'frame', ...meta, sentAtMs }, jpeg);
    },
    reportCaptureFormat(format: unknown) {
      send({ type: 'format', format });
    },
    reportCameraState(state: unknown) {
      send({ type: 'camera-state', state });
    },
    start: () => invoke('start'),
    stop: () => invoke('stop'),
    getStatus: () => invoke('getStatus'),
    onStatus(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSettings: () => invoke('getSettings'),
    updateSettings: (patch: unknown) => invoke('updateSettings', patch),
    regenerateKey: () => invoke('regenerateKey'),
    openPreview: () => invoke('openPreview'),
    openExternal: (url: string) => invoke('openExternal', url),
    copyText: (text: string) => invoke('copyText', text),
    listScreenSources: () => invoke('listScreenSources'),
    chooseScreenSource: (id: string) => invoke('chooseScreenSource', id),
  };
  Object.defineProperty(window, 'lancam', { value: Object.freeze(api), enumerable: true });
  w.__lancamPushStatus = (status: unknown) => {
    for (const listener of listeners) listener(status);
  };

  // Test hooks: remember the streams the page opens so a test can end the camera track.
  const streams: MediaStream[] = [];
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await original(constraints);
    streams.push(stream);
    return stream;
  };
  w.__lancamTest = {
    /** What unplugging does: the track stops and fires 'ended' (stop() alone fires nothing). */
    endTrack() {
      const track = streams.at(-1)?.getVideoTracks()[0];
      if (!track) return false;
      track.stop();
      track.dispatchEvent(new Event('ended'));
      return true;
    },
    /** What plugging a camera back in does. */
    fireDeviceChange() {
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    },
  };
}
