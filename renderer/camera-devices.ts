// The list of cameras for the picker, refreshed on hot-plug (devicechange).

export interface CameraDevice {
  readonly deviceId: string;
  readonly label: string;
}

export async function listCameras(): Promise<CameraDevice[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  let unnamed = 0;
  return devices
    .filter((device) => device.kind === 'videoinput')
    .map((device) => ({
      deviceId: device.deviceId,
      // Labels are empty until camera permission was granted once.
      label: device.label || `Camera ${++unnamed}`,
    }));
}

/** Calls `listener` with the new list after every device change; returns the unsubscribe function. */
export function watchCameras(listener: (cameras: CameraDevice[]) => void): () => void {
  const onChange = (): void => {
    listCameras().then(listener, () => undefined);
  };
  navigator.mediaDevices.addEventListener('devicechange', onChange);
  return () => {
    navigator.mediaDevices.removeEventListener('devicechange', onChange);
  };
}
