// Every range, choice list and default of the user's settings, written once for main and the control window.
// Zero imports on purpose: the renderer may import values from this file only (eslint.config.js), and main
// bundles it. settings-store.ts assigns `settingDefaults` to Settings, so a field missing here fails typecheck.

/** Frame rates the user can pick, in frames per second. */
export const fpsRange = { min: 5, max: 60 } as const;

/** JPEG quality (0–1) the user can pick: below 0.5 blocks show, above 0.95 frames grow with no visible gain. */
export const jpegQualityRange = { min: 0.5, max: 0.95 } as const;

/**
 * Fixed ports the user can pick. Ports below 1024 are privileged: on Linux (without CAP_NET_BIND_SERVICE)
 * and on macOS before Mojave an unprivileged desktop app cannot bind them, so neither side offers them.
 */
export const portRange = { min: 1024, max: 65_535 } as const;

/**
 * The port tried first when the port is automatic; the server falls back to the next free one. The server
 * keeps its own copy for `lancam serve` (server/core/listen.ts cannot import the app); a test keeps them equal.
 */
export const defaultPort = 8080;

/** Longest overlay name: it has to fit one line on a 480p frame. */
export const overlayTextMaxLength = 60;

/** H.264 bitrate the user can pick, in Mbit/s at 720p30: below 0.5 a webcam picture smears, above 8 gains nothing. */
export const h264BitrateRange = { min: 0.5, max: 8 } as const;

/**
 * How many sources broadcast at once (source 1 plus up to three extra ones, /cam/1/ … /cam/4/). The server
 * keeps its own copy (MAX_SOURCES in server/types.ts); a test keeps them equal.
 */
export const maxSources = 4;

/** Longest source name ("Front door"); it has to fit a source card's heading. */
export const sourceNameMaxLength = 40;

export const resolutionPresets = ['480p', '720p', '1080p', 'max'] as const;
export const rotations = [0, 90, 180, 270] as const;

/** Defaults of every setting except the access key, which is random per install. */
export const settingDefaults = {
  cameraId: null,
  resolution: '720p',
  fps: 30,
  jpegQuality: 0.8,
  mirror: false,
  rotation: 0,
  overlay: false,
  overlayText: '',
  port: null,
  openMode: false,
  startOnLaunch: false,
  launchAtLogin: false,
  /** Camera controls changed per camera: none until the user moves one. */
  cameraControls: {},
  notifyOnViewer: true,
  h264BitrateMbps: 2.5,
  /** Source 1 only until the user adds one. */
  extraSources: [],
} as const;

/** How long a viewer the user disconnected stays refused unless allowed again. */
export const disconnectBlockMs = 5 * 60_000;
