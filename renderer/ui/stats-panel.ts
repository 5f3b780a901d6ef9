// "Watching now": who watches in plain words (device, address, since) with Disconnect, the addresses
// disconnected for a while with Allow again, and the engineering figures folded under Details.
// Hidden while off, so no empty numbers show.
import type { BroadcastStatus, ViewerSummary } from '../../electron/ipc.ts';
import type { CaptureStatsSnapshot } from '../capture-stats.ts';
import { formatDuration, formatFps, formatKb, formatMbps, formatMs } from '../format.ts';
import { watchedSourceText } from '../source-rules.ts';
import { viewerModeText } from '../viewer-mode.ts';
import { byId, element } from './dom.ts';

export interface StatsPanelHandlers {
  readonly disconnect: (id: number) => void;
  readonly disconnectAll: () => void;
  readonly allow: (address: string) => void;
}

function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export class StatsPanel {
  readonly #card = byId('watching', HTMLElement);
  readonly #viewers = byId('stat-viewers', HTMLElement);
  readonly #fps = byId('stat-fps', HTMLElement);
  readonly #encode = byId('stat-encode', HTMLElement);
  readonly #kb = byId('stat-kb', HTMLElement);
  readonly #mbps = byId('stat-mbps', HTMLElement);
  readonly #list = byId('viewer-list', HTMLUListElement);
  readonly #empty = byId('viewers-empty', HTMLElement);
  readonly #disconnectAll = byId('disconnect-all', HTMLButtonElement);
  readonly #blocked = byId('blocked', HTMLElement);
  readonly #blockedList = byId('blocked-list', HTMLUListElement);
  readonly #handlers: StatsPanelHandlers;
  #listSignature = '';
  #blockedSignature = '';
  #refocus = false;

  constructor(handlers: StatsPanelHandlers) {
    this.#handlers = handlers;
    this.#disconnectAll.addEventListener('click', handlers.disconnectAll);
  }

  render(status: BroadcastStatus, capture: CaptureStatsSnapshot, nowMs: number): void {
    const isOn = status.state === 'live' || status.state === 'paused';
    this.#card.hidden = !isOn;
    if (!isOn) return;
    this.#viewers.textContent = String(status.viewerCount);
    this.#fps.textContent = formatFps(capture.fps);
    this.#encode.textContent = capture.fps > 0 ? formatMs(capture.encodeMsAvg) : '–';
    this.#kb.textContent = capture.fps > 0 ? formatKb(capture.bytesPerFrame) : '–';
    this.#mbps.textContent = formatMbps(status.outMbps);
    this.#empty.hidden = status.viewers.length > 0;
    this.#disconnectAll.hidden = status.viewers.length < 2;
    this.#renderViewers(status, nowMs);
    this.#renderBlocked(status.blockedAddresses);
    if (this.#refocus) {
      this.#refocus = false;
      const next = this.#list.querySelector('button') ?? this.#blockedList.querySelector('button');
      next?.focus();
    }
  }

  /** Rows are rebuilt only when viewers come or go (a rebuild would take keyboard focus off a button). */
  #renderViewers(status: BroadcastStatus, nowMs: number): void {
    const viewers = status.viewers;
    const signature = viewers.map((viewer) => viewer.id).join(',');
    if (signature !== this.#listSignature) {
      this.#listSignature = signature;
      const hadFocus = this.#card.contains(document.activeElement);
      this.#list.replaceChildren(...viewers.map((viewer) => this.#viewerRow(viewer)));
      // The focused row went away (Disconnect): land on the next sensible control, not on <body>.
      if (hadFocus && !this.#card.contains(document.activeElement)) this.#refocus = true;
    }
    viewers.forEach((viewer, index) => {
      const meta = this.#list.children[index]?.querySelector('.viewer-meta');
      if (!meta) return;
      const since = `watching since ${clockTime(viewer.connectedAtMs)} (${formatDuration(nowMs - viewer.connectedAtMs)})`;
      const watches = watchedSourceText(status, viewer.sourceId);
      meta.replaceChildren(
        `${viewer.address} · ${viewerModeText(viewer)} · ${watches === null ? '' : `${watches} · `}${since}`,
        ...(viewer.isSlow
          ? [' · ', element('span', { className: 'slow', text: 'slow connection' })]
          : []),
      );
    });
  }

  #viewerRow(viewer: ViewerSummary): HTMLLIElement {
    const button = element('button', { className: 'button small danger', text: 'Disconnect' });
    button.type = 'button';
    button.setAttribute('aria-label', `Disconnect ${viewer.device} at ${viewer.address}`);
    button.addEventListener('click', () => {
      this.#handlers.disconnect(viewer.id);
    });
    return element('li', {}, [
      element('div', { className: 'viewer-who' }, [
        element('div', {
          className: 'viewer-device',
          text: viewer.device,
          title: viewer.userAgent,
        }),
        element('div', { className: 'viewer-meta' }),
      ]),
      button,
    ]);
  }

  #renderBlocked(blocked: BroadcastStatus['blockedAddresses']): void {
    this.#blocked.hidden = blocked.length === 0;
    const signature = blocked.map((entry) => entry.address).join(',');
    if (signature === this.#blockedSignature) return;
    this.#blockedSignature = signature;
    this.#blockedList.replaceChildren(
      ...blocked.map((entry) => {
        const button = element('button', { className: 'button small', text: 'Allow again' });
        button.type = 'button';
        button.setAttribute('aria-label', `Allow ${entry.address} again`);
        button.addEventListener('click', () => {
          this.#handlers.allow(entry.address);
        });
        return element('li', {}, [
          element('div', { className: 'viewer-who' }, [
            element('div', { className: 'viewer-device', text: entry.address }),
            element('div', {
              className: 'viewer-meta',
              text: `can reconnect at ${clockTime(entry.untilMs)}`,
            }),
          ]),
          button,
        ]);
      }),
    );
  }
}
