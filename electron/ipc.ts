// The one IPC contract between the control window (renderer), its preload bridge and the main process.
// Zero imports on purpose: main and preload bundle it, the renderer may only `import type` it.

/** Every channel name, written once. `domain:verb-noun`; grep for a name finds its definition. */
export const Channels = {
  /** renderer → main, send (fire-and-forget): one JPEG frame and its metadata. */
  frame: 'camera:frame',
  /** renderer → main, send (fire-and-forget): one H.264 access unit (Annex B) and its metadata. */
  videoChunk: 'camera:video-chunk',
  /** main → renderer, push: an H.264 consumer joined; encode a keyframe now. */
  keyframeRequest: 'broadcast:keyframe-request',
  /** renderer → main, send: the camera started, ended (unplugged) or failed. */
  cameraState: 'camera:state-changed',
  /** renderer → main, invoke: start broadcasting. */
  start: 'broadcast:start',
  /** renderer → main, invoke: stop broadcasting and free the port. */
  stop: 'broadcast:stop',
  /** renderer → main, invoke: the current broadcast status. */
  getStatus: 'broadcast:get-status',
  /** main → renderer, push: broadcast status (viewers, fps, URLs, errors). */
  status: 'broadcast:status',
  /** renderer → main, invoke: the saved settings. */
  getSettings: 'settings:get',
  /** renderer → main, invoke: validate, apply and persist a partial settings change. */
  updateSettings: 'settings:update',
  /** renderer → main, invoke: replace the access key with a new random one. */
  regenerateKey: 'settings:regenerate-key',
  /** renderer → main, invoke: open the "preview as viewer" window. */
  openPreview: 'window:open-preview',
  /** renderer → main, invoke: open an http(s) URL in the default browser. */
  openExternal: 'shell:open-external',
  /** renderer → main, invoke: put text on the clipboard. */
  copyText: 'clipboard:write-text',
  /** renderer → main, invoke: the screens and windows that can be broadcast instead of a camera. */
  listScreenSources: 'capture:list-screen-sources',
  /** renderer → main, invoke: which screen or window the control window's next getDisplayMedia() gets. */
  chooseScreenSource: 'capture:choose-screen-source',
  /** renderer → main, invoke: end one viewer's stream and block its address for a while. */
  disconnectViewer: 'viewers:disconnect',
  /** renderer → main, invoke: end every viewer's stream and block their addresses for a while. */
  disconnectAll: 'viewers:disconnect-all',
  /** renderer → main, invoke: lift the block on an address the user disconnected. */
  allowAddress: 'viewers:allow-address',
  /** renderer → main, invoke: add one more source (2 … maxSources) with its first settings. */
  addSource: 'sources:add',
  /** renderer → main, invoke: stop and forget an extra source (its viewers' streams end). */
  removeSource: 'sources:remove',
  /** renderer → main, invoke: validate, apply and persist a change to an extra source's settings. */
  updateSource: 'sources:update',
} as const;

export type Channel = (typeof Channels)[keyof typeof Channels];

export type Rotation = 0 | 90 | 180 | 270;

/** Camera controls LanCam can set (MediaTrackConstraintSet names, in the order the panel shows them). */
export const cameraControlNames = [
  'zoom',
  'pan',
  'tilt',
  'focusMode',
  'focusDistance',
  'exposureMode',
  'exposureCompensation',
  'exposureTime',
  'whiteBalanceMode',
  'colorTemperature',
  'brightness',
  'contrast',
  'saturation',
  'sharpness',
  'torch',
] as const;
export type CameraControlName = (typeof cameraControlNames)[number];
/** A range control's number, a mode's name, or torch on/off. */
export type CameraControlValue = number | string | boolean;
/** The values the user changed on one camera (others stay at the camera's own). */
export type CameraControlValues = Readonly<Partial<Record<CameraControlName, CameraControlValue>>>;
export type ResolutionPreset = '480p' | '720p' | '1080p' | 'max';

