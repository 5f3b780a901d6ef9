// Turns getUserMedia / camera failures into a message a person can act on, per operating system.

export type Platform = 'windows' | 'macos' | 'linux' | 'other';

export interface CameraProblem {
  /** The DOMException name (or 'ended'), kept for the bridge's CameraState. */
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  /** Concrete steps, in order; may be empty. */
  readonly steps: readonly string[];
  /** LanCam keeps trying by itself (the camera is busy, not refused): see camera-busy-retry.ts. */
  readonly isRetriedAutomatically?: boolean;
}

/** Classifies `navigator.userAgentData.platform` / `navigator.platform` / a user agent string. */
export function platformOf(hint: string): Platform {
  const value = hint.toLowerCase();
  if (value.includes('win')) return 'windows';
  if (value.includes('mac')) return 'macos';
  if (value.includes('linux') || value.includes('x11') || value.includes('cros')) return 'linux';
  return 'other';
}

const allowSteps: Readonly<Record<Platform, readonly string[]>> = {
  windows: [
    'Open Settings → Privacy & security → Camera.',
    'Turn on "Camera access" and "Let desktop apps access your camera".',
    'Press Start again.',
  ],
  macos: [
    'Open System Settings → Privacy & Security → Camera.',
    'Turn LanCam on (you may have to quit and reopen LanCam afterwards).',
    'Press Start again.',
  ],
  linux: [
    'Check that your user may open the camera: it must be in the "video" group (run "groups" to see).',
    'In a sandboxed desktop (Flatpak/Snap), allow camera access in the desktop privacy settings.',
    'Press Start again.',
  ],
  other: ['Allow camera access for LanCam in your system settings, then press Start again.'],
};

/** The last step of every busy message: nothing to press, LanCam polls the camera (camera-busy-retry.ts). */
export const BUSY_RETRY_STEP =
  'LanCam keeps trying and starts by itself as soon as the camera is free.';

/**
 * NotReadableError / TrackStartError: the OS or driver would not hand over the camera. On Windows a camera
 * serves one app at a time (Media Foundation opens it exclusively), so the usual cause is another app.
 * macOS shares cameras between apps, so there it is more often a stuck camera service; Linux V4L2 devices
 * usually refuse a second opener.
 */
const busyHelp: Readonly<
  Record<Platform, { readonly detail: string; readonly steps: readonly string[] }>
> = {
  windows: {
    detail:
      'On Windows a camera works for one app at a time, and another app has it open right now.',
    steps: [
      'Close the app using it: usually Zoom, Microsoft Teams, Skype, the Camera app, or a browser tab ' +
        'in a video call (close the tab, not just the call).',
      'Check the system tray for apps that keep running in the background (Teams, Zoom).',
      BUSY_RETRY_STEP,
    ],
  },
  macos: {
    detail:
      'macOS could not start the camera; another app may be holding it, or the camera service is stuck.',
    steps: [
      'Quit apps that may be using it (Zoom, Teams, FaceTime, Photo Booth, a browser tab in a call).',
      'If no app is using it, unplug and replug the camera, or restart the Mac.',
      BUSY_RETRY_STEP,
    ],
  },
  linux: {
    detail: 'Another program has the camera open, and Linux usually lets only one program read it.',
    steps: [
      'Close the other program: a video call, a browser tab, Cheese, OBS, or another LanCam.',
      'To find it, run "fuser -v /dev/video*" in a terminal.',
      BUSY_RETRY_STEP,
    ],
  },
  other: {
    detail: 'Another app (a video call, another camera app) is probably using it.',
    steps: ['Close the other app or end its call.', BUSY_RETRY_STEP],
  },
};

/** `error` is whatever getUserMedia rejected with; only its `name` and `message` are read. */
export function describeCameraError(error: unknown, platform: Platform): CameraProblem {
  const name = nameOf(error);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return {
        code: 'NotAllowedError',
        title: 'Camera access is blocked',
        detail: 'LanCam is not allowed to use the camera, so there is nothing to broadcast.',
        steps: allowSteps[platform],
      };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        code: 'NotReadableError',
        title: 'The camera is busy',
        ...busyHelp[platform],
        isRetriedAutomatically: true,
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return {
        code: 'NotFoundError',
        title: 'No camera found',
        detail: 'LanCam cannot see any camera on this computer.',
        steps: [
          'Plug in a camera (LanCam picks it up automatically) or check that it is switched on.',
        ],
      };
    case 'OverconstrainedError':
      return {
        code: 'OverconstrainedError',
        title: 'The camera cannot do this mode',
        detail: 'Even its nearest resolution and frame rate were refused.',
        steps: ['Pick a lower resolution or frame rate, or choose another camera.'],
      };
    default:
      return {
        code: name || 'Error',
        title: 'The camera could not start',
        detail: messageOf(error),
        steps: ['Press Start to try again; if it keeps failing, reconnect the camera.'],
      };
  }
}

const screenAllowSteps: Readonly<Record<Platform, readonly string[]>> = {
  macos: [
    'Open System Settings → Privacy & Security → Screen & System Audio Recording.',
    'Turn LanCam on, then quit and reopen LanCam (macOS applies it only after a restart).',
    'Press Start again.',
  ],
  windows: ['Press Start again; if it keeps failing, pick the screen or window again in the list.'],
  linux: [
    'On Wayland, the desktop asks which screen to share: allow it in that dialog.',
    'Press Start again.',
  ],
  other: ['Allow screen recording for LanCam in your system settings, then press Start again.'],
};

/** Like describeCameraError, for a screen or window as the source (getDisplayMedia's failures). */
export function describeScreenError(error: unknown, platform: Platform): CameraProblem {
  const name = nameOf(error);
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return {
        code: 'NotAllowedError',
        title: 'Screen recording is blocked',
        detail: 'LanCam may not record the screen, so there is nothing to broadcast.',
        steps: screenAllowSteps[platform],
      };
    case 'NotFoundError':
      return {
        code: 'NotFoundError',
        title: 'That screen or window is gone',
        detail: 'The window was closed or the screen disconnected.',
        steps: ['Pick another screen, window or camera in the Camera list.'],
      };
    default:
      return {
        code: name || 'Error',
        title: 'Screen capture could not start',
        detail: messageOf(error),
        steps: ['Press Start to try again, or pick another source.'],
      };
  }
}

/** The camera went away while broadcasting (unplugged, driver reset, taken by the system). */
export const cameraEndedProblem: CameraProblem = {
  code: 'ended',
  title: 'The camera stopped',
  detail: 'It was unplugged or switched off. Viewers see a "paused" picture meanwhile.',
  steps: ['Plug it back in — LanCam resumes on its own.'],
};

function nameOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    const { name } = error;
    if (typeof name === 'string') return name;
  }
  return '';
}

function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error;
    if (typeof message === 'string' && message) return message;
  }
  return String(error);
}
