// Builds the init script that runs the real preload bundle in a Chromium page with a `require('electron')` stand-in.

/** Names of the Playwright bindings that carry ipcRenderer traffic to the test process. */
export const bindingNames = {
  send: '__lancamHarnessSend',
  invoke: '__lancamHarnessInvoke',
} as const;

const arrayBufferTag = '__lancamHarnessArrayBuffer';

/**
 * Undoes the stand-in's tagging, so main receives an ArrayBuffer exactly as Electron's structured clone
 * delivers one.
 */
export function fromWire(args: readonly unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg !== 'object' || arg === null || !(arrayBufferTag in arg)) return arg;
    const bytes = (arg as Record<string, unknown>)[arrayBufferTag];
    if (!(bytes instanceof Uint8Array)) return arg;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  });
}

/**
 * Runs in the page before any of its scripts and provides what our sandboxed preload uses from
 * `require('electron')`: contextBridge.exposeInMainWorld and ipcRenderer send/invoke/on/removeListener.
 * send/invoke go to the test process over the Playwright bindings; `__lancamHarnessEmit` is how the test
 * delivers main → renderer pushes, with an IpcRendererEvent-like first argument the preload must strip;
 * `__lancamHarnessChannels` lists every channel the preload touched. Plain JS in a string on purpose: a
 * TS function's toString() carries the test loader's helpers (esbuild's __name), which the page lacks.
 */
const standIn = String.raw`
  const channels = [];
  const listeners = new Map();
  window.__lancamHarnessChannels = channels;
  const touch = (channel) => {
    if (!channels.includes(channel)) channels.push(channel);
  };
  // Bindings turn an ArrayBuffer into {} but keep a Uint8Array: tag it, and the test side restores it.
  const wire = (args) =>
    args.map((arg) => (arg instanceof ArrayBuffer ? { ${arrayBufferTag}: new Uint8Array(arg) } : arg));
  const ipcRenderer = {
    send(channel, ...args) {
      touch(channel);
      void window.${bindingNames.send}(channel, wire(args));
    },
    invoke(channel, ...args) {
      touch(channel);
      return window.${bindingNames.invoke}(channel, wire(args));
    },
    on(channel, listener) {
      touch(channel);
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(listener);
      return ipcRenderer;
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  window.__lancamHarnessEmit = (channel, args) => {
    const event = { sender: ipcRenderer };
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  };
  const contextBridge = {
    exposeInMainWorld(key, api) {
      Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
    },
  };
  const require = (name) => {
    if (name === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('a sandboxed preload cannot require("' + name + '")');
  };
`;

/** The init script: the stand-in, then the preload bundle evaluated as CommonJS with that `require`. */
export function preloadInitScript(preloadSource: string): string {
  return [
    '(() => {',
    standIn,
    '  const module = { exports: {} };',
    '  (function (require, module, exports) {',
    preloadSource,
    '  })(require, module, module.exports);',
    '})();',
  ].join('\n');
}