/** Everything the user can set; persisted by main as JSON in the user-data folder. */
export interface Settings {
  /** `deviceId` from enumerateDevices, or a ScreenSource id (screen:…/window:…); null = the system default camera. */
  readonly cameraId: string | null;
  readonly resolution: ResolutionPreset;
  /** Target frame rate, 5–60. */
  readonly fps: number;
  /** JPEG quality, 0.5–0.95. */
  readonly jpegQuality: number;
  readonly mirror: boolean;
  readonly rotation: Rotation;
  /** Draw the date/time and `overlayText` onto every frame. */
  readonly overlay: boolean;
  /** Camera name shown by the overlay (may be empty). */
  readonly overlayText: string;
  /** Port to listen on; null = 8080, or the next free port if 8080 is busy. */
  readonly port: number | null;
  /** The access key viewers need (URL-safe, ≥ 96 bits). */
  readonly accessKey: string;
  /** Open mode: no access key at all. Off unless the user turns it on. */
  readonly openMode: boolean;
  /** Start broadcasting as soon as the app has started. */
  readonly startOnLaunch: boolean;
  /** Start the app when the user logs in. */
  readonly launchAtLogin: boolean;
  /** Camera controls the user changed, per camera `deviceId`; absent in files written before they existed. */
  readonly cameraControls?: Readonly<Record<string, CameraControlValues>>;
  /** Show a system notification when someone starts watching. */
  readonly notifyOnViewer: boolean;
  /**
   * H.264 (RTSP) bitrate in Mbit/s for 720p at 30 fps, scaled with size and frame rate (renderer/h264-settings.ts);
   * absent in files written before it existed (then 2.5).
   */
  readonly h264BitrateMbps?: number;
  /**
   * Sources 2 … maxSources, ordered by id; the top-level capture fields above are source 1's. Absent in files
   * written before several sources existed (then none).
   */
  readonly extraSources?: readonly SourceSettings[];
}

/** The capture settings every source has; source 1 keeps its own at the top level of Settings. */
export type CaptureSettings = Pick<
  Settings,
  | 'cameraId'
  | 'resolution'
  | 'fps'
  | 'jpegQuality'
  | 'mirror'
  | 'rotation'
  | 'overlay'
  | 'overlayText'
>;

/** One extra source: its id (2 … maxSources, also its /cam/N/ path), its name and its own capture settings. */
export interface SourceSettings extends CaptureSettings {
  readonly id: number;
  /** What the user calls it ("Front door"); empty = "Source N". */
  readonly name: string;
}

/** A change to an extra source: any of its fields but the id. */
export type SourceSettingsPatch = Partial<Omit<SourceSettings, 'id'>>;

/** A screen or window to broadcast; `id` is Electron's desktopCapturer id ('screen:…' / 'window:…'). */
export interface ScreenSource {
  readonly id: string;
  readonly name: string;
  readonly kind: 'screen' | 'window';
}

/** Metadata that travels with every frame. */
export interface FrameMeta {
  /** Capture time, milliseconds since the Unix epoch (becomes the part's X-Timestamp). */
  readonly captureTimeMs: number;
  readonly width: number;
  readonly height: number;
}

/** Metadata that travels with every H.264 access unit (the bytes go next to it, Annex B). */
export interface VideoChunkMeta {
  /** An IDR access unit; it carries SPS and PPS in band. */
  readonly isKey: boolean;
  /** Presentation time in microseconds (capture time since the Unix epoch), increasing. */
  readonly timestampUs: number;
  /** 0 when the encoder did not say. */
  readonly durationUs: number;
}

/** What the camera is doing, as the renderer sees it. */
export type CameraState =
  | { readonly kind: 'running'; readonly label: string }
  | { readonly kind: 'ended' }
  | { readonly kind: 'error'; readonly code: string; readonly message: string };

export type BroadcastState = 'off' | 'starting' | 'live' | 'paused' | 'error';

export interface ViewerSummary {
  readonly id: number;
  readonly address: string;
  readonly userAgent: string;
  /** Device and browser in plain words, from the user agent ("iPhone · Safari", "VLC"). */
  readonly device: string;
  /** Frames per second actually delivered to this viewer over the last second or so. */
  readonly fps: number;
  readonly bytesSent: number;
  readonly skippedFrames: number;
  readonly isSlow: boolean;
  /** Epoch milliseconds. */
  readonly connectedAtMs: number;
  /** The source this viewer watches (1 … maxSources). */
  readonly sourceId: number;
  /** How it watches: the multipart stream, the viewer page's frame channel, or RTSP (NVRs, VLC). */
  readonly protocol: 'mjpeg' | 'websocket' | 'rtsp';
  /** What it receives: JPEG frames or H.264. */
  readonly codec: 'jpeg' | 'h264';
}

