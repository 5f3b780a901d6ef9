// The broadcast status the control window assumes before main has answered: off, nothing shared.
import type { BroadcastStatus } from '../electron/ipc.ts';

export const offStatus: BroadcastStatus = {
  state: 'off',
  urls: [],
  port: null,
  key: null,
  viewerCount: 0,
  viewers: [],
  blockedAddresses: [],
  liveSinceMs: null,
  sourceFps: 0,
  frameBytes: 0,
  outMbps: 0,
  rejectedFrames: 0,
  rejectedByReason: {},
  error: null,
  rtspUrls: [],
  rtspPort: null,
  videoConsumers: 0,
  sources: [],
};
