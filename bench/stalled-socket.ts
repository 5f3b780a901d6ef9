// A stalled benchmark viewer: sends the stream request and never reads a byte of the answer.
import net from 'node:net';

/** The User-Agent stalled sockets send, so /status.json shows which viewers they are. */
export const STALLED_USER_AGENT = 'lancam-bench-stalled';

export function openStalledSocket(url: string): net.Socket {
  const { hostname, port, pathname, search } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  // Paused before it connects, Node never starts reading, so the kernel receive buffer fills and stays full.
  socket.pause();
  socket.on('error', () => {
    // The server evicting or resetting a stalled viewer is the expected outcome.
  });
  socket.write(
    `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
      `User-Agent: ${STALLED_USER_AGENT}\r\n\r\n`,
  );
  return socket;
}
