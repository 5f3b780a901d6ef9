// An in-process stand-in for Electron's ipcMain transport: records registrations and delivers calls to them.
import type { IpcEventLike, IpcMainLike } from '../../electron/main/ipc-handlers.ts';

type Handler = (event: IpcEventLike, ...args: unknown[]) => unknown;

/**
 * Only the transport is substituted: the handlers registered on it are the real ones from ipc-handlers.ts.
 * `calls` counts every message delivered per channel, so a test can prove each channel was exercised.
 */
export class InProcessIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();
  readonly listeners = new Map<string, Set<Handler>>();
  readonly calls = new Map<string, number>();

  handle(channel: string, listener: Handler): void {
    // Electron throws on a second handler for one channel; so does this.
    if (this.handlers.has(channel))
      throw new Error(`a handler for ${channel} is already registered`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: Handler): this {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return this;
  }
  removeListener(channel: string, listener: Handler): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  /** Like ipcRenderer.invoke arriving in main: rejects when no handler exists or the handler throws. */
  async invoke(event: IpcEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    this.#count(channel);
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return await handler(event, ...args);
  }

  /** Like ipcRenderer.send arriving in main. */
  send(event: IpcEventLike, channel: string, ...args: unknown[]): void {
    this.#count(channel);
    for (const listener of this.listeners.get(channel) ?? []) listener(event, ...args);
  }

  #count(channel: string): void {
    this.calls.set(channel, (this.calls.get(channel) ?? 0) + 1);
  }
}
