// The sources one server serves: the id → {hub, name} table (ids 1 … MAX_SOURCES, lowest free id first,
// source 1 always present), and where each source's outputs live.
import { FrameHub } from './frame-hub.ts';
import { MAX_SOURCES } from '../types.ts';

/** One source's frame slot and name. The hub of an id never changes while the source exists. */
export interface SourceEntry {
  readonly id: number;
  name: string;
  readonly hub: FrameHub;
  /** Set once removed: its handle then refuses frames (ids are reused, entries never). */
  isRemoved: boolean;
}

/** The main source: served at today's paths as well as /cam/1/. */
export const MAIN_SOURCE_ID = 1;

/** Server-relative paths of a source's outputs (the page, the multipart stream, the snapshot). */
export function sourcePaths(id: number): {
  readonly page: string;
  readonly stream: string;
  readonly snapshot: string;
} {
  return {
    page: `/cam/${id}/`,
    stream: `/cam/${id}/stream.mjpg`,
    snapshot: `/cam/${id}/snapshot.jpg`,
  };
}

/** Names are shown in the page, the status and the control window: one line, bounded. */
export function cleanSourceName(name: string | undefined): string {
  if (name === undefined) return '';
  if (typeof name !== 'string') throw new TypeError('a source name must be a string');
  // Control characters (line breaks above all) would break the one-line tiles and log lines.
  return name
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 64);
}

export class SourceTable {
  readonly #entries = new Map<number, SourceEntry>();
  readonly #placeholderJpeg: Buffer;
  /** Present from the constructor on and never removed. */
  readonly main: SourceEntry;

  constructor(placeholderJpeg: Buffer, nowMs = Date.now()) {
    this.#placeholderJpeg = placeholderJpeg;
    this.main = {
      id: MAIN_SOURCE_ID,
      name: '',
      hub: new FrameHub(placeholderJpeg, nowMs),
      isRemoved: false,
    };
    this.#entries.set(MAIN_SOURCE_ID, this.main);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: number): SourceEntry | undefined {
    return this.#entries.get(id);
  }

  /** Every source, by id. */
  values(): SourceEntry[] {
    return [...this.#entries.values()].sort((a, b) => a.id - b.id);
  }

  /**
   * Adds a source under `id` (2 … MAX_SOURCES, must be free) or, without one, the lowest free id. RangeError
   * when the id is taken or out of range, or once MAX_SOURCES are served.
   */
  add(name: string | undefined, id?: number): SourceEntry {
    const chosen = id ?? this.#lowestFreeId();
    if (!Number.isInteger(chosen) || chosen <= MAIN_SOURCE_ID || chosen > MAX_SOURCES) {
      throw new RangeError(
        `a source id must be an integer from 2 to ${MAX_SOURCES}, got ${chosen}`,
      );
    }
    if (this.#entries.has(chosen)) throw new RangeError(`source ${chosen} is served already`);
    const entry: SourceEntry = {
      id: chosen,
      name: cleanSourceName(name),
      hub: new FrameHub(this.#placeholderJpeg),
      isRemoved: false,
    };
    this.#entries.set(chosen, entry);
    return entry;
  }

  #lowestFreeId(): number {
    for (let id = MAIN_SOURCE_ID + 1; id <= MAX_SOURCES; id += 1) {
      if (!this.#entries.has(id)) return id;
    }
    throw new RangeError(`at most ${MAX_SOURCES} sources can be served at once`);
  }

  /** Removes source `id`; the main source is never removed. Returns what was removed. */
  remove(id: number): SourceEntry | undefined {
    if (id === MAIN_SOURCE_ID) return undefined;
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    entry.isRemoved = true;
    return entry;
  }
}
