// Makes the running server serve exactly the extra sources the settings list, under the same ids.
// Structural types only: broadcast.ts is the one importer of server/, and it hands the server in.

/** The slice of a served source this needs. */
export interface ServedSourceLike {
  readonly id: number;
  readonly name: string;
  rename(name: string): void;
}

/** The slice of BroadcastServer this needs. */
export interface SourceHost {
  readonly sources: readonly ServedSourceLike[];
  source(id: number): ServedSourceLike | undefined;
  addSource(options?: { readonly name?: string }): ServedSourceLike;
  removeSource(id: number): boolean;
}

export interface WantedSource {
  readonly id: number;
  readonly name: string;
}

export interface SourceSyncResult {
  readonly added: readonly number[];
  readonly removed: readonly number[];
}

/**
 * Removes served sources the settings no longer list, adds the missing ones and renames the rest. The server
 * hands out the lowest free id, so a gap in the saved ids (2 and 4 after 3 was removed) is bridged by adding
 * placeholders and removing them again: a link shared as /cam/4/ keeps working after a restart.
 */
export function syncSources(host: SourceHost, wanted: readonly WantedSource[]): SourceSyncResult {
  const wantedById = new Map(wanted.map((source) => [source.id, source]));
  const removed: number[] = [];
  for (const source of [...host.sources]) {
    if (source.id !== 1 && !wantedById.has(source.id) && host.removeSource(source.id))
      removed.push(source.id);
  }
  const missing = wanted.filter((source) => host.source(source.id) === undefined);
  const added: number[] = [];
  if (missing.length > 0) {
    const highest = Math.max(...missing.map((source) => source.id));
    const placeholders: number[] = [];
    for (;;) {
      let source: ServedSourceLike;
      try {
        source = host.addSource({ name: '' });
      } catch {
        break; // Full (RangeError): nothing more can be served.
      }
      if (wantedById.has(source.id)) added.push(source.id);
      else placeholders.push(source.id);
      if (source.id >= highest) break;
    }
    for (const id of placeholders) host.removeSource(id);
  }
  for (const source of wanted) {
    const served = host.source(source.id);
    if (served && served.name !== source.name) served.rename(source.name);
  }
  return { added, removed };
}
