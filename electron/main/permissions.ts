// Permission policy for the default session: camera (video only, with pan/tilt/zoom) for our own page in our own
// window; all else denied.
import type { Session, WebContents } from 'electron';
import { appOrigin, originOf } from './url-guards.ts';

/**
 * Chromium's name for moving a PTZ camera (the camera controls ask for it with getUserMedia). Electron 41
 * reports it as 'media' (electron/electron shell/common/gin_converters/content_converter.cc maps
 * CAMERA_PAN_TILT_ZOOM there), which the media rule already covers; the named rule keeps the grant
 * explicit and equally narrow should Electron pass Chromium's own name.
 */
export const panTiltZoomPermission = 'camera-pan-tilt-zoom';

/** getDisplayMedia (a screen or window as the source); the source itself is main's choice (screen-sources.ts). */
export const displayCapturePermission = 'display-capture';

/** Permissions that follow the camera's rules; everything else is denied outright. */
const cameraLikePermissions: readonly string[] = [
  'media',
  panTiltZoomPermission,
  displayCapturePermission,
];

/** One permission question, reduced to the facts the policy looks at. */
export interface PermissionQuery {
  /** Electron's permission name ('media', 'geolocation', 'hid', …). */
  readonly permission: string;
  /** URL or origin of the frame that asks. */
  readonly requestingUrl: string | undefined;
  /** For 'media': the kinds asked for ('video', 'audio', 'unknown'); may be empty (see below). */
  readonly mediaTypes: readonly string[];
  readonly isMainFrame: boolean;
  /** Whether the asking webContents is one this app created for the control UI. */
  readonly isTrustedWebContents: boolean;
}

export interface PermissionDecision {
  readonly allow: boolean;
  readonly reason: string;
}

export interface PermissionPolicyOptions {
  /** Defaults to app://bundle. */
  readonly trustedOrigin?: string;
  /** True for the control window's webContents (the preview window never gets the camera). */
  readonly isTrustedWebContents: (contents: WebContents) => boolean;
  /** Told about every denial, so a missing camera is explainable from the log. */
  readonly onDeny?: (query: PermissionQuery, reason: string) => void;
}

export interface PermissionPolicy {
  /** The pure decision every handler below delegates to. */
  decide(query: PermissionQuery): PermissionDecision;
  readonly requestHandler: Parameters<Session['setPermissionRequestHandler']>[0] & {};
  readonly checkHandler: Parameters<Session['setPermissionCheckHandler']>[0] & {};
  readonly deviceHandler: Parameters<Session['setDevicePermissionHandler']>[0] & {};
}

/**
 * Allow table (everything not listed is denied):
 * | permission | allowed when |
 * | media                | video only (never audio: not designed yet), main frame, origin app://bundle, our control window |
 * | camera-pan-tilt-zoom | same window, frame and origin rules as media (moving the camera it already may use)   |
 * | display-capture      | same rules again; which screen or window it gets is decided in main (screen-sources.ts) |
 * Device pickers (HID, serial, USB, Bluetooth) are always denied: LanCam never needs them.
 */
export function decidePermission(
  query: PermissionQuery,
  trustedOrigin = appOrigin,
): PermissionDecision {
  if (!cameraLikePermissions.includes(query.permission))
    return { allow: false, reason: `${query.permission} is never granted` };
  if (!query.isTrustedWebContents) return { allow: false, reason: 'not our control window' };
  if (!query.isMainFrame) return { allow: false, reason: 'not the main frame' };
  if (query.requestingUrl === undefined || originOf(query.requestingUrl) !== trustedOrigin) {
    return {
      allow: false,
      reason: `origin ${query.requestingUrl ?? '(none)'} is not ${trustedOrigin}`,
    };
  }
  if (query.permission === panTiltZoomPermission) {
    return { allow: true, reason: 'pan/tilt/zoom of the camera for the control window' };
  }
  if (query.permission === displayCapturePermission) {
    return { allow: true, reason: 'screen capture for the control window' };
  }
  if (query.mediaTypes.includes('audio')) return { allow: false, reason: 'audio is not granted' };
  // An empty list is accepted for our own page: on Windows mediaTypes has been seen arriving empty for a
  // video-only getUserMedia (NousResearch/hermes-agent#73558); the e2e test on Windows pins this down.
  if (query.mediaTypes.every((type) => type === 'video' || type === 'unknown')) {
    return { allow: true, reason: 'camera for the control window' };
  }
  return { allow: false, reason: `media types ${query.mediaTypes.join(',')} are not granted` };
}

/** Builds the three session handlers around `decidePermission`; `installPermissionPolicy` wires them. */
export function createPermissionPolicy(options: PermissionPolicyOptions): PermissionPolicy {
  const trustedOrigin = options.trustedOrigin ?? appOrigin;
  const decide = (query: PermissionQuery): PermissionDecision => {
    const decision = decidePermission(query, trustedOrigin);
    if (!decision.allow) options.onDeny?.(query, decision.reason);
    return decision;
  };
  return {
    decide,
    requestHandler: (contents, permission, callback, details) => {
      const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
      callback(
        decide({
          permission,
          requestingUrl: details.requestingUrl,
          mediaTypes,
          isMainFrame: details.isMainFrame,
          isTrustedWebContents: options.isTrustedWebContents(contents),
        }).allow,
      );
    },
    checkHandler: (contents, permission, requestingOrigin, details) =>
      decide({
        permission,
        requestingUrl: details.requestingUrl ?? requestingOrigin,
        mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
        isMainFrame: details.isMainFrame,
        isTrustedWebContents: contents !== null && options.isTrustedWebContents(contents),
      }).allow,
    deviceHandler: () => false,
  };
}

/** Installs the policy on a session; handlers are reset to null first so grants made earlier do not linger. */
export function installPermissionPolicy(session: Session, policy: PermissionPolicy): void {
  session.setPermissionRequestHandler(null);
  session.setPermissionCheckHandler(null);
  session.setDevicePermissionHandler(null);
  session.setPermissionRequestHandler(policy.requestHandler);
  session.setPermissionCheckHandler(policy.checkHandler);
  session.setDevicePermissionHandler(policy.deviceHandler);
}
