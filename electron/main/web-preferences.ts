// The only place webPreferences are decided: one locked-down set per window kind (docs/architecture.md).
import type { WebPreferences } from 'electron';

export type WindowKind = 'control' | 'preview';

export interface WebPreferenceOptions {
  /** Required for the control window; the preview window never gets one. */
  readonly preloadPath?: string;
  /** DevTools only in development or with LANCAM_DEVTOOLS=1 (checklist #16: off in packaged builds). */
  readonly devTools?: boolean;
}

/**
 * webPreferences for a window kind. The preview window runs the viewer page of our own server with no
 * preload at all (least privilege): it is exactly what a viewer on the LAN gets.
 */
export function secureWebPreferences(
  kind: WindowKind,
  options: WebPreferenceOptions = {},
): WebPreferences {
  const { preloadPath, devTools = false } = options;
  const locked = {
    // Checklist #3/#4/#2/#6/#12: isolated, sandboxed, no Node, same-origin policy on, no <webview>.
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  } satisfies WebPreferences;
  if (kind === 'preview') return { ...locked };
  if (preloadPath === undefined) throw new Error('the control window needs its preload');
  return {
    ...locked,
    preload: preloadPath,
    // Capture must go on while the window is hidden in the tray or minimised: Chromium otherwise throttles
    // timers and toBlob in background pages. It does not cover hide() on Windows (electron#31016), which is
    // why capture runs in a worker (docs/design-notes.md, "Hidden windows").
    backgroundThrottling: false,
  };
}
