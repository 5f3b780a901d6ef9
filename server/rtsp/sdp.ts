// The session description DESCRIBE answers with (RFC 4566): one H.264 video track, payload type 96,
// packetization-mode 1 with the parameter sets inline (RFC 6184 §8.2.1).
import {
  profileLevelId,
  spropParameterSets,
  type ParameterSets,
} from '../video/h264-parameter-sets.ts';

export const PAYLOAD_TYPE = 96;
export const TRACK_CONTROL = 'trackID=0';

export interface SdpInput {
  readonly parameterSets: ParameterSets;
  /** The address the client reached us on, for the origin line. */
  readonly serverAddress: string;
  readonly sessionId: string;
}

export function buildSdp(input: SdpInput): string {
  const family = input.serverAddress.includes(':') ? 'IP6' : 'IP4';
  const fmtp = [
    'packetization-mode=1',
    `profile-level-id=${profileLevelId(input.parameterSets.sps)}`,
    `sprop-parameter-sets=${spropParameterSets(input.parameterSets)}`,
  ].join(';');
  return [
    'v=0',
    `o=- ${input.sessionId} 1 IN ${family} ${input.serverAddress}`,
    's=LanCam',
    `c=IN ${family} ${family === 'IP6' ? '::' : '0.0.0.0'}`,
    't=0 0',
    'a=tool:LanCam',
    'a=range:npt=0-',
    'a=control:*',
    `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`,
    `a=rtpmap:${PAYLOAD_TYPE} H264/90000`,
    `a=fmtp:${PAYLOAD_TYPE} ${fmtp}`,
    `a=control:${TRACK_CONTROL}`,
    'a=recvonly',
    '',
  ].join('\r\n');
}
