// Pure text for the tray: tooltip, macOS title and the menu's headline for a broadcast status.
import type { BroadcastStatus } from '../ipc.ts';

export interface TrayLabel {
  readonly isOn: boolean;
  readonly headline: string;
  readonly tooltip: string;
  /** Shown next to the icon in the macOS menu bar: empty while off. */
  readonly title: string;
}

/** `newest`: who started watching last (e.g. "iPhone · Safari at 192.168.1.20"), shown while they watch. */
export function trayLabel(status: BroadcastStatus, newest: string | null = null): TrayLabel {
  const count = `${status.viewerCount} viewer${status.viewerCount === 1 ? '' : 's'}`;
  const viewers =
    newest !== null && status.viewerCount > 0 ? `${count} (newest: ${newest})` : count;
  switch (status.state) {
    case 'live':
      return {
        isOn: true,
        headline: `Live — ${viewers}`,
        tooltip: `LanCam: live, ${viewers}`,
        title: `● ${status.viewerCount}`,
      };
    case 'paused':
      return {
        isOn: true,
        headline: `Paused (camera off) — ${viewers}`,
        tooltip: `LanCam: paused, ${viewers}`,
        title: `❚❚ ${status.viewerCount}`,
      };
    case 'starting':
      return { isOn: true, headline: 'Starting…', tooltip: 'LanCam: starting', title: '' };
    case 'error':
      return {
        isOn: false,
        headline: `Off — ${status.error?.message ?? 'error'}`,
        tooltip: 'LanCam: off (error)',
        title: '',
      };
    case 'off':
      return { isOn: false, headline: 'Off', tooltip: 'LanCam: off', title: '' };
  }
}
