// H.264 encoder settings from the picture size and frame rate (pure): codec string, level, bitrate, keyframes.

export interface PictureFormat {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

/** One row of ITU-T H.264 Table A-1: the limits a level puts on frame size and macroblock rate. */
interface H264Level {
  /** level_idc, e.g. 31 for level 3.1 (the last byte of the codec string). */
  readonly idc: number;
  /** MaxFS: largest frame, in 16×16 macroblocks. */
  readonly maxFrameMacroblocks: number;
  /** MaxMBPS: macroblocks per second. */
  readonly maxMacroblocksPerSecond: number;
}

// ITU-T H.264 (08/2021) Table A-1, levels 3.0 to 5.2 (below 3.0 nothing a webcam sends fits).
const levels: readonly H264Level[] = [
  { idc: 30, maxFrameMacroblocks: 1620, maxMacroblocksPerSecond: 40_500 },
  { idc: 31, maxFrameMacroblocks: 3600, maxMacroblocksPerSecond: 108_000 },
  { idc: 32, maxFrameMacroblocks: 5120, maxMacroblocksPerSecond: 216_000 },
  { idc: 40, maxFrameMacroblocks: 8192, maxMacroblocksPerSecond: 245_760 },
  { idc: 42, maxFrameMacroblocks: 8704, maxMacroblocksPerSecond: 522_240 },
  { idc: 50, maxFrameMacroblocks: 22_080, maxMacroblocksPerSecond: 589_824 },
  { idc: 51, maxFrameMacroblocks: 36_864, maxMacroblocksPerSecond: 983_040 },
  { idc: 52, maxFrameMacroblocks: 36_864, maxMacroblocksPerSecond: 2_073_600 },
];

/** Constrained Baseline: profile_idc 66 (0x42) with constraint_set0 and set1 (0xE0): every decoder plays it. */
const constrainedBaselinePrefix = 'avc1.42E0';

/** The lowest level whose frame size and macroblock rate hold this format; null when even 5.2 is too small. */
export function h264LevelIdc(format: PictureFormat): number | null {
  const frameMacroblocks = Math.ceil(format.width / 16) * Math.ceil(format.height / 16);
  const perSecond = frameMacroblocks * Math.max(1, format.fps);
  const level = levels.find(
    (l) => frameMacroblocks <= l.maxFrameMacroblocks && perSecond <= l.maxMacroblocksPerSecond,
  );
  return level?.idc ?? null;
}

/** WebCodecs codec string (RFC 6381 `avc1.PPCCLL`), Constrained Baseline at the level the format needs. */
export function h264CodecString(format: PictureFormat): string | null {
  const idc = h264LevelIdc(format);
  return idc === null
    ? null
    : constrainedBaselinePrefix + idc.toString(16).toUpperCase().padStart(2, '0');
}

/** 2.5 Mbit/s at 720p30: a clear picture from a webcam, ~10× less than MJPEG at quality 0.8. */
export const referenceBitrateBps = 2_500_000;
const referencePixelsPerSecond = 1280 * 720 * 30;
export const bitrateRangeBps = { min: 150_000, max: 20_000_000 } as const;

/** The reference bitrate scaled with pixels × fps (a 1080p30 stream gets 2.25× the 720p30 one), clamped. */
export function h264BitrateBps(format: PictureFormat, at720p30Bps = referenceBitrateBps): number {
  const pixelsPerSecond = format.width * format.height * Math.max(1, format.fps);
  const scaled = Math.round((at720p30Bps * pixelsPerSecond) / referencePixelsPerSecond);
  return Math.min(bitrateRangeBps.max, Math.max(bitrateRangeBps.min, scaled));
}

/** A keyframe at least this often, so a client that lost a frame (or a recorder cutting files) recovers. */
export const keyframeIntervalUs = 2_000_000;

/** Whether the frame at `timestampUs` must be a keyframe: on request, first frame, or 2 s after the last one. */
export function isKeyframeDue(
  timestampUs: number,
  lastKeyTimestampUs: number | null,
  isRequested: boolean,
): boolean {
  if (isRequested || lastKeyTimestampUs === null) return true;
  return timestampUs - lastKeyTimestampUs >= keyframeIntervalUs || timestampUs < lastKeyTimestampUs;
}

export type HardwareAcceleration = 'prefer-hardware' | 'prefer-software' | 'no-preference';

/** The shape of a WebCodecs VideoEncoderConfig this module builds (both DOM and worker libs accept it). */
export interface H264EncoderConfig {
  readonly codec: string;
  readonly width: number;
  readonly height: number;
  readonly bitrate: number;
  readonly framerate: number;
  readonly hardwareAcceleration: HardwareAcceleration;
  readonly latencyMode: 'realtime';
  readonly bitrateMode: 'variable';
  readonly avc: { readonly format: 'annexb' };
}

/**
 * Configs to try, best first: the hardware encoder, then software (OpenH264 in Chromium), then whatever the
 * platform picks. Annex B output carries SPS/PPS in band with each keyframe, which RTSP and the viewer need.
 */
export function h264ConfigCandidates(
  format: PictureFormat,
  at720p30Bps = referenceBitrateBps,
): H264EncoderConfig[] {
  const codec = h264CodecString(format);
  if (codec === null) return [];
  const accelerations: readonly HardwareAcceleration[] = [
    'prefer-hardware',
    'prefer-software',
    'no-preference',
  ];
  return accelerations.map((hardwareAcceleration) => ({
    codec,
    width: format.width,
    height: format.height,
    bitrate: h264BitrateBps(format, at720p30Bps),
    framerate: Math.max(1, format.fps),
    hardwareAcceleration,
    latencyMode: 'realtime',
    bitrateMode: 'variable',
    avc: { format: 'annexb' },
  }));
}
