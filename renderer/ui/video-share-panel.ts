// The Share card's RTSP disclosure: the RTSP URL and settings for NVRs and relays, or why H.264 is off.
import type { BroadcastStatus } from '../../electron/ipc.ts';
import { maskKeyInUrl, noH264Message, videoShareLines } from '../share-lines.ts';
import type { H264Support } from '../shared/worker-protocol.ts';
import { byId, copyButton, element } from './dom.ts';

export class VideoSharePanel {
  readonly #copy: (text: string) => Promise<boolean>;
  readonly #block = byId('video-share', HTMLDetailsElement);
  readonly #note = byId('video-share-note', HTMLElement);
  readonly #lines = byId('video-lines', HTMLUListElement);
  #rendered = '';

  constructor(copy: (text: string) => Promise<boolean>) {
    this.#copy = copy;
  }

  render(status: BroadcastStatus, support: H264Support | null): void {
    const rtspUrl = status.rtspUrls[0] ?? null;
    const off = noH264Message(support?.kind === 'unsupported' ? support.message : null);
    // Rebuilding steals keyboard focus from a Copy button: only when something changed.
    const signature = JSON.stringify([rtspUrl, status.urls[0], off]);
    if (signature === this.#rendered) return;
    this.#rendered = signature;
    this.#block.hidden = rtspUrl === null && off === null;
    this.#note.hidden = off === null;
    this.#note.textContent = off ?? '';
    // Said plainly, not behind a closed disclosure: someone looking for RTSP learns at once why it is missing.
    if (off !== null) this.#block.open = true;
    const lines =
      off === null && rtspUrl !== null ? videoShareLines(rtspUrl, status.urls[0] ?? null) : [];
    this.#lines.replaceChildren(
      ...lines.map((line) =>
        element('li', { className: 'line-item' }, [
          element('span', { className: 'line-label', text: line.label }),
          element('code', { text: maskKeyInUrl(line.text), title: line.hint }),
          copyButton('Copy', () => this.#copy(line.text), `Copy ${line.label} line`),
          element('span', { className: 'line-hint', text: line.hint }),
        ]),
      ),
    );
  }
}
