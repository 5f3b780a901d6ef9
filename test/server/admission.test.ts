// Connection and stream-slot limits with real sockets from many loopback addresses (127.0.0.x): the per-address
// stream share, the per-address and total socket caps, the first-byte deadline and requests with unasked bodies.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { ViewerAdmission } from '../../server/core/admission.ts';
import type { BroadcastServer } from '../../server/types.ts';
import {
  eventually,
  makeFrames,
  openStream,
  parseRawResponse,
  publishOne,
  rawExchange,
  StreamRefused,
  withKey,
  withTestServer,
  type StreamReader,
} from './harness.ts';

const frames = makeFrames(1);

/** Opens a stream from `localAddress`; resolves to the reader, or to the HTTP status it was refused with. */
async function streamFrom(
  server: BroadcastServer,
  localAddress: string,
): Promise<StreamReader | number> {
  try {
    const reader = await openStream(withKey(server, '/stream.mjpg'), {}, { localAddress });
    await reader.waitForParts(1);
    return reader;
  } catch (error) {
    if (error instanceof StreamRefused) return error.status;
    throw error;
  }
}

function mustStream(result: StreamReader | number): StreamReader {
  if (typeof result === 'number') assert.fail(`refused with ${result}`);
  return result;
}

interface RawSocket {
  readonly socket: net.Socket;
  readonly connectedAtMs: number;
  /** Milliseconds from connect to close, and what the server sent. */
  readonly closed: Promise<{ afterMs: number; received: string }>;
}

function connectFrom(port: number, localAddress: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('error', reject);
    socket.once('connect', () => {
      const connectedAtMs = Date.now();
      const closed = new Promise<{ afterMs: number; received: string }>((done) => {
        socket.once('close', () => {
          done({ afterMs: Date.now() - connectedAtMs, received });
        });
      });
      resolve({ socket, connectedAtMs, closed });
    });
  });
}

/** True when the socket is still open `ms` from now. */
async function staysOpen(raw: RawSocket, ms: number): Promise<boolean> {
  const result = await Promise.race([
    raw.closed.then(() => 'closed' as const),
    new Promise<'open'>((resolve) =>
      setTimeout(() => {
        resolve('open');
      }, ms),
    ),
  ]);
  return result === 'open';
}

test(
  'one address holds at most its share of stream slots; others still get in, up to maxViewers',
  { timeout: 30_000 },
  async () => {
    // maxViewers 8 → the default share is max(2, ceil(8 / 4)) = 2.
    await withTestServer({ maxViewers: 8 }, async (server) => {
      publishOne(server, frames[0]!);
      const open: StreamReader[] = [];
      try {
        open.push(mustStream(await streamFrom(server, '127.0.0.2')));
        open.push(mustStream(await streamFrom(server, '127.0.0.2')));
        assert.equal(await streamFrom(server, '127.0.0.2'), 429, 'a third stream from one address');
        // Three more addresses fill the server to 8.
        for (const address of ['127.0.0.3', '127.0.0.4', '127.0.0.5']) {
          open.push(mustStream(await streamFrom(server, address)));
          open.push(mustStream(await streamFrom(server, address)));
        }
        assert.equal(server.status().viewerCount, 8);
        assert.equal(await streamFrom(server, '127.0.0.6'), 503, 'the server is full');
        // A freed slot of 127.0.0.2 is usable by it again.
        open.shift()?.close();
        await eventually(() => server.status().viewerCount === 7, 5000, 'slot freed');
        open.push(mustStream(await streamFrom(server, '127.0.0.2')));
      } finally {
        for (const reader of open) reader.close();
      }
    });
  },
);

test('the refusal says why, with Retry-After', { timeout: 30_000 }, async () => {
  await withTestServer({ maxViewers: 4, maxViewersPerAddress: 1 }, async (server) => {
    publishOne(server, frames[0]!);
    const first = mustStream(await streamFrom(server, '127.0.0.7'));
    try {
      const raw = parseRawResponse(
        await rawExchange(
          server.port,
          `GET /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
          { localAddress: '127.0.0.7' },
        ),
      );
      assert.match(raw.statusLine, /^HTTP\/1\.1 429/);
      assert.deepEqual(raw.headers.get('retry-after'), ['5']);
      assert.match(raw.body.toString(), /Too many streams from your address \(limit 1\)/);
    } finally {
      first.close();
    }
  });
});

test(
  '127.0.0.1 and ::1 are uncapped by default (this machine), and capped when the option says so',
  { timeout: 30_000 },
  async () => {
    await withTestServer({ maxViewers: 8 }, async (server) => {
      publishOne(server, frames[0]!);
      const open: StreamReader[] = [];
      try {
        for (let i = 0; i < 5; i++) open.push(mustStream(await streamFrom(server, '127.0.0.1')));
      } finally {
        for (const reader of open) reader.close();
      }
    });
    await withTestServer({ maxViewers: 8, uncappedAddresses: [] }, async (server) => {
      publishOne(server, frames[0]!);
      const open: StreamReader[] = [];
      try {
        open.push(mustStream(await streamFrom(server, '127.0.0.1')));
        open.push(mustStream(await streamFrom(server, '127.0.0.1')));
        assert.equal(await streamFrom(server, '127.0.0.1'), 429);
      } finally {
        for (const reader of open) reader.close();
      }
    });
  },
);

test(
  'sockets beyond the per-address cap are closed at once; other addresses are unaffected',
  { timeout: 30_000 },
  async () => {
    await withTestServer({ maxConnectionsPerAddress: 4 }, async (server) => {
      const held: RawSocket[] = [];
      try {
        for (let i = 0; i < 4; i++) held.push(await connectFrom(server.port, '127.0.0.8'));
        const extra = await connectFrom(server.port, '127.0.0.8');
        const { afterMs, received } = await extra.closed;
        // Well under the 3 s first-byte deadline: this is the cap, not the deadline.
        assert.ok(afterMs < 2000, `closed after ${afterMs} ms`);
        assert.equal(received, '');
        for (const raw of held) assert.equal(raw.socket.destroyed, false, 'the first four stay');
        // Another address is served normally meanwhile.
        const answer = parseRawResponse(
          await rawExchange(
            server.port,
            `GET /status.json?key=${server.key} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
            { localAddress: '127.0.0.9' },
          ),
        );
        assert.match(answer.statusLine, /^HTTP\/1\.1 200/);
        // Once one closes, the address may connect again.
        held.shift()?.socket.destroy();
        await sleepUntilCounted();
        const again = await connectFrom(server.port, '127.0.0.8');
        held.push(again);
        assert.equal(await staysOpen(again, 500), true);
      } finally {
        for (const raw of held) raw.socket.destroy();
      }
    });
  },
);

