// Types the one global the control window may use: the preload bridge `window.lancam`.
import type { LanCamApi } from '../electron/ipc.ts';

declare global {
  interface Window {
    readonly lancam: LanCamApi;
  }
}
