// Tray icon and menu: live/off and viewer count at a glance, Start/Stop, Show window, Quit.
import { Menu, Tray, nativeImage } from 'electron';
import type { BroadcastStatus } from '../ipc.ts';
import { trayLabel } from './tray-label.ts';

export interface TrayActions {
  readonly start: () => void;
  readonly stop: () => void;
  readonly showWindow: () => void;
  readonly quit: () => void;
}

export interface LanCamTray {
  /** `newest`: who started watching last, shown in the tooltip, menu and macOS title. */
  update(status: BroadcastStatus, newest?: string | null): void;
  destroy(): void;
}

export function createTray(iconPath: string, actions: TrayActions): LanCamTray {
  // 16 px reads as a tray icon on every platform; macOS scales it for its 22 pt menu bar.
  const image = nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 });
  const tray = new Tray(image);
  let lastLabel = '';

  const render = (status: BroadcastStatus, newest: string | null = null): void => {
    const label = trayLabel(status, newest);
    if (label.tooltip === lastLabel) return;
    lastLabel = label.tooltip;
    tray.setToolTip(label.tooltip);
    if (process.platform === 'darwin') tray.setTitle(label.title);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: label.headline, enabled: false },
        { type: 'separator' },
        label.isOn
          ? { label: 'Stop broadcast', click: actions.stop }
          : { label: 'Start broadcast', click: actions.start },
        { label: 'Show window', click: actions.showWindow },
        { type: 'separator' },
        { label: 'Quit LanCam', click: actions.quit },
      ]),
    );
  };
  tray.on('click', actions.showWindow);

  return {
    update: render,
    destroy() {
      tray.destroy();
    },
  };
}
