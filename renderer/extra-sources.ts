// Sources 2 … maxSources in the control window: one SourceCard per saved source, Add source (disabled at the
// limit, with why), Remove behind a question when people watch, and the pickers' "in use by source N".
import type { BroadcastStatus, LanCamApi, Result, Settings } from '../electron/ipc.ts';
import type { CameraDevice } from './camera-devices.ts';
import type { Platform } from './camera-errors.ts';
import { offStatus } from './initial-status.ts';
import { isScreenSourceId } from './screen-sources.ts';
import type { SettingsChange } from './settings-sync.ts';
import { SourceCard } from './source-card.ts';
import {
  addSourceRule,
  cameraUsers,
  cardChanges,
  firstFreeCamera,
  pickerEntries,
  sourceLabel,
  type PickerEntry,
} from './source-rules.ts';
import { ConfirmDialog } from './ui/confirm-dialog.ts';
import { byId } from './ui/dom.ts';

export interface ExtraSourcesDeps {
  readonly api: LanCamApi;
  readonly platform: Platform;
  /** Runs a call that answers with main's new settings and adopts them (SettingsSync.changeWith). */
  readonly changeSettings: (call: () => Promise<Result<Settings>>) => Promise<SettingsChange>;
  /** Source 1's picker entries changed (a camera became used or free elsewhere). */
  readonly mainPickerChanged: (entries: readonly PickerEntry[]) => void;
  /** Device labels became readable (a camera opened): list the devices again. */
  readonly refreshDevices: () => void;
}

export class ExtraSources {
  readonly #deps: ExtraSourcesDeps;
  readonly #cards = new Map<number, SourceCard>();
  readonly #container = byId('source-cards', HTMLElement);
  readonly #add = byId('add-source', HTMLButtonElement);
  readonly #hint = byId('add-source-hint', HTMLElement);
  readonly #notice = byId('sources-notice', HTMLElement);
  readonly #confirm = new ConfirmDialog(
    'remove-source-dialog',
    'remove-source-confirm',
    'remove-source-cancel',
  );
  readonly #confirmText = byId('remove-source-text', HTMLElement);
  #settings: Settings | null = null;
  #status: BroadcastStatus = offStatus;
  /** Cameras and screens, in picker order. */
  #devices: readonly CameraDevice[] = [];
  #isAdding = false;
  #mainPickerSignature = '';

  constructor(deps: ExtraSourcesDeps) {
    this.#deps = deps;
    this.#add.addEventListener('click', () => void this.#addSource());
  }

  /** Saved settings (after every load, save and refusal): cards come and go with the saved sources. */
  render(settings: Settings): void {
    this.#settings = settings;
    const saved = settings.extraSources ?? [];
    const { added, removed } = cardChanges([...this.#cards.keys()], saved);
    for (const id of removed) {
      this.#cards.get(id)?.dispose();
      this.#cards.delete(id);
    }
    for (const source of added) {
      const card = new SourceCard(source, {
        api: this.#deps.api,
        platform: this.#deps.platform,
        change: (id, patch) => this.#change(id, patch),
        remove: (id) => void this.#remove(id),
        cameraOpened: this.#deps.refreshDevices,
      });
      this.#cards.set(source.id, card);
      card.onStatus(this.#status);
    }
    for (const source of saved) this.#cards.get(source.id)?.update(source);
    // Cards in id order, whatever order they were added in.
    this.#container.replaceChildren(
      ...[...this.#cards.values()].sort((a, b) => a.id - b.id).map((card) => card.element),
    );
    this.#renderPickers();
    this.#renderAdd();
  }

  onStatus(status: BroadcastStatus): void {
    this.#status = status;
    for (const card of this.#cards.values()) card.onStatus(status);
  }

  /** Cameras then screens and windows, as the picker lists them. */
  setDevices(devices: readonly CameraDevice[]): void {
    this.#devices = devices;
    this.#renderPickers();
  }

  /** Every second: each card's figures. */
  tick(): void {
    for (const card of this.#cards.values()) card.render();
  }

  #renderPickers(): void {
    const settings = this.#settings;
    const cameras = this.#devices.filter((device) => !isScreenSourceId(device.deviceId));
    const users = settings ? cameraUsers(settings, cameras) : new Map<string, number>();
    const main = pickerEntries(this.#devices, users, 1);
    // Rebuilt only when something shows differently: a rebuilt <select> under the pointer closes.
    const signature = JSON.stringify([main, settings?.cameraId ?? null]);
    if (signature !== this.#mainPickerSignature) {
      this.#mainPickerSignature = signature;
      this.#deps.mainPickerChanged(main);
    }
    for (const card of this.#cards.values())
      card.setCameras(pickerEntries(this.#devices, users, card.id), cameras);
  }

  #renderAdd(): void {
    const rule = addSourceRule(this.#cards.size);
    this.#add.disabled = !rule.isAllowed || this.#isAdding;
    this.#hint.textContent =
      rule.reason ??
      'Broadcast another camera or your screen at the same time, each with its own link.';
  }

  async #addSource(): Promise<void> {
    const settings = this.#settings;
    if (!settings || this.#isAdding) return;
    this.#isAdding = true;
    this.#renderAdd();
    this.#showNotice(null);
    // A camera nobody uses yet, else a screen: one physical camera cannot serve two sources everywhere.
    const cameras = this.#devices.filter((device) => !isScreenSourceId(device.deviceId));
    const users = cameraUsers(settings, cameras);
    const cameraId = firstFreeCamera(this.#devices, users);
    try {
      const change = await this.#deps.changeSettings(() =>
        this.#deps.api.addSource(cameraId === null ? {} : { cameraId }),
      );
      if (!change.ok) this.#showNotice(`Could not add a source: ${change.reason}`);
    } finally {
      this.#isAdding = false;
      this.#renderAdd();
    }
  }

  async #remove(id: number): Promise<void> {
    const card = this.#cards.get(id);
    if (!card) return;
    const watching = card.viewerCount;
    if (watching > 0) {
      const name = sourceLabel(id, this.#nameOf(id));
      this.#confirmText.textContent =
        `${String(watching)} ${watching === 1 ? 'person is' : 'people are'} watching ${name}. ` +
        'Removing it ends their streams, and its link stops working.';
      if (!(await this.#confirm.ask())) return;
    }
    // The camera stops first, so no frame of a source main no longer knows is sent.
    card.dispose();
    this.#cards.delete(id);
    const change = await this.#deps.changeSettings(() => this.#deps.api.removeSource(id));
    if (!change.ok) this.#showNotice(`Could not remove the source: ${change.reason}`);
    this.#renderAdd();
  }

  async #change(
    id: number,
    patch: Parameters<LanCamApi['updateSource']>[1],
  ): Promise<string | null> {
    const change = await this.#deps.changeSettings(() => this.#deps.api.updateSource(id, patch));
    return change.ok ? null : change.reason;
  }

  #nameOf(id: number): string {
    return this.#settings?.extraSources?.find((source) => source.id === id)?.name ?? '';
  }

  #showNotice(text: string | null): void {
    this.#notice.hidden = text === null;
    this.#notice.textContent = text ?? '';
  }
}
