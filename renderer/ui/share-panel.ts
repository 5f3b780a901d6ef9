// Share URLs with copy buttons, the QR code, the masked access key (or the open-mode warning), and app lines.
import type { BroadcastStatus } from '../../electron/ipc.ts';
import { maskKeyInUrl, shareLines } from '../share-lines.ts';
import { byId, copyButton, element } from './dom.ts';
import { qrDataUrl } from './qr-code.ts';

export interface SharePanelHandlers {
  readonly copy: (text: string) => Promise<boolean>;
  readonly regenerateKey: () => void;
}

export class SharePanel {
  readonly #handlers: SharePanelHandlers;
  readonly #off = byId('share-off', HTMLElement);
  readonly #on = byId('share-on', HTMLElement);
  readonly #qr = byId('qr', HTMLImageElement);
  readonly #urls = byId('urls', HTMLUListElement);
  readonly #keyRow = byId('key-row', HTMLElement);
  readonly #openWarning = byId('open-warning', HTMLElement);
  readonly #keyText = byId('key', HTMLElement);
  readonly #reveal = byId('key-reveal', HTMLButtonElement);
  readonly #copyKey = byId('key-copy', HTMLButtonElement);
  readonly #regenerate = byId('key-regenerate', HTMLButtonElement);
  readonly #lines = byId('lines', HTMLUListElement);
  #isRevealed = false;
  #rendered = '';
  #qrFor = '';
  #key: string | null = null;

  constructor(handlers: SharePanelHandlers) {
    this.#handlers = handlers;
    this.#reveal.addEventListener('click', () => {
      this.#isRevealed = !this.#isRevealed;
      this.#rendered = '';
      this.#renderKey();
    });
    this.#copyKey.addEventListener('click', () => {
      if (this.#key) void handlers.copy(this.#key);
    });
    this.#regenerate.addEventListener('click', handlers.regenerateKey);
  }

  render(status: BroadcastStatus): void {
    const hasUrls = status.urls.length > 0;
    this.#off.hidden = hasUrls;
    this.#on.hidden = !hasUrls;
    this.#key = status.key;
    // Re-rendering rebuilds buttons and would steal keyboard focus: only when something changed.
    const signature = JSON.stringify([status.urls, status.key, this.#isRevealed]);
    if (signature === this.#rendered) return;
    this.#rendered = signature;
    this.#renderKey();
    const show = (url: string): string => (this.#isRevealed ? url : maskKeyInUrl(url));
    this.#urls.replaceChildren(
      ...status.urls.map((url, index) =>
        element('li', { className: index === 0 ? 'url-item preferred' : 'url-item' }, [
          element('code', { text: show(url), title: index === 0 ? 'Preferred address' : '' }),
          copyButton('Copy', () => this.#handlers.copy(url), `Copy address ${index + 1}`),
        ]),
      ),
    );
    const preferred = status.urls[0];
    this.#lines.replaceChildren(
      ...(preferred ? shareLines(preferred) : []).map((line) =>
        element('li', { className: 'line-item' }, [
          element('span', { className: 'line-label', text: line.label }),
          element('code', { text: show(line.text), title: line.hint }),
          copyButton('Copy', () => this.#handlers.copy(line.text), `Copy ${line.label} line`),
          element('span', { className: 'line-hint', text: line.hint }),
        ]),
      ),
    );
    if (preferred && preferred !== this.#qrFor) {
      this.#qrFor = preferred;
      qrDataUrl(preferred).then(
        (src) => {
          if (this.#qrFor === preferred) this.#qr.src = src;
        },
        () => undefined,
      );
    }
  }

  /** No key in force means open mode: the key row gives way to a warning that anyone can watch. */
  #renderKey(): void {
    const key = this.#key;
    this.#keyRow.hidden = key === null;
    this.#openWarning.hidden = key !== null;
    this.#keyText.textContent = key !== null && this.#isRevealed ? key : '•'.repeat(12);
    this.#reveal.textContent = this.#isRevealed ? 'Hide' : 'Show';
    this.#reveal.setAttribute('aria-pressed', String(this.#isRevealed));
  }
}
