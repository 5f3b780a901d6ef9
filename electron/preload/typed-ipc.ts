// ipcRenderer seen through the contract: invoke, send and on typed by InvokeMap, SendMap and EventMap.
import type { EventMap, InvokeMap, SendMap } from '../ipc.ts';

/** The slice of Electron's ipcRenderer the helpers use (its `invoke` resolves `any`, hence this file). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** A call on a channel with the wrong arguments, or bound where another result is promised, fails typecheck. */
export interface TypedIpc {
  invoke<C extends keyof InvokeMap>(channel: C, ...args: InvokeMap[C][0]): Promise<InvokeMap[C][1]>;
  send<C extends keyof SendMap>(channel: C, ...args: SendMap[C]): void;
  /** Subscribes without the IpcRendererEvent; returns the unsubscribe function. */
  on<C extends keyof EventMap>(channel: C, listener: (...args: EventMap[C]) => void): () => void;
}

export function typedIpc(ipc: IpcRendererLike): TypedIpc {
  return {
    invoke<C extends keyof InvokeMap>(channel: C, ...args: InvokeMap[C][0]) {
      // The one unchecked step: main's handler for C answers InvokeMap[C][1] (ipc-handlers.ts is typed so).
      return ipc.invoke(channel, ...args) as Promise<InvokeMap[C][1]>;
    },
    send(channel, ...args) {
      ipc.send(channel, ...args);
    },
    on<C extends keyof EventMap>(channel: C, listener: (...args: EventMap[C]) => void) {
      // The IpcRendererEvent never reaches the page (checklist #20): it carries `sender`, i.e. ipcRenderer.
      const forward = (_event: unknown, ...args: unknown[]): void => {
        listener(...(args as EventMap[C]));
      };
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    },
  };
}