/** One source as the server serves it (source 1 included). */
export interface SourceSummary {
  readonly id: number;
  readonly name: string;
  /** 'starting' until its first frame; 'paused' while its camera is lost (viewers see the placeholder). */
  readonly state: BroadcastState;
  readonly sourceFps: number;
  /** Size of its latest frame in bytes (0 before the first). */
  readonly frameBytes: number;
  /** Its MJPEG and viewer-page viewers. */
  readonly viewerCount: number;
  /** Its viewer page (`…/cam/N/?key=…`) on the preferred share host. */
  readonly url: string;
}

export type ErrorCode =
  | 'port-in-use'
  | 'listen-failed'
  | 'not-running'
  | 'invalid-argument'
  | 'invalid-url'
  | 'camera-permission'
  | 'internal';

/**
 * Why a frame never reached viewers. Main's frame gate decides all but 'not-jpeg', which is the server's
 * publish() refusing bytes that are not a whole JPEG (the one place frame bytes are checked).
 */
export type FrameRejectReason =
  | 'not-binary'
  | 'too-large'
  | 'bad-meta'
  | 'rate-limited'
  | 'untrusted-sender'
  | 'not-jpeg'
  | 'unknown-source'
  | VideoRejectReason;

/**
 * Why an H.264 chunk never reached consumers: main's video gate decides all but 'video-refused', which is the
 * server's publishVideo() refusing the access unit (bad NAL structure, no parameter sets).
 */
export type VideoRejectReason =
  | 'video-not-binary'
  | 'video-too-large'
  | 'video-bad-meta'
  | 'video-rate-limited'
  | 'video-no-start-code'
  | 'video-no-keyframe-yet'
  | 'video-untrusted-sender'
  | 'video-refused';

/** An address the user disconnected: refused until `untilMs` (epoch ms) unless allowed again. */
export interface BlockedAddress {
  readonly address: string;
  readonly untilMs: number;
}

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface BroadcastStatus {
  readonly state: BroadcastState;
  /** Share URLs, preferred first, each carrying the key (empty while off). */
  readonly urls: readonly string[];
  readonly port: number | null;
  /** The access key in force; null in open mode or while off. */
  readonly key: string | null;
  readonly viewerCount: number;
  readonly viewers: readonly ViewerSummary[];
  /** Addresses disconnected by the user and still refused. */
  readonly blockedAddresses: readonly BlockedAddress[];
  /** When the broadcast went live (epoch ms); null while off. */
  readonly liveSinceMs: number | null;
  /** Frames per second arriving from the camera pipeline. */
  readonly sourceFps: number;
  /** Size of the latest frame in bytes (0 before the first). */
  readonly frameBytes: number;
  /** Megabits per second sent to all viewers together. */
  readonly outMbps: number;
  /** Frames refused on their way to viewers: the sum of `rejectedByReason`. */
  readonly rejectedFrames: number;
  /** Refused frames per reason; each reason is counted by exactly one check (main's gate or the server). */
  readonly rejectedByReason: Readonly<Partial<Record<FrameRejectReason, number>>>;
  /** Set when state is 'error', or for a warning worth showing (e.g. port fallback). */
  readonly error: AppError | null;
  /** `rtsp://viewer:KEY@HOST:PORT/live` per share host (no user info in open mode); empty while off. */
  readonly rtspUrls: readonly string[];
  readonly rtspPort: number | null;
  /** H.264 consumers (RTSP clients, H.264 page viewers): the renderer encodes H.264 only while ≥ 1. */
  readonly videoConsumers: number;
  /** Every source served, source 1 first (empty while off); viewerCount above counts all of them. */
  readonly sources: readonly SourceSummary[];
}

