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
  addSource(options: { readonly id: number; readonly name: string }): ServedSourceLike;
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

/** Removes served sources the settings no longer list, adds the missing ones under their ids, renames the rest. */
export function syncSources(host: SourceHost, wanted: readonly WantedSource[]): SourceSyncResult {
  const wantedIds = new Set(wanted.map((source) => source.id));
  const removed: number[] = [];
  for (const source of [...host.sources]) {
    if (source.id !== 1 && !wantedIds.has(source.id) && host.removeSource(source.id))
      removed.push(source.id);
  }
  const added: number[] = [];
  for (const source of wanted) {
    const served = host.source(source.id);
    if (served === undefined) {
      // Ids are saved, so a link shared as /cam/4/ keeps working after a restart, even with no source 3.
      host.addSource({ id: source.id, name: source.name });
      added.push(source.id);
    } else if (served.name !== source.name) {
      served.rename(source.name);
    }
  }
  return { added, removed };
}
