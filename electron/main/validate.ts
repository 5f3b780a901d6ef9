// Hand-written guards for everything that crosses IPC from the renderer: frames, H.264 chunks, camera states,
// settings.
import { isIP } from 'node:net';
import {
  cameraControlNames,
  type CameraControlName,
  type CameraState,
  type FrameMeta,
  type FrameRejectReason,
  type ResolutionPreset,
  type Rotation,
  type Settings,
  type SourceSettings,
  type SourceSettingsPatch,
  type VideoChunkMeta,
  type VideoRejectReason,
} from '../ipc.ts';
import {
  fpsRange,
  h264BitrateRange,
  jpegQualityRange,
  maxSources,
  overlayTextMaxLength,
  portRange,
  resolutionPresets,
  rotations,
  sourceNameMaxLength,
} from '../settings-limits.ts';

/** A frame larger than this is not a webcam JPEG (a 4K frame at quality 0.95 is ~3 MB). */
export const maxFrameBytes = 8 * 1024 * 1024;
/** Twice the highest fps a user can pick: above this the renderer is broken or hostile. */
export const maxFramesPerSecond = 120;
/** Largest width/height we accept in frame metadata (8K is 7680). */
const maxDimension = 16_384;

// Typed as the contract's unions, so a value the contract lacks fails typecheck here.
const rotationValues: readonly Rotation[] = rotations;
const resolutionValues: readonly ResolutionPreset[] = resolutionPresets;

/**
 * What main's gates decide; whether the bytes are a whole JPEG (or well-formed H.264) is the server's
 * publish() (publishVideo()) to decide, once.
 */
export type GateRejectReason = Exclude<FrameRejectReason, 'not-jpeg' | 'video-refused'>;
export type VideoGateRejectReason = Exclude<VideoRejectReason, 'video-refused'>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/** Wraps the bytes without copying; ArrayBuffer or any Uint8Array view (Buffer included) is accepted. */
export function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

export function isFrameMeta(value: unknown): value is FrameMeta {
  return (
    isRecord(value) &&
    isNumberIn(value.captureTimeMs, 0, Number.MAX_SAFE_INTEGER) &&
    isIntIn(value.width, 1, maxDimension) &&
    isIntIn(value.height, 1, maxDimension)
  );
}

function isShortText(value: unknown, maxLength: number): value is string {
  return typeof value === 'string' && value.length <= maxLength;
}

export function isCameraState(value: unknown): value is CameraState {
  if (!isRecord(value)) return false;
  switch (value.kind) {
    case 'running':
      return isShortText(value.label, 512);
    case 'ended':
      return true;
    case 'error':
      return isShortText(value.code, 64) && isShortText(value.message, 2048);
    default:
      return false;
  }
}

/** http(s) URL text that is worth parsing at all (the real check is url-guards.ts). */
export function isUrlText(value: unknown): value is string {
  return isShortText(value, 2048) && value.length > 0;
}

/** Clipboard text: share URLs and ffmpeg/VLC command lines, never megabytes. */
export function isClipboardText(value: unknown): value is string {
  return isShortText(value, 8192);
}

/** A viewer id as the server hands them out: a positive safe integer. */
export function isViewerId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/**
 * A client address as the server reports it: IPv4 dotted quad or IPv6 text (with an optional zone), nothing
 * else, so the renderer cannot make main block a host name or a CIDR range.
 */
export function isClientAddress(value: unknown): value is string {
  if (!isShortText(value, 64) || value.length === 0) return false;
  return isIP(value.split('%')[0] ?? '') !== 0;
}

/** URL-safe, at least 96 bits of base64url. */
const accessKeyPattern = /^[A-Za-z0-9_-]{16,128}$/;
// Control characters would end up drawn on frames and inside the mDNS name.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f]/;

/** More cameras than anyone plugs in over the years; bounds the settings file. */
const maxRememberedCameras = 64;

/** Per camera deviceId: known control names only, each a finite number, a short mode name or a boolean. */
export function isCameraControls(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const cameras = Object.entries(value);
  if (cameras.length > maxRememberedCameras) return false;
  return cameras.every(
    ([deviceId, controls]) =>
      deviceId.length > 0 &&
      deviceId.length <= 512 &&
      isRecord(controls) &&
      Object.entries(controls).every(
        ([name, v]) =>
          cameraControlNames.includes(name as CameraControlName) &&
          (typeof v === 'boolean' ||
            (typeof v === 'number' && Number.isFinite(v)) ||
            (isShortText(v, 32) && v.length > 0)),
      ),
  );
}

