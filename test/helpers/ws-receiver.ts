// A minimal WebSocket receiver (RFC 6455, client→server only) for the test bridge: one ordered, cheap
// channel from the page, so the harness costs about what Electron's IPC does, not a fetch per frame.
// Protocol: a text message with a JSON header; when the header has `payloadBytes`, the next (binary)
// message is its payload — sent as is, so the page never copies a frame.
import { createHash } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

export type WsMessageHandler = (header: Record<string, unknown>, payload: Buffer) => void;

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Returns a function that destroys every open socket (http.Server.close() ignores upgraded ones). */
export function acceptWebSockets(
  server: Server,
  path: string,
  onMessage: WsMessageHandler,
): () => void {
  const sockets = new Set<Duplex>();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const key = request.headers['sec-websocket-key'];
    if (request.url !== path || typeof key !== 'string') {
      socket.destroy();
      return;
    }
    const accept = createHash('sha1')
      .update(key + GUID)
      .digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    readFrames(socket, onMessage);
  });
  return () => {
    for (const socket of sockets) socket.destroy();
  };
}

function readFrames(socket: Duplex, onMessage: WsMessageHandler): void {
  let pending: Buffer = Buffer.alloc(0);
  let fragments: Buffer[] = [];
  let waiting: Record<string, unknown> | null = null;
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      const b0 = pending[0] ?? 0;
      const b1 = pending[1] ?? 0;
      const isFinal = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      const isMasked = (b1 & 0x80) !== 0;
      const maskOffset = offset;
      if (isMasked) offset += 4;
      if (pending.length < offset + length) return;
      const payload = Buffer.from(pending.subarray(offset, offset + length));
      if (isMasked) {
        for (let i = 0; i < payload.length; i += 1) {
          payload[i] = (payload[i] ?? 0) ^ (pending[maskOffset + (i % 4)] ?? 0);
        }
      }
      pending = pending.subarray(offset + length);
      if (opcode === 0x8) {
        socket.end();
        return;
      }
      if (opcode === 0x9 || opcode === 0xa) continue;
      fragments.push(payload);
      if (!isFinal) continue;
      const message = fragments.length === 1 ? payload : Buffer.concat(fragments);
      fragments = [];
      if (waiting) {
        onMessage(waiting, message);
        waiting = null;
        continue;
      }
      const header = JSON.parse(message.toString()) as Record<string, unknown>;
      if (typeof header.payloadBytes === 'number') waiting = header;
      else onMessage(header, Buffer.alloc(0));
    }
  });
}
