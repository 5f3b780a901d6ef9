// The "Network & startup" card: automatic or fixed port, open mode behind a warning, start on launch, login item.
import type { BroadcastStatus, Settings } from '../../electron/ipc.ts';
import { defaultPort, portRange } from '../../electron/settings-limits.ts';
import type { Platform } from '../camera-errors.ts';
import { parsePort } from '../setting-inputs.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { byId } from './dom.ts';

export interface NetworkFormHandlers {
  /** Applies a patch through main; resolves to main's reason when it refused it, null when saved. */
  readonly change: (patch: Partial<Settings>) => Promise<string | null>;
}

export class NetworkForm {
  readonly #handlers: NetworkFormHandlers;
  readonly #portAuto = byId('port-auto', HTMLInputElement);
  readonly #port = byId('port', HTMLInputElement);
  readonly #portError = byId('port-error', HTMLElement);
  readonly #openMode = byId('open-mode', HTMLInputElement);
  readonly #openModeNote = byId('open-mode-note', HTMLElement);
  readonly #notifyOnViewer = byId('notify-viewers', HTMLInputElement);
  readonly #startOnLaunch = byId('start-on-launch', HTMLInputElement);
  readonly #launchAtLogin = byId('launch-at-login', HTMLInputElement);
  readonly #hint = byId('network-hint', HTMLElement);
  readonly #error = byId('network-error', HTMLElement);
  readonly #confirmOpenMode = new ConfirmDialog(
    'open-mode-dialog',
    'open-mode-confirm',
    'open-mode-cancel',
  );
  #settings: Settings | null = null;
  #portInUse: number | null = null;
  /** The port being saved: Enter fires both submit and change, and one value must be one request. */
  #portPending: number | null = null;

  constructor(handlers: NetworkFormHandlers, platform: Platform) {
    this.#handlers = handlers;
    this.#port.min = String(portRange.min);
    this.#port.max = String(portRange.max);
    // Main sets the login item on macOS and Windows only (applyLoginItem in electron/main/lifecycle.ts).
    const hasLoginItem = platform !== 'linux';
    this.#launchAtLogin.disabled = !hasLoginItem;
    byId('login-note', HTMLElement).hidden = hasLoginItem;

    byId('network', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      this.#commitPort();
    });
    this.#portAuto.addEventListener('change', () => {
      this.#showPortError(null);
      if (this.#portAuto.checked) {
        void this.#apply({ port: null });
        return;
      }
      // Pin the port in use, so unticking alone does not move a running broadcast elsewhere.
      const port = this.#settings?.port ?? this.#portInUse ?? defaultPort;
      this.#port.disabled = false;
      this.#port.value = String(port);
      this.#port.focus();
      void this.#apply({ port });
    });
    this.#port.addEventListener('input', () => {
      this.#showPortError(null);
    });
    this.#port.addEventListener('change', () => {
      this.#commitPort();
    });
    this.#openMode.addEventListener('change', () => {
      void this.#changeOpenMode();
    });
    this.#notifyOnViewer.addEventListener('change', () => {
      void this.#apply({ notifyOnViewer: this.#notifyOnViewer.checked });
    });
    this.#startOnLaunch.addEventListener('change', () => {
      void this.#apply({ startOnLaunch: this.#startOnLaunch.checked });
    });
    this.#launchAtLogin.addEventListener('change', () => {
      void this.#apply({ launchAtLogin: this.#launchAtLogin.checked });
    });
  }

  render(settings: Settings): void {
    this.#settings = settings;
    const isAutomatic = settings.port === null;
    this.#portAuto.checked = isAutomatic;
    this.#port.disabled = isAutomatic;
    // Leave a field the user is typing in alone (a failed value stays there to be fixed).
    if (document.activeElement !== this.#port) {
      this.#port.value = settings.port === null ? '' : String(settings.port);
    }
    this.#openMode.checked = settings.openMode;
    this.#openModeNote.textContent = settings.openMode
      ? 'On: anyone on this network can watch, no key needed.'
      : 'Off: viewers need the access key.';
    this.#openModeNote.classList.toggle('warning', settings.openMode);
    this.#notifyOnViewer.checked = settings.notifyOnViewer;
    this.#startOnLaunch.checked = settings.startOnLaunch;
    this.#launchAtLogin.checked = settings.launchAtLogin;
  }

  /** Main restarts a running server when the port or open mode changes (broadcast.ts settingsChanged). */
  renderStatus(status: BroadcastStatus): void {
    this.#portInUse = status.port;
    this.#port.placeholder = String(status.port ?? defaultPort);
    this.#hint.textContent =
      status.port === null
        ? 'Port and open mode apply at the next Start.'
        : 'Live: changing the port or open mode restarts the broadcast right away. After a port change, viewers need the new address.';
  }

  #commitPort(): void {
    if (this.#portAuto.checked) return;
    const parsed = parsePort(this.#port.value);
    if (!parsed.ok) {
      this.#showPortError(parsed.message);
      return;
    }
    this.#showPortError(null);
    if (parsed.port === this.#settings?.port || parsed.port === this.#portPending) return;
    this.#portPending = parsed.port;
    void this.#apply({ port: parsed.port }).finally(() => {
      this.#portPending = null;
    });
  }

  async #changeOpenMode(): Promise<void> {
    if (!this.#openMode.checked) {
      await this.#apply({ openMode: false });
      return;
    }
    // Stays off while the question is open: nothing changes unless the user says yes.
    this.#openMode.checked = false;
    const isConfirmed = await this.#confirmOpenMode.ask();
    this.#openMode.focus();
    if (isConfirmed) await this.#apply({ openMode: true });
  }

  async #apply(patch: Partial<Settings>): Promise<void> {
    this.#error.hidden = true;
    const reason = await this.#handlers.change(patch);
    if (reason === null) return;
    const message = `Not saved: ${reason}`;
    if ('port' in patch) {
      this.#showPortError(message);
    } else {
      this.#error.textContent = message;
      this.#error.hidden = false;
    }
  }

  #showPortError(message: string | null): void {
    this.#portError.hidden = message === null;
    this.#portError.textContent = message ?? '';
    this.#port.setAttribute('aria-invalid', String(message !== null));
  }
}
