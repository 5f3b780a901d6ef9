// Live numbers: viewers (count and list), capture fps, encode time, KB per frame, Mbit/s out.
import type { BroadcastStatus } from '../../electron/ipc.ts';
import type { CaptureStatsSnapshot } from '../capture-stats.ts';
import { formatDuration, formatFps, formatKb, formatMbps, formatMs } from '../format.ts';
import { byId, element } from './dom.ts';

export class StatsPanel {
  readonly #viewers = byId('stat-viewers', HTMLElement);
  readonly #fps = byId('stat-fps', HTMLElement);
  readonly #encode = byId('stat-encode', HTMLElement);
  readonly #kb = byId('stat-kb', HTMLElement);
  readonly #mbps = byId('stat-mbps', HTMLElement);
  readonly #table = byId('viewers', HTMLTableElement);
  readonly #body = byId('viewers-body', HTMLTableSectionElement);
  readonly #empty = byId('viewers-empty', HTMLElement);

  render(status: BroadcastStatus, capture: CaptureStatsSnapshot, nowMs: number): void {
    this.#viewers.textContent = String(status.viewerCount);
    this.#fps.textContent = formatFps(capture.fps);
    this.#encode.textContent = capture.fps > 0 ? formatMs(capture.encodeMsAvg) : '–';
    this.#kb.textContent = capture.fps > 0 ? formatKb(capture.bytesPerFrame) : '–';
    this.#mbps.textContent = formatMbps(status.outMbps);
    const isRunning = status.state !== 'off';
    this.#table.hidden = status.viewers.length === 0;
    this.#empty.hidden = status.viewers.length > 0 || !isRunning;
    this.#body.replaceChildren(
      ...status.viewers.map((viewer) =>
        element('tr', {}, [
          element('td', { text: viewer.address, title: viewer.userAgent }),
          element('td', { text: formatFps(viewer.fps) }),
          element('td', { text: formatDuration(nowMs - viewer.connectedAtMs) }),
          viewer.isSlow
            ? element('td', {
                className: 'slow',
                text: 'slow',
                title: `${viewer.skippedFrames} frames skipped`,
              })
            : element('td', { text: 'ok' }),
        ]),
      ),
    );
  }
}
