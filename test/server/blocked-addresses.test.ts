// Disconnect and block: a blocked address is refused (403, plain words) by the stream, snapshot, status, page
// and frame channel until allowed again; other addresses keep watching; disconnectViewer ends one stream.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import type { BroadcastServer } from '../../server/types.ts';
import WebSocket from 'ws';
import { BlockedAddresses } from '../../server/core/blocked-addresses.ts';
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
} from './harness.ts';

const frames = makeFrames(1);
const blockedAddress = '127.0.0.71';
const otherAddress = '127.0.0.72';

async function answer(
  port: number,
  pathAndQuery: string,
  localAddress: string,
): Promise<{ status: number; body: string }> {
  const raw = await rawExchange(
    port,
    `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
    { localAddress },
  );
  const response = parseRawResponse(raw);
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response.statusLine)?.[1]),
    body: response.body.toString('utf8'),
  };
}

function channelStatus(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { localAddress });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

describe('BlockedAddresses table', () => {
  test('blocks until the time runs out or the address is allowed again', () => {
    const table = new BlockedAddresses();
    table.block('10.0.0.5', 300_000, 1000);
    assert.equal(table.isBlocked('10.0.0.5', 1000), true);
    assert.equal(table.isBlocked('10.0.0.6', 1000), false);
    assert.deepEqual(table.list(2000), [{ address: '10.0.0.5', untilMs: 301_000 }]);
    assert.equal(table.isBlocked('10.0.0.5', 301_000), false, 'expired');
    assert.deepEqual(table.list(301_000), []);
    table.block('10.0.0.5', 300_000, 1000);
    assert.equal(table.allow('10.0.0.5'), true);
    assert.equal(table.allow('10.0.0.5'), false);
    assert.equal(table.isBlocked('10.0.0.5', 2000), false);
    assert.throws(() => {
      table.block('x', 0);
    }, RangeError);
  });
});

describe('blocking through the server handle', () => {
  test('a disconnected, blocked address is refused by every route and protocol; others keep watching', async () => {
    await withTestServer({ rtspPort: 0 }, async (server) => {
      publishOne(server, frames[0]!);
      const streamUrl = withKey(server, '/stream.mjpg');
      const victim = await openStream(streamUrl, {}, { localAddress: blockedAddress });
      const bystander = await openStream(streamUrl, {}, { localAddress: otherAddress });
      await victim.waitForParts(1);
      await eventually(() => server.status().viewerCount === 2);
      const victimId = server.status().viewers.find((v) => v.address === blockedAddress)?.id;
      assert.ok(victimId !== undefined);

      server.blockAddress(blockedAddress, 300_000);
      assert.equal(server.disconnectViewer(victimId), true);
      assert.equal(server.disconnectViewer(victimId + 1000), false);
      await victim.closed;
      await eventually(() => server.status().viewerCount === 1);
      assert.equal(bystander.response.destroyed, false, 'the other viewer still watches');

      const blocked = server.status().blockedAddresses ?? [];
      assert.deepEqual(
        blocked.map((entry) => entry.address),
        [blockedAddress],
      );
      assert.ok(blocked[0]!.untilMs > Date.now() + 290_000);

      for (const path of ['/stream.mjpg', '/snapshot.jpg', '/status.json', '/']) {
        const url = new URL(withKey(server, path));
        const refused = await answer(server.port, url.pathname + url.search, blockedAddress);
        assert.equal(refused.status, 403, path);
        assert.match(refused.body, /disconnected this device/, path);
      }
      await assert.rejects(
        openStream(streamUrl, {}, { localAddress: blockedAddress }),
        (error: unknown) => error instanceof StreamRefused && error.status === 403,
      );
      const wsUrl = withKey(server, '/stream.ws').replace('http:', 'ws:');
      assert.equal(await channelStatus(wsUrl, blockedAddress), 403);
      assert.equal(await channelStatus(wsUrl, otherAddress), 101);
      assert.equal(await rtspDescribeStatus(server, blockedAddress), 403, 'RTSP refuses it too');
      assert.notEqual(await rtspDescribeStatus(server, otherAddress), 403);

      assert.equal(server.allowAddress(blockedAddress), true);
      assert.deepEqual(server.status().blockedAddresses, []);
      const back = await openStream(streamUrl, {}, { localAddress: blockedAddress });
      await back.waitForParts(1);
      back.close();
      await eventually(() => server.status().viewerCount === 1);

      assert.equal(server.disconnectAll(), 1);
      await bystander.closed;
      await eventually(() => server.status().viewerCount === 0);
    });
  });
});

/** The status line of one RTSP DESCRIBE with the right key, sent from `localAddress`. */
function rtspDescribeStatus(server: BroadcastServer, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: server.rtspPort ?? 0, host: '127.0.0.1', localAddress });
    const credentials = Buffer.from(`viewer:${server.key ?? ''}`).toString('base64');
    socket.write(
      `DESCRIBE rtsp://127.0.0.1:${server.rtspPort ?? 0}/live RTSP/1.0\r\nCSeq: 1\r\n` +
        `Authorization: Basic ${credentials}\r\n\r\n`,
    );
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const match = /^RTSP\/1\.0 (\d{3})/.exec(text);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('error', reject);
  });
}
