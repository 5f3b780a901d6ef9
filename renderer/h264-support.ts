// Whether this platform encodes H.264 through WebCodecs: the first config of h264-settings.ts it supports.
// Runs in the page (to say so in the control window at once) and in the capture worker (per frame size).
import {
  h264ConfigCandidates,
  type H264EncoderConfig,
  type PictureFormat,
} from './h264-settings.ts';
import type { H264Support } from './shared/worker-protocol.ts';

/** The first candidate the platform supports, or null (no VideoEncoder at all, or no H.264 encoder). */
export async function pickH264Config(
  format: PictureFormat,
  at720p30Bps?: number,
): Promise<H264EncoderConfig | null> {
  if (typeof VideoEncoder === 'undefined') return null;
  for (const config of h264ConfigCandidates(format, at720p30Bps)) {
    try {
      const { supported } = await VideoEncoder.isConfigSupported(config);
      if (supported === true) return config;
    } catch {
      // A TypeError means this config is malformed for this browser; try the next one.
    }
  }
  return null;
}

/** What the control window shows: which encoder would run, or why there is none. */
export async function probeH264(format: PictureFormat): Promise<H264Support> {
  return supportOf(await pickH264Config(format), format);
}

export function supportOf(config: H264EncoderConfig | null, format: PictureFormat): H264Support {
  if (config) {
    return {
      kind: 'supported',
      hardwareAcceleration: config.hardwareAcceleration,
      codec: config.codec,
    };
  }
  return {
    kind: 'unsupported',
    message:
      typeof VideoEncoder === 'undefined'
        ? 'this system has no WebCodecs video encoder.'
        : `this system has no H.264 encoder for ${format.width}×${format.height}.`,
  };
}
