// Binds the pair of UDP sockets every UDP session shares: RTP on an even port, RTCP on the next one
// (RFC 3550 §11), as MediaMTX does with its fixed 8000/8001 pair.
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { UdpPair } from './rtsp-connection.ts';

const ATTEMPTS = 50;
const LOW_PORT = 20_000;
const HIGH_PORT = 60_000;

function bind(socket: Socket, port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => {
      resolve(false);
    };
    socket.once('error', onError);
    socket.bind({ port, address: host, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(true);
    });
  });
}

/** Tries random even ports until both halves of a pair bind; null if the host has no usable UDP. */
export async function bindUdpPair(host: string): Promise<UdpPair | null> {
  const type = isIPv6(host) ? 'udp6' : 'udp4';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const rtpPort = LOW_PORT + 2 * Math.floor((Math.random() * (HIGH_PORT - LOW_PORT)) / 2);
    const rtp = createSocket({ type });
    const rtcp = createSocket({ type });
    if ((await bind(rtp, rtpPort, host)) && (await bind(rtcp, rtpPort + 1, host))) {
      // Errors on a datagram socket (an ICMP port-unreachable from a vanished client) are not fatal.
      rtp.on('error', () => undefined);
      rtcp.on('error', () => undefined);
      return { rtp, rtcp, ports: [rtpPort, rtpPort + 1] };
    }
    rtp.close();
    rtcp.close();
  }
  return null;
}
