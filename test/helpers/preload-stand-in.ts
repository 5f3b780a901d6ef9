// Builds the init script that runs the real preload bundle in a Chromium page with a `require('electron')` stand-in.
import type { Page } from 'playwright-core';
import type { EventMap } from '../../electron/ipc.ts';

/** Names of the Playwright bindings that carry ipcRenderer traffic to the test process. */
export const bindingNames = {
  send: '__lancamHarnessSend',
  invoke: '__lancamHarnessInvoke',
} as const;

const arrayBufferTag = '__lancamHarnessArrayBuffer';

export interface StandInOptions {
  /**
   * Same-origin WebSocket path (see static-server.ts) that carries every `send` instead of a Playwright
   * binding: one ordered, cheap channel, so a 30 fps frame stream costs about what Electron's IPC does.
   * Sends then carry no page identity, so use it only with one page per server.
   */
  readonly sendSocketPath?: string;
}

/** A `send` that arrived over the socket: what the page called ipcRenderer.send with. */
export interface SocketSend {
  readonly channel: string;
  readonly args: unknown[];
  /** Page clock (epoch ms) when the preload called send. */
  readonly sentAtMs: number;
}

/** Decodes one socket message; the tagged argument becomes the payload bytes (a Uint8Array, as a view). */
export function fromSocket(header: Record<string, unknown>, payload: Buffer): SocketSend {
  const args = Array.isArray(header.args) ? (header.args as unknown[]) : [];
  return {
    channel: String(header.channel),
    args: args.map((arg) =>
      typeof arg === 'object' && arg !== null && arrayBufferTag in arg ? payload : arg,
    ),
    sentAtMs: Number(header.sentAtMs),
  };
}

/** main → renderer push, typed by the contract's EventMap (webContents.send in the real app). */
export async function emitToPage<C extends keyof EventMap>(
  page: Page,
  channel: C,
  ...args: EventMap[C]
): Promise<void> {
  await page.evaluate(
    ([name, values]) => {
      (
        window as unknown as { __lancamHarnessEmit: (c: string, a: unknown[]) => void }
      ).__lancamHarnessEmit(name, values);
    },
    [channel, args] as const,
  );
}

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
const standIn = (options: StandInOptions): string => String.raw`
  const channels = [];
  const socketPath = ${JSON.stringify(options.sendSocketPath ?? null)};
  let socket = null;
  const backlog = [];
  if (socketPath !== null) {
    socket = new WebSocket(location.origin.replace(/^http/, 'ws') + socketPath);
    socket.binaryType = 'arraybuffer';
    socket.addEventListener('open', () => {
      for (const message of backlog.splice(0)) socket.send(message);
    });
  }
  const sendRaw = (message) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(message);
    else backlog.push(message);
  };
  // Header (JSON) first, then the one ArrayBuffer argument as a binary message, sent as is (no copy).
  const sendOverSocket = (channel, args) => {
    const payload = args.find((arg) => arg instanceof ArrayBuffer);
    const header = {
      channel,
      args: args.map((arg) => (arg instanceof ArrayBuffer ? { ${arrayBufferTag}: true } : arg)),
      sentAtMs: performance.timeOrigin + performance.now(),
    };
    if (payload) header.payloadBytes = payload.byteLength;
    sendRaw(JSON.stringify(header));
    if (payload) sendRaw(payload);
  };
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
      if (socket !== null) return sendOverSocket(channel, args);
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
export function preloadInitScript(preloadSource: string, options: StandInOptions = {}): string {
  return [
    '(() => {',
    standIn(options),
    '  const module = { exports: {} };',
    '  (function (require, module, exports) {',
    preloadSource,
    '  })(require, module, module.exports);',
    '})();',
  ].join('\n');
}
