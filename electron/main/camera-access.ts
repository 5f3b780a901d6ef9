// macOS camera permission (TCC): ask before capture starts, explain a denial with a way to System Settings.
import { dialog, shell, systemPreferences, type BrowserWindow } from 'electron';

/** Deep link to Privacy & Security → Camera; a fixed Apple URL, so it bypasses openExternalSafely on purpose. */
const cameraSettingsUrl = 'x-apple.systempreferences:com.apple.preference.security?Privacy_Camera';

/**
 * Resolves true when capture may proceed; on macOS asks once (the system prompt shows
 * NSCameraUsageDescription). Off macOS there is no OS-level prompt to make (Windows asks in its own privacy
 * settings, Linux has none), so it resolves true and getUserMedia reports any failure to the control
 * window. Without the camera entitlement a hardened build is denied silently (electron#17640).
 */
export async function requestCameraAccess(): Promise<boolean> {
  if (process.platform !== 'darwin') return true;
  const status = systemPreferences.getMediaAccessStatus('camera');
  if (status === 'granted') return true;
  if (status === 'not-determined') return systemPreferences.askForMediaAccess('camera');
  return false;
}

/** Explains a denial (the control window shows the camera error too) and offers the right settings pane. */
export async function explainCameraDenial(window: BrowserWindow): Promise<void> {
  const { response } = await dialog.showMessageBox(window, {
    type: 'warning',
    message: 'LanCam is not allowed to use the camera',
    detail:
      'macOS blocks camera access for LanCam. Turn LanCam on in System Settings → Privacy & Security → ' +
      'Camera, then quit and reopen LanCam.',
    buttons: ['Open System Settings', 'Not now'],
    defaultId: 0,
    cancelId: 1,
  });
  if (response === 0) await shell.openExternal(cameraSettingsUrl);
}