/** Fields a settings file may lack (added after the first release); a missing one is not a problem. */
export const optionalSettingsKeys: readonly (keyof Settings)[] = [
  'cameraControls',
  'h264BitrateMbps',
  'extraSources',
];

/** A source id: 1 (the main source) … maxSources. */
export function isSourceId(value: unknown): value is number {
  return isIntIn(value, 1, maxSources);
}

/** A source name: short, one line (it is shown as a heading and sent to the server's status). */
export function isSourceName(value: unknown): value is string {
  return isShortText(value, sourceNameMaxLength) && !controlCharacters.test(value);
}

/** One validator per settings field: returns whether the value is acceptable for that field. */
export const settingsFieldGuards: {
  readonly [K in keyof Settings]-?: (value: unknown) => boolean;
} = {
  cameraId: (v) => v === null || (isShortText(v, 512) && v.length > 0),
  resolution: (v) => resolutionValues.includes(v as ResolutionPreset),
  fps: (v) => isNumberIn(v, fpsRange.min, fpsRange.max),
  jpegQuality: (v) => isNumberIn(v, jpegQualityRange.min, jpegQualityRange.max),
  mirror: (v) => typeof v === 'boolean',
  rotation: (v) => rotationValues.includes(v as Rotation),
  overlay: (v) => typeof v === 'boolean',
  overlayText: (v) => isShortText(v, overlayTextMaxLength) && !controlCharacters.test(v),
  port: (v) => v === null || isIntIn(v, portRange.min, portRange.max),
  accessKey: (v) => typeof v === 'string' && accessKeyPattern.test(v),
  openMode: (v) => typeof v === 'boolean',
  startOnLaunch: (v) => typeof v === 'boolean',
  launchAtLogin: (v) => typeof v === 'boolean',
  cameraControls: isCameraControls,
  notifyOnViewer: (v) => typeof v === 'boolean',
  h264BitrateMbps: (v) => isNumberIn(v, h264BitrateRange.min, h264BitrateRange.max),
  extraSources: isExtraSources,
};

/** One guard per extra-source field; the capture fields use source 1's guards, so the limits are the same. */
const sourceFieldGuards: { readonly [K in keyof SourceSettings]-?: (value: unknown) => boolean } = {
  id: (v) => isIntIn(v, 2, maxSources),
  name: isSourceName,
  cameraId: (v) => settingsFieldGuards.cameraId(v),
  resolution: (v) => settingsFieldGuards.resolution(v),
  fps: (v) => settingsFieldGuards.fps(v),
  jpegQuality: (v) => settingsFieldGuards.jpegQuality(v),
  mirror: (v) => settingsFieldGuards.mirror(v),
  rotation: (v) => settingsFieldGuards.rotation(v),
  overlay: (v) => settingsFieldGuards.overlay(v),
  overlayText: (v) => settingsFieldGuards.overlayText(v),
};
const sourceKeys = Object.keys(sourceFieldGuards) as (keyof SourceSettings)[];

/** Every field present and valid, nothing else. */
export function isSourceSettings(value: unknown): value is SourceSettings {
  if (!isRecord(value)) return false;
  const keys = Object.keys(value);
  return (
    keys.length === sourceKeys.length &&
    sourceKeys.every((key) => key in value && sourceFieldGuards[key](value[key]))
  );
}

/** At most maxSources − 1 sources, ids unique and ascending (2 … maxSources). */
export function isExtraSources(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > maxSources - 1) return false;
  let lastId = 1;
  for (const entry of value as unknown[]) {
    if (!isSourceSettings(entry) || entry.id <= lastId) return false;
    lastId = entry.id;
  }
  return true;
}

export type SourcePatchCheck =
  | { readonly ok: true; readonly patch: SourceSettingsPatch }
  | { readonly ok: false; readonly message: string };

/** A change to an extra source: a plain object, its known fields but the id, each valid. */
export function checkSourcePatch(value: unknown): SourcePatchCheck {
  if (!isRecord(value)) return { ok: false, message: 'source patch must be an object' };
  const patch: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const name = key as keyof SourceSettings;
    if (name === 'id' || !sourceKeys.includes(name))
      return { ok: false, message: `unknown source setting "${key}"` };
    if (!sourceFieldGuards[name](field)) return { ok: false, message: `invalid value for ${key}` };
    patch[key] = field;
  }
  return { ok: true, patch };
}

