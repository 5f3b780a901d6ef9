// The Share card: one link to copy (key masked on screen), its QR code, other addresses folded away, app
// lines, and the access key with New key kept apart behind a confirmation.
import type { BroadcastStatus } from '../../electron/ipc.ts';
import { maskKeyInUrl, shareLines } from '../share-lines.ts';
import { ConfirmDialog } from './confirm-dialog.ts';
import { byId, copyButton, element } from './dom.ts';
import { qrDataUrl } from './qr-code.ts';

export interface SharePanelHandlers {
  readonly copy: (text: string) => Promise<boolean>;
  readonly regenerateKey: () => void;
}

const copiedShowMs = 2000;

export class SharePanel {
  readonly #handlers: SharePanelHandlers;
  readonly #off = byId('share-off', HTMLElement);
  readonly #on = byId('share-on', HTMLElement);
  readonly #link = byId('share-link', HTMLElement);
  readonly #copyLink = byId('copy-link', HTMLButtonElement);
  readonly #copyStatus = byId('copy-status', HTMLElement);
  readonly #qr = byId('qr', HTMLImageElement);
  readonly #others = byId('other-addresses', HTMLDetailsElement);
  readonly #urls = byId('urls', HTMLUListElement);
  readonly #keyRow = byId('key-row', HTMLElement);
  readonly #keyDetails = byId('key-details', HTMLDetailsElement);
  readonly #openWarning = byId('open-warning', HTMLElement);
  readonly #keyText = byId('key', HTMLElement);
  readonly #reveal = byId('key-reveal', HTMLButtonElement);
  readonly #copyKey = byId('key-copy', HTMLButtonElement);
  readonly #regenerate = byId('key-regenerate', HTMLButtonElement);
  readonly #confirmNewKey = new ConfirmDialog(
    'new-key-dialog',
    'new-key-confirm',
    'new-key-cancel',
  );
  readonly #lines = byId('lines', HTMLUListElement);
  #isRevealed = false;
  #rendered = '';
  #qrFor = '';
  #key: string | null = null;
  #preferred: string | null = null;
  #copiedTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(handlers: SharePanelHandlers) {
    this.#handlers = handlers;
    this.#reveal.addEventListener('click', () => {
      this.#isRevealed = !this.#isRevealed;
      this.#rendered = '';
      this.#renderKey();
    });
    this.#copyLink.addEventListener('click', () => {
      if (this.#preferred !== null) void this.#copy(this.#preferred, 'Link copied');
    });
    this.#copyKey.addEventListener('click', () => {
      if (this.#key) void this.#copy(this.#key, 'Key copied');
    });
    this.#regenerate.addEventListener('click', () => void this.#askNewKey());
  }

  render(status: BroadcastStatus): void {
    const hasUrls = status.urls.length > 0;
    this.#off.hidden = hasUrls;
    this.#on.hidden = !hasUrls;
    this.#key = status.key;
    this.#preferred = status.urls[0] ?? null;
    // Re-rendering rebuilds buttons and would steal keyboard focus: only when something changed.
    const signature = JSON.stringify([status.urls, status.key, this.#isRevealed]);
    if (signature === this.#rendered) return;
    this.#rendered = signature;
    this.#renderKey();
    const show = (url: string): string => (this.#isRevealed ? url : maskKeyInUrl(url));
    const preferred = this.#preferred;
    this.#link.textContent = preferred === null ? '' : show(preferred);
    this.#link.title = preferred === null ? '' : show(preferred);
    const others = status.urls.slice(1);
    this.#others.hidden = others.length === 0;
    this.#urls.replaceChildren(
      ...others.map((url, index) =>
        element('li', { className: 'url-item' }, [
          element('code', { text: show(url), title: show(url) }),
          copyButton('Copy', () => this.#handlers.copy(url), `Copy other address ${index + 1}`),
        ]),
      ),
    );
    this.#lines.replaceChildren(
      ...(preferred ? shareLines(preferred) : []).map((line) =>
        element('li', { className: 'line-item' }, [
          element('span', { className: 'line-label', text: line.label }),
          element('code', { text: show(line.text), title: show(line.text) }),
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

  /** The outcome goes to a polite live region, so a screen reader hears "Link copied". */
  async #copy(text: string, done: string): Promise<void> {
    const isCopied = await this.#handlers.copy(text);
    this.#copyStatus.textContent = isCopied ? done : 'Could not copy';
    if (this.#copiedTimer) clearTimeout(this.#copiedTimer);
    this.#copiedTimer = setTimeout(() => {
      this.#copyStatus.textContent = '';
    }, copiedShowMs);
  }

  async #askNewKey(): Promise<void> {
    const isConfirmed = await this.#confirmNewKey.ask();
    this.#regenerate.focus();
    if (isConfirmed) this.#handlers.regenerateKey();
  }

  /** No key in force means open mode: the key section gives way to a warning that anyone can watch. */
  #renderKey(): void {
    const key = this.#key;
    this.#keyDetails.hidden = key === null;
    this.#keyRow.hidden = key === null;
    this.#openWarning.hidden = key !== null;
    this.#keyText.textContent = key !== null && this.#isRevealed ? key : '•'.repeat(12);
    this.#reveal.textContent = this.#isRevealed ? 'Hide' : 'Show';
    this.#reveal.setAttribute('aria-pressed', String(this.#isRevealed));
  }
}
