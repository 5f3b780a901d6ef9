// What a viewer page may say on the frame channel (acknowledgements, clock pings, keyframe requests), and what
// every channel viewer is given; shared by the JPEG and the H.264 viewer.
import type { RateMeter } from '../core/rate-meter.ts';

export type ClientMessage =
  | { readonly type: 'ack'; readonly seq: number }
  | { readonly type: 'ping'; readonly t: number }
  | { readonly type: 'keyframe' };

/** Parses one text message from the page; null for anything else (counted by the caller, never thrown). */
export function parseClientMessage(data: string | null): ClientMessage | null {
  if (data === null || data.length > 200) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record.type === 'ack' && Number.isInteger(record.seq)) {
    return { type: 'ack', seq: record.seq as number };
  }
  if (record.type === 'ping' && Number.isFinite(record.t))
    return { type: 'ping', t: record.t as number };
  if (record.type === 'keyframe') return { type: 'keyframe' };
  return null;
}

export type ChannelCloseReason = 'disconnected' | 'stalled' | 'ended';

export interface ChannelViewerOptions<V> {
  readonly id: number;
  /** The source the channel serves (H.264 is source 1's only). */
  readonly sourceId: number;
  readonly address: string;
  readonly userAgent: string;
  readonly clientId: string | null;
  readonly stallTimeoutMs: number;
  readonly bytesOut: RateMeter;
  readonly onClose: (viewer: V, reason: ChannelCloseReason) => void;
}