const settingsKeys = Object.keys(settingsFieldGuards) as (keyof Settings)[];

export function isSettingsKey(key: string): key is keyof Settings {
  return (settingsKeys as string[]).includes(key);
}

export type PatchCheck =
  | { readonly ok: true; readonly patch: Partial<Settings> }
  | { readonly ok: false; readonly message: string };

/** A partial settings change: a plain object, known keys only, every value valid for its field. */
export function checkSettingsPatch(value: unknown): PatchCheck {
  if (!isRecord(value)) return { ok: false, message: 'settings patch must be an object' };
  const patch: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!isSettingsKey(key)) return { ok: false, message: `unknown setting "${key}"` };
    if (!settingsFieldGuards[key](field)) return { ok: false, message: `invalid value for ${key}` };
    patch[key] = field;
  }
  return { ok: true, patch };
}

export interface FrameGateOptions {
  readonly maxBytes?: number;
  readonly maxPerSecond?: number;
  /** Injected clock (ms) so the rate limit is testable without waiting. */
  readonly now?: () => number;
  /** Called on every reject (the broadcast counts them for the status). */
  readonly onReject?: (reason: GateRejectReason) => void;
  /** Called once per distinct reason, so a broken renderer cannot flood the log at 30 lines/s. */
  readonly logOnce?: (message: string) => void;
  /** Whether a source with this id exists now (the settings say so); default: source 1 only. */
  readonly isKnownSource?: (id: number) => boolean;
}

export interface AcceptedFrame {
  readonly bytes: Uint8Array;
  readonly meta: FrameMeta;
  readonly sourceId: number;
}

export interface FrameGate {
  /** The frame as bytes (no copy) when acceptable, else null (counted, logged once per reason). */
  accept(jpeg: unknown, meta: unknown, sourceId: unknown): AcceptedFrame | null;
  /** Count a reject decided elsewhere (e.g. the sender check). */
  reject(reason: GateRejectReason): void;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Partial<Record<GateRejectReason, number>>>;
}

/**
 * Frame type, size, metadata and source checks plus a token-bucket rate limit of `maxPerSecond` per source
 * (bursts up to one second's worth), so a second source never eats into the first one's allowance.
 */
export function createFrameGate(options: FrameGateOptions = {}): FrameGate {
  const maxBytes = options.maxBytes ?? maxFrameBytes;
  const perSecond = options.maxPerSecond ?? maxFramesPerSecond;
  const now = options.now ?? (() => performance.now());
  const isKnownSource = options.isKnownSource ?? ((id: number) => id === 1);
  const buckets = new Map<number, () => boolean>();
  const byReason: Partial<Record<GateRejectReason, number>> = {};
  let rejected = 0;

  function reject(reason: GateRejectReason): null {
    rejected += 1;
    const seen = byReason[reason] ?? 0;
    byReason[reason] = seen + 1;
    if (seen === 0)
      options.logOnce?.(
        `frame rejected: ${reason} (further rejects of this kind are only counted)`,
      );
    options.onReject?.(reason);
    return null;
  }

  const takeToken = (sourceId: number): boolean => {
    let bucket = buckets.get(sourceId);
    if (!bucket) {
      bucket = tokenBucket(perSecond, now);
      buckets.set(sourceId, bucket);
    }
    return bucket();
  };

  return {
    accept(jpeg, meta, sourceId) {
      const bytes = asBytes(jpeg);
      if (!bytes) return reject('not-binary');
      if (bytes.length > maxBytes) return reject('too-large');
      if (!isFrameMeta(meta)) return reject('bad-meta');
      if (!isSourceId(sourceId) || !isKnownSource(sourceId)) return reject('unknown-source');
      if (!takeToken(sourceId)) return reject('rate-limited');
      return { bytes, meta, sourceId };
    },
    reject(reason) {
      reject(reason);
    },
    get rejected() {
      return rejected;
    },
    get rejectedByReason() {
      return { ...byReason };
    },
  };
}

