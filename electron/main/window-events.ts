// main → renderer pushes, typed by the contract's EventMap (the counterpart of the preload's typed `on`).
import type { EventMap } from '../ipc.ts';

/** The slice of Electron's WebContents a push needs. */
export interface PushTarget {
  send(channel: string, ...args: unknown[]): void;
}

/** Pushes `args` on `channel`; arguments that are not the channel's EventMap entry fail typecheck. */
export function pushToWindow<C extends keyof EventMap>(
  target: PushTarget,
  channel: C,
  ...args: EventMap[C]
): void {
  target.send(channel, ...args);
}
