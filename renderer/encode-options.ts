// What the capture worker and getUserMedia are asked for, from the saved settings and the viewer count (pure).
import type { CaptureSettings } from '../electron/ipc.ts';
import { settingDefaults } from '../electron/settings-limits.ts';
import type { CameraRequest } from './camera-constraints.ts';
import { clampBitrateMbps, clampFps, clampQuality } from './setting-inputs.ts';
import type { EncodeOptions } from './shared/worker-protocol.ts';

/**
 * Before main has answered, the defaults; nobody watching (no viewer, no H.264 consumer such as an RTSP
 * client) puts the worker in its 1 fps idle mode.
 */
/** A source's capture settings; source 1's also carry the H.264 bitrate. */
type SourceCapture = CaptureSettings & { readonly h264BitrateMbps?: number };

export function encodeOptionsFor(
  settings: SourceCapture | null,
  viewerCount: number,
  videoConsumers = 0,
): EncodeOptions {
  const s: SourceCapture = settings ?? settingDefaults;
  return {
    fps: clampFps(s.fps),
    jpegQuality: clampQuality(s.jpegQuality),
    mirror: s.mirror,
    rotation: s.rotation,
    overlay: s.overlay,
    overlayText: s.overlayText,
    h264BitrateBps: Math.round(clampBitrateMbps(s.h264BitrateMbps ?? Number.NaN) * 1_000_000),
    isIdle: viewerCount === 0 && videoConsumers === 0,
    videoConsumers,
    isJpegIdle: viewerCount === 0,
  };
}

export function cameraRequestFor(settings: CaptureSettings | null): CameraRequest {
  const s = settings ?? settingDefaults;
  return { cameraId: s.cameraId, resolution: s.resolution, fps: clampFps(s.fps) };
}
