// The control window's copy of the settings: loaded from main, changed only through main, rolled back on refusal.
import type { LanCamApi, Result, Settings } from '../electron/ipc.ts';

export type SettingsChange =
  | { readonly ok: true; readonly before: Settings | null; readonly after: Settings }
  | { readonly ok: false; readonly reason: string };

export class SettingsSync {
  readonly #api: Pick<LanCamApi, 'getSettings' | 'updateSettings' | 'regenerateKey'>;
  readonly #render: (settings: Settings) => void;
  #settings: Settings | null = null;

  /** `render` fills the forms; it runs after every load, save and refusal. */
  constructor(
    api: Pick<LanCamApi, 'getSettings' | 'updateSettings' | 'regenerateKey'>,
    render: (settings: Settings) => void,
  ) {
    this.#api = api;
    this.#render = render;
  }

  /** null until load() has answered. */
  get current(): Settings | null {
    return this.#settings;
  }

  async load(): Promise<Settings> {
    const settings = await this.#api.getSettings();
    this.#settings = settings;
    this.#render(settings);
    return settings;
  }

  /** Saves through main; on refusal the forms go back to what main kept, and main's reason comes back. */
  change(patch: Partial<Settings>): Promise<SettingsChange> {
    return this.changeWith(() => this.#api.updateSettings(patch));
  }

  /** Any call that answers with main's new settings (the sources calls): adopted like a change. */
  async changeWith(call: () => Promise<Result<Settings>>): Promise<SettingsChange> {
    const before = this.#settings;
    const result = await call();
    if (!result.ok) {
      if (before) this.#render(before);
      return { ok: false, reason: result.message };
    }
    this.#settings = result.value;
    this.#render(result.value);
    return { ok: true, before, after: result.value };
  }

  /** A new access key; resolves to main's reason when it failed, else null. */
  async regenerateKey(): Promise<string | null> {
    const result = await this.#api.regenerateKey();
    if (!result.ok) return result.message;
    this.#settings = result.value;
    return null;
  }
}
