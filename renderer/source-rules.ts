// Rules for several sources, from plain values (pure): names, who uses which camera, whether one more fits,
// and each source's slice of main's status.
import type { BroadcastStatus, Settings, SourceSettings, SourceSummary } from '../electron/ipc.ts';
import { maxSources } from '../electron/settings-limits.ts';
import type { CameraDevice } from './camera-devices.ts';

/** What a source is called: its name, else "Source N". */
export function sourceLabel(id: number, name: string): string {
  return name.trim() === '' ? `Source ${String(id)}` : name;
}

export interface AddSourceRule {
  readonly isAllowed: boolean;
  /** Why not, in words (shown next to the disabled button). */
  readonly reason: string | null;
}

export function addSourceRule(extraCount: number): AddSourceRule {
  return extraCount + 1 >= maxSources
    ? {
        isAllowed: false,
        reason: `${String(maxSources)} sources is the most LanCam broadcasts at once; remove one to add another.`,
      }
    : { isAllowed: true, reason: null };
}

/**
 * Which source uses which device, by deviceId. A source on "System default camera" (null) uses the first
 * camera listed, which is what getUserMedia opens without a deviceId on every desktop OS we ship to.
 */
export function cameraUsers(
  settings: Pick<Settings, 'cameraId' | 'extraSources'>,
  cameras: readonly CameraDevice[],
): ReadonlyMap<string, number> {
  const defaultId = cameras[0]?.deviceId ?? null;
  const users = new Map<string, number>();
  const entries: readonly (readonly [number, string | null])[] = [
    [1, settings.cameraId],
    ...(settings.extraSources ?? []).map((source) => [source.id, source.cameraId] as const),
  ];
  for (const [id, cameraId] of entries) {
    const deviceId = cameraId ?? defaultId;
    if (deviceId !== null && !users.has(deviceId)) users.set(deviceId, id);
  }
  return users;
}

/** One entry of a source's picker: the device, and the other source that has it open, if any. */
export interface PickerEntry extends CameraDevice {
  readonly inUseBy: number | null;
}

/**
 * The picker of source `ownId`: every device, those another source uses marked, since one physical camera
 * cannot reliably serve two capture sessions on every OS. Screens and windows can be shared, so never marked.
 */
export function pickerEntries(
  devices: readonly CameraDevice[],
  users: ReadonlyMap<string, number>,
  ownId: number,
): PickerEntry[] {
  return devices.map((device) => {
    const user = users.get(device.deviceId);
    const isScreen = /^(screen|window):/.test(device.deviceId);
    return { ...device, inUseBy: user !== undefined && user !== ownId && !isScreen ? user : null };
  });
}

/** The entry's text in a picker: "USB Camera (in use by source 2)". */
export function pickerLabel(entry: PickerEntry): string {
  return entry.inUseBy === null
    ? entry.label
    : `${entry.label} (in use by source ${String(entry.inUseBy)})`;
}

/** A new source's camera: the first one no source uses yet, else the system default. */
export function firstFreeCamera(
  cameras: readonly CameraDevice[],
  users: ReadonlyMap<string, number>,
): string | null {
  return cameras.find((camera) => !users.has(camera.deviceId))?.deviceId ?? null;
}

/** This source in main's status; undefined while off or before main serves it. */
export function sourceSummaryOf(status: BroadcastStatus, id: number): SourceSummary | undefined {
  return status.sources.find((source) => source.id === id);
}

/** Viewers of one source (source 1 falls back to everyone while main lists no sources). */
export function viewerCountOf(status: BroadcastStatus, id: number): number {
  return sourceSummaryOf(status, id)?.viewerCount ?? (id === 1 ? status.viewerCount : 0);
}

/**
 * Viewers of one source that receive JPEG. H.264 viewers (RTSP, the page's H.264 mode) need no JPEG, so with
 * only them the JPEG encoder may idle at 1 fps while the H.264 encoder runs at full rate.
 */
export function jpegViewerCountOf(status: BroadcastStatus, id: number): number {
  return status.viewers.filter((viewer) => viewer.sourceId === id && viewer.codec === 'jpeg')
    .length;
}

/** "watches Front door" for a viewer row, only when more than one source is served. */
export function watchedSourceText(status: BroadcastStatus, sourceId: number): string | null {
  if (status.sources.length < 2) return null;
  const source = sourceSummaryOf(status, sourceId);
  return `watches ${sourceLabel(sourceId, source?.name ?? '')}`;
}

/** Ids of the cards to add and to drop so the cards match the saved sources. */
export function cardChanges(
  shownIds: readonly number[],
  saved: readonly SourceSettings[],
): { readonly added: readonly SourceSettings[]; readonly removed: readonly number[] } {
  const savedIds = new Set(saved.map((source) => source.id));
  return {
    added: saved.filter((source) => !shownIds.includes(source.id)),
    removed: shownIds.filter((id) => !savedIds.has(id)),
  };
}