/** The server sees a client's close a moment after the client does. */
const sleepUntilCounted = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 300));

test('server.maxConnections caps the total over all addresses', { timeout: 30_000 }, async () => {
  await withTestServer({ maxConnections: 6 }, async (server) => {
    const held: RawSocket[] = [];
    try {
      for (let i = 0; i < 6; i++) held.push(await connectFrom(server.port, `127.0.0.${20 + i}`));
      const extra = await connectFrom(server.port, '127.0.0.30');
      const { afterMs } = await extra.closed;
      assert.ok(afterMs < 2000, `closed after ${afterMs} ms`);
      for (const raw of held) assert.equal(raw.socket.destroyed, false);
    } finally {
      for (const raw of held) raw.socket.destroy();
    }
  });
});

test(
  'a socket that sends no byte is closed within 3 s; one that has started a request is not',
  { timeout: 30_000 },
  async () => {
    await withTestServer(async (server) => {
      const silent = await connectFrom(server.port, '127.0.0.40');
      const talking = await connectFrom(server.port, '127.0.0.41');
      try {
        talking.socket.write('GET /status.json HTTP/1.1\r\n');
        const { afterMs, received } = await silent.closed;
        // The deadline is 3 s; a busy machine may run the timer late, never early.
        assert.ok(afterMs >= 2500 && afterMs < 6000, `silent socket closed after ${afterMs} ms`);
        assert.equal(received, '');
        // headersTimeout (10 s) governs the one that has started; it is still open past 3 s.
        assert.equal(talking.socket.destroyed, false);
        assert.equal(await staysOpen(talking, 1000), true);
      } finally {
        talking.socket.destroy();
      }
    });
  },
);

test(
  'a request announcing a body nobody asked for is answered at once and the connection closed',
  { timeout: 30_000 },
  async () => {
    await withTestServer(async (server) => {
      publishOne(server, frames[0]!);
      const requests = [
        `GET /status.json?key=${server.key} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n`,
        `GET /stream.mjpg?key=${server.key} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`,
        `HEAD /snapshot.jpg?key=${server.key} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n`,
      ];
      for (const request of requests) {
        const raw = await connectFrom(server.port, '127.0.0.42');
        raw.socket.write(request);
        // The body never comes; requestTimeout would have waited 30 s for it.
        const { afterMs, received } = await raw.closed;
        assert.ok(afterMs < 5000, `closed after ${afterMs} ms`);
        const response = parseRawResponse(Buffer.from(received, 'latin1'));
        assert.match(response.statusLine, /^HTTP\/1\.1 413/, request);
        assert.deepEqual(response.headers.get('connection'), ['close']);
      }
      assert.equal(server.status().viewerCount, 0, 'no stream was opened');
    });
  },
);

test('ViewerAdmission: slots are counted per address and in total; release() is idempotent', () => {
  const admission = new ViewerAdmission({
    maxViewers: 3,
    maxViewersPerAddress: 2,
    isUncapped: (address) => address === 'gateway',
  });
  const a1 = admission.admit('a');
  const a2 = admission.admit('a');
  assert.ok(a1.isAdmitted && a2.isAdmitted);
  const a3 = admission.admit('a');
  assert.equal(a3.isAdmitted ? null : a3.refusal.reason, 'address-full');
  const b1 = admission.admit('b');
  assert.ok(b1.isAdmitted);
  const full = admission.admit('c');
  assert.equal(full.isAdmitted ? null : full.refusal.status, 503);
  a1.slot.release();
  a1.slot.release();
  assert.equal(admission.count, 2, 'a double release frees one slot, not two');
  assert.equal(admission.countFor('a'), 1);
  b1.slot.release();
  a2.slot.release();
  assert.equal(admission.count, 0);
  assert.equal(admission.countFor('a'), 0);
  // An uncapped address may take every slot.
  const slots = [
    admission.admit('gateway'),
    admission.admit('gateway'),
    admission.admit('gateway'),
  ];
  assert.ok(slots.every((slot) => slot.isAdmitted));
});