/** Typed result for request/response calls: errors come back as data, not thrown (they cannot cross the bridge intact). */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** renderer → main `invoke` calls: channel → [arguments, resolved value]. */
export interface InvokeMap {
  [Channels.start]: [args: [], result: Result<BroadcastStatus>];
  [Channels.stop]: [args: [], result: Result<BroadcastStatus>];
  [Channels.getStatus]: [args: [], result: BroadcastStatus];
  [Channels.getSettings]: [args: [], result: Settings];
  [Channels.updateSettings]: [args: [patch: Partial<Settings>], result: Result<Settings>];
  [Channels.regenerateKey]: [args: [], result: Result<Settings>];
  [Channels.openPreview]: [args: [], result: Result<null>];
  [Channels.openExternal]: [args: [url: string], result: Result<null>];
  [Channels.copyText]: [args: [text: string], result: Result<null>];
  [Channels.listScreenSources]: [args: [], result: Result<ScreenSource[]>];
  [Channels.chooseScreenSource]: [args: [id: string], result: Result<null>];
  [Channels.disconnectViewer]: [args: [id: number], result: Result<BroadcastStatus>];
  [Channels.disconnectAll]: [args: [], result: Result<BroadcastStatus>];
  [Channels.allowAddress]: [args: [address: string], result: Result<BroadcastStatus>];
  [Channels.addSource]: [args: [initial: SourceSettingsPatch], result: Result<Settings>];
  [Channels.removeSource]: [args: [id: number], result: Result<Settings>];
  [Channels.updateSource]: [
    args: [id: number, patch: SourceSettingsPatch],
    result: Result<Settings>,
  ];
}

/** renderer → main `send` messages: channel → arguments. */
export interface SendMap {
  [Channels.frame]: [jpeg: ArrayBuffer, meta: FrameMeta, sourceId: number];
  [Channels.videoChunk]: [data: ArrayBuffer, meta: VideoChunkMeta];
  [Channels.cameraState]: [state: CameraState, sourceId: number];
}

/** main → renderer pushes: channel → arguments. */
export interface EventMap {
  [Channels.status]: [status: BroadcastStatus];
  [Channels.keyframeRequest]: [];
}

/** The bridge the preload exposes as `window.lancam`; the renderer's only way out. */
export interface LanCamApi {
  /**
   * Hand one encoded JPEG frame of source `sourceId` to main (fire-and-forget); main reconnects that source's
   * viewers when its size changes.
   */
  sendFrame(jpeg: ArrayBuffer, meta: FrameMeta, sourceId: number): void;
  /** Hand one H.264 access unit to main (fire-and-forget); main validates it before any consumer sees it. */
  sendVideoChunk(data: ArrayBuffer, meta: VideoChunkMeta): void;
  /** Subscribe to keyframe requests (an H.264 consumer joined); returns the unsubscribe function. */
  onKeyframeRequest(listener: () => void): () => void;
  /** Announce a source's camera start, loss (its viewers then see the "paused" placeholder) or failure. */
  reportCameraState(state: CameraState, sourceId: number): void;
  start(): Promise<Result<BroadcastStatus>>;
  stop(): Promise<Result<BroadcastStatus>>;
  getStatus(): Promise<BroadcastStatus>;
  /** Subscribe to status pushes; returns the unsubscribe function. */
  onStatus(listener: (status: BroadcastStatus) => void): () => void;
  getSettings(): Promise<Settings>;
  updateSettings(patch: Partial<Settings>): Promise<Result<Settings>>;
  regenerateKey(): Promise<Result<Settings>>;
  openPreview(): Promise<Result<null>>;
  openExternal(url: string): Promise<Result<null>>;
  copyText(text: string): Promise<Result<null>>;
  /** Screens and windows for the source picker (listed next to the cameras). */
  listScreenSources(): Promise<Result<ScreenSource[]>>;
  /** Must precede getDisplayMedia(): main hands that source to the request (nothing else gets one). */
  chooseScreenSource(id: string): Promise<Result<null>>;
  /** End this viewer's stream; its address cannot reconnect for 5 minutes unless allowed again. */
  disconnectViewer(id: number): Promise<Result<BroadcastStatus>>;
  disconnectAll(): Promise<Result<BroadcastStatus>>;
  allowAddress(address: string): Promise<Result<BroadcastStatus>>;
  /** One more source (the lowest free id); refused at maxSources. Served at once while live. */
  addSource(initial: SourceSettingsPatch): Promise<Result<Settings>>;
  /** Source 2 … maxSources: stops serving it (its links answer 404) and forgets its settings. */
  removeSource(id: number): Promise<Result<Settings>>;
  updateSource(id: number, patch: SourceSettingsPatch): Promise<Result<Settings>>;
}
