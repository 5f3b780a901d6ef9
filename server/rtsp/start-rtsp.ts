// Wires the H.264 outputs into the broadcast server: the video hub, the RTSP listener (8554 with fallback)
// and its UDP pair, and the share URLs; startBroadcastServer() only calls this and forwards the handle.
import type { ViewerAdmission } from '../core/admission.ts';
import type { AuthGate } from '../core/auth.ts';
import { listenWithFallback } from '../core/listen.ts';
import type { RateMeter } from '../core/rate-meter.ts';
import type { Logger, RtspClientStats, VideoChunk } from '../types.ts';
import { VideoHub } from '../video/video-hub.ts';
import { RtspAuthenticator, type AuthScheme } from './rtsp-auth.ts';
import { RtspServer } from './rtsp-server.ts';
import { bindUdpPair } from './udp-ports.ts';

/** The port RTSP cameras and NVRs expect (MediaMTX and go2rtc use it too). */
export const DEFAULT_RTSP_PORT = 8554;

export interface VideoOutputOptions {
  readonly host: string;
  /** false: no RTSP listener; publishVideo still validates and counts. */
  readonly isRtspEnabled: boolean;
  /** undefined: 8554 or the next free port; a number (0 = any) is used exactly. */
  readonly rtspPort: number | undefined;
  readonly key: string | null;
  readonly gate: AuthGate;
  readonly authSchemes: readonly AuthScheme[] | undefined;
  /** Addresses the user blocked; refused like a locked-out address. */
  readonly isBlocked?: (address: string) => boolean;
  readonly maxClients: number;
  /** Viewer slots shared with the HTTP protocols. */
  readonly admission?: ViewerAdmission;
  readonly stallTimeoutMs: number;
  readonly bytesOut: RateMeter;
  readonly logger: Logger;
  readonly onClientsChanged: () => void;
  /** Ids shared with the HTTP and channel viewers (the viewer registry's). */
  readonly nextClientId?: () => number;
}

export interface VideoOutputs {
  readonly hub: VideoHub;
  /** Bound RTSP port, or null when RTSP is off. */
  readonly rtspPort: number | null;
  publishVideo(chunk: VideoChunk): boolean;
  rtspClients(nowMs?: number): RtspClientStats[];
  /** Ends the RTSP clients `shouldEnd` picks; returns how many. */
  endClients(
    shouldEnd: (client: { readonly id: number; readonly address: string }) => boolean,
  ): number;
  /** `rtsp://viewer:KEY@HOST:PORT/live` for each HTTP share URL's host (no user info in open mode). */
  rtspUrls(httpUrls: readonly string[]): string[];
  close(): Promise<void>;
}

export async function startVideoOutputs(options: VideoOutputOptions): Promise<VideoOutputs> {
  const hub = new VideoHub();
  // Consumers come and go with PLAY, PAUSE and DESCRIBE too: the status (and the encoder) follows at once.
  hub.onConsumerCountChange(options.onClientsChanged);
  let rtsp: RtspServer | null = null;
  let port: number | null = null;
  if (options.isRtspEnabled) {
    const udp = await bindUdpPair(options.host);
    if (udp === null) options.logger.warn('rtsp: no UDP ports; clients must use RTP over TCP');
    rtsp = new RtspServer({
      hub,
      auth: new RtspAuthenticator({
        gate: options.gate,
        key: options.key,
        ...(options.authSchemes && { schemes: options.authSchemes }),
        ...(options.isBlocked && { isBlocked: options.isBlocked }),
      }),
      udp,
      maxClients: options.maxClients,
      ...(options.admission && { admission: options.admission }),
      stallTimeoutMs: options.stallTimeoutMs,
      bytesOut: options.bytesOut,
      logger: options.logger,
      onClientsChanged: options.onClientsChanged,
      ...(options.nextClientId && { nextClientId: options.nextClientId }),
    });
    try {
      port = await listenWithFallback(
        rtsp.server,
        options.host,
        options.rtspPort,
        DEFAULT_RTSP_PORT,
      );
    } catch (error) {
      await rtsp.close();
      throw new Error(`RTSP: ${(error as Error).message}`, { cause: error });
    }
    options.logger.info(`rtsp on port ${port}`);
  }
  const userInfo = options.key === null ? '' : `viewer:${encodeURIComponent(options.key)}@`;
  return {
    hub,
    rtspPort: port,
    publishVideo(chunk) {
      try {
        return hub.publish(chunk);
      } catch (error) {
        options.logger.error(`publishVideo failed: ${String(error)}`);
        return false;
      }
    },
    rtspClients: (nowMs) => rtsp?.stats(nowMs) ?? [],
    endClients: (shouldEnd) => rtsp?.endSessions(shouldEnd) ?? 0,
    rtspUrls(httpUrls) {
      if (port === null) return [];
      return httpUrls.map((url) => `rtsp://${userInfo}${new URL(url).hostname}:${port}/live`);
    },
    close: () => rtsp?.close() ?? Promise.resolve(),
  };
}