/** A token bucket of `perSecond` tokens (bursts up to one second's worth): true when one was taken. */
function tokenBucket(perSecond: number, now: () => number): () => boolean {
  let tokens = perSecond;
  let refilledAt = now();
  return () => {
    const t = now();
    tokens = Math.min(perSecond, tokens + ((t - refilledAt) / 1000) * perSecond);
    refilledAt = t;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

/** The server's own cap on one access unit (server/video/video-hub.ts MAX_ACCESS_UNIT_BYTES): 4 MiB. */
export const maxVideoChunkBytes = 4 * 1024 * 1024;
/** A chunk longer than this is no frame of a live camera. */
const maxChunkDurationUs = 10_000_000;

export function isVideoChunkMeta(value: unknown): value is VideoChunkMeta {
  return (
    isRecord(value) &&
    typeof value.isKey === 'boolean' &&
    isNumberIn(value.timestampUs, 0, Number.MAX_SAFE_INTEGER) &&
    isNumberIn(value.durationUs, 0, maxChunkDurationUs)
  );
}

/** Annex B (ITU-T H.264 Annex B.1): the access unit opens with a 3- or 4-byte start code. */
export function startsWithStartCode(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) return false;
  return bytes[2] === 1 || (bytes[2] === 0 && bytes[3] === 1);
}

export interface VideoGateOptions {
  readonly maxBytes?: number;
  readonly maxPerSecond?: number;
  readonly now?: () => number;
  readonly onReject?: (reason: VideoGateRejectReason) => void;
  readonly logOnce?: (message: string) => void;
  /** The stream broke (a chunk was refused): ask the encoder for a keyframe, the next decodable point. */
  readonly onKeyframeNeeded?: () => void;
}

export interface VideoGate {
  /** The chunk as bytes (no copy) when acceptable, else null (counted, logged once per reason). */
  accept(data: unknown, meta: unknown): { bytes: Uint8Array; meta: VideoChunkMeta } | null;
  reject(reason: VideoGateRejectReason): void;
  /** From now on only a keyframe passes, then deltas again (a new broadcast, a new server). */
  expectKeyframe(): void;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Partial<Record<VideoGateRejectReason, number>>>;
}

/**
 * H.264 chunk checks: bytes, size, metadata, rate (token bucket), an Annex B start code, and a keyframe first.
 * After any refused chunk the deltas that follow cannot be decoded, so the gate waits for the next keyframe
 * (and asks for one) instead of passing a broken picture on.
 */
export function createVideoGate(options: VideoGateOptions = {}): VideoGate {
  const maxBytes = options.maxBytes ?? maxVideoChunkBytes;
  const takeToken = tokenBucket(
    options.maxPerSecond ?? maxFramesPerSecond,
    options.now ?? (() => performance.now()),
  );
  const byReason: Partial<Record<VideoGateRejectReason, number>> = {};
  let rejected = 0;
  let needsKeyframe = true;

  function reject(reason: VideoGateRejectReason): null {
    rejected += 1;
    const seen = byReason[reason] ?? 0;
    byReason[reason] = seen + 1;
    if (seen === 0)
      options.logOnce?.(
        `video chunk rejected: ${reason} (further rejects of this kind are only counted)`,
      );
    options.onReject?.(reason);
    if (!needsKeyframe) {
      needsKeyframe = true;
      options.onKeyframeNeeded?.();
    }
    return null;
  }

  function check(
    data: unknown,
    meta: unknown,
  ): { bytes: Uint8Array; meta: VideoChunkMeta } | VideoGateRejectReason {
    const bytes = asBytes(data);
    if (!bytes) return 'video-not-binary';
    if (bytes.length > maxBytes) return 'video-too-large';
    if (!isVideoChunkMeta(meta)) return 'video-bad-meta';
    if (!startsWithStartCode(bytes)) return 'video-no-start-code';
    if (needsKeyframe && !meta.isKey) return 'video-no-keyframe-yet';
    if (!takeToken()) return 'video-rate-limited';
    return { bytes, meta };
  }

  return {
    accept(data, meta) {
      const result = check(data, meta);
      if (typeof result === 'string') {
        // Deltas while waiting for a keyframe are expected after a break: counted, no new keyframe request.
        if (result === 'video-no-keyframe-yet') {
          rejected += 1;
          byReason[result] = (byReason[result] ?? 0) + 1;
          options.onReject?.(result);
          return null;
        }
        return reject(result);
      }
      if (result.meta.isKey) needsKeyframe = false;
      return result;
    },
    reject(reason) {
      reject(reason);
    },
    expectKeyframe() {
      needsKeyframe = true;
    },
    get rejected() {
      return rejected;
    },
    get rejectedByReason() {
      return { ...byReason };
    },
  };
}
