// The extra sources' list in the settings: which ids exist, and the list after an add, a change or a remove.
import type { Settings, SourceSettings, SourceSettingsPatch } from '../ipc.ts';
import { maxSources, settingDefaults } from '../settings-limits.ts';

export type SourceListChange =
  | { readonly ok: true; readonly sources: readonly SourceSettings[]; readonly id: number }
  | { readonly ok: false; readonly message: string };

/** Every source id the settings hold: 1, then the extra sources' ids. */
export function sourceIdsOf(settings: Pick<Settings, 'extraSources'>): readonly number[] {
  return [1, ...(settings.extraSources ?? []).map((source) => source.id)];
}

/**
 * Appends a source under the lowest free id (the id the server hands out too, so /cam/N/ matches), with
 * source 1's defaults for whatever `initial` leaves out.
 */
/** A source with the default capture settings, then `initial` on top (unchecked: callers validate). */
export function newSourceSettings(
  id: number,
  initial: Partial<Omit<SourceSettings, 'id'>> = {},
): SourceSettings {
  const { cameraId, resolution, fps, jpegQuality, mirror, rotation, overlay, overlayText } =
    settingDefaults;
  return {
    id,
    name: '',
    cameraId,
    resolution,
    fps,
    jpegQuality,
    mirror,
    rotation,
    overlay,
    overlayText,
    ...initial,
  };
}

export function withSourceAdded(
  sources: readonly SourceSettings[],
  initial: SourceSettingsPatch,
): SourceListChange {
  const taken = new Set(sources.map((source) => source.id));
  let id = 2;
  while (taken.has(id)) id += 1;
  if (id > maxSources) {
    return { ok: false, message: `LanCam broadcasts at most ${maxSources} sources at once.` };
  }
  const added = newSourceSettings(id, initial);
  return { ok: true, id, sources: [...sources, added].sort((a, b) => a.id - b.id) };
}

export function withSourceChanged(
  sources: readonly SourceSettings[],
  id: number,
  patch: SourceSettingsPatch,
): SourceListChange {
  if (!sources.some((source) => source.id === id)) return noSuchSource(id);
  return {
    ok: true,
    id,
    sources: sources.map((source) => (source.id === id ? { ...source, ...patch } : source)),
  };
}

export function withSourceRemoved(
  sources: readonly SourceSettings[],
  id: number,
): SourceListChange {
  if (!sources.some((source) => source.id === id)) return noSuchSource(id);
  return { ok: true, id, sources: sources.filter((source) => source.id !== id) };
}

function noSuchSource(id: number): SourceListChange {
  return {
    ok: false,
    message:
      id === 1 ? 'Source 1 is the main camera and stays.' : `There is no source ${String(id)}.`,
  };
}
