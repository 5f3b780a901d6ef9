// Parsing Linux's /proc/net/tcp{,6} and naming a connection the way it does.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';
import {
  connectionKey,
  parseProcNetTcp,
  readKernelSendQueues,
} from '../../server/kernel-send-queues.ts';

const sample = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1504 1 0 100 0 0 10 0
   1: 0100007F:1F90 0100007F:A57F 01 0001A2B0:00000000 01:00000014 00000000     0        0 4731 1 0 20 4 30 10 -1
`;

test('parses tx_queue per connection, keyed by local port and remote address:port', () => {
  const table = parseProcNetTcp(sample);
  assert.equal(table.get('1F90|0100007F:A57F'), 0x1a2b0);
  assert.equal(table.get('1F90|00000000:0000'), 0);
  assert.equal(table.size, 2);
});

test('spells IPv4, IPv6 and IPv4-mapped addresses as /proc does', () => {
  assert.equal(connectionKey(8080, '127.0.0.1', 42367), '1F90|0100007F:A57F');
  assert.equal(connectionKey(8080, '192.168.1.20', 80), '1F90|1401A8C0:0050');
  assert.equal(connectionKey(80, '::1', 2), '0050|00000000000000000000000001000000:0002');
  assert.equal(
    connectionKey(80, '::ffff:127.0.0.1', 1),
    '0050|0000000000000000FFFF00000100007F:0001',
  );
  assert.equal(
    connectionKey(80, 'fe80::1:2%eth0', 3),
    '0050|000080FE000000000000000002000100:0003',
  );
  assert.equal(connectionKey(80, 'not an address', 3), null);
});

test(
  'finds a live connection and its queued bytes',
  { skip: existsSync('/proc/net/tcp') ? false : 'Linux only' },
  async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      // Fill the peer (which never reads) until the kernel queues a lot for it.
      const chunk = Buffer.alloc(1 << 20);
      const pump = (): void => {
        while (socket.write(chunk));
      };
      pump();
      socket.on('drain', pump);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const client = net.connect(port, '127.0.0.1');
    client.pause();
    await new Promise((resolve) => client.once('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The server side of this connection: local port = server port, remote = the client's port.
    const key = connectionKey(port, '127.0.0.1', client.localPort ?? 0);
    const queued = key === null ? undefined : readKernelSendQueues()?.get(key);
    client.destroy();
    server.close();
    assert.ok(queued !== undefined && queued > 64 * 1024, `queued ${String(queued)} bytes`);
  },
);
