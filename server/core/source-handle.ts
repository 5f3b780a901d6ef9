// The BroadcastSource handle of one source: what the Electron main and the CLI drive (publish, pause, resume,
// rename, reconnect, status), bound to that source's hub and viewers.
import type { Logger } from '../types.ts';
import type { BroadcastSource, FrameMeta, SourceStatus } from '../types.ts';
import type { SourceEntry } from './sources.ts';
import { cleanSourceName } from './sources.ts';
import { buildSourceStatus } from './status.ts';
import type { ViewerRegistry } from './viewer-registry.ts';

export interface SourceHandleDeps {
  readonly registry: ViewerRegistry;
  readonly logger: Logger;
  /** The source's state, name or viewers changed: the server's status listeners should hear of it. */
  readonly onChange: () => void;
}

export function createSourceHandle(entry: SourceEntry, deps: SourceHandleDeps): BroadcastSource {
  return {
    id: entry.id,
    get name() {
      return entry.name;
    },
    publish(jpeg: Uint8Array, meta: FrameMeta): boolean {
      // A removed source's frames have nowhere to go; its id may already serve another source.
      if (entry.isRemoved) return false;
      try {
        return entry.hub.publish(jpeg, meta);
      } catch (error) {
        deps.logger.error(`publish to source ${entry.id} failed: ${String(error)}`);
        return false;
      }
    },
    pause() {
      if (entry.isRemoved) return;
      entry.hub.pause();
      deps.onChange();
    },
    resume() {
      if (entry.isRemoved) return;
      entry.hub.resume();
      deps.onChange();
    },
    reconnectViewers() {
      if (entry.isRemoved) return;
      deps.registry.endSource(entry.id);
    },
    rename(name: string) {
      if (entry.isRemoved) return;
      entry.name = cleanSourceName(name);
      deps.onChange();
    },
    status(): SourceStatus {
      const viewerCount = entry.isRemoved ? 0 : deps.registry.countOf(entry.id);
      return buildSourceStatus(entry, viewerCount);
    },
  };
}
