// The Host check of open mode (DNS rebinding): the pure check on header variants, then real requests with
// forged Host headers against an open server, and the same headers against a keyed one.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { describe, test } from 'node:test';
import { allowedHostNames, hostNameOf, isAllowedHost } from '../../server/core/host-check.ts';
import type { BroadcastServer } from '../../server/types.ts';
import {
  makeFrames,
  openStream,
  parseRawResponse,
  publishOne,
  rawExchange,
  StreamRefused,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(1);

async function exchange(
  server: BroadcastServer,
  pathAndQuery: string,
  host: string | null,
): Promise<{ status: number; body: string }> {
  const hostLine = host === null ? '' : `Host: ${host}\r\n`;
  const version = host === null ? 'HTTP/1.0' : 'HTTP/1.1';
  const raw = parseRawResponse(
    await rawExchange(
      server.port,
      `GET ${pathAndQuery} ${version}\r\n${hostLine}Connection: close\r\n\r\n`,
    ),
  );
  return {
    status: Number(/^HTTP\/1\.\d (\d{3})/.exec(raw.statusLine)?.[1]),
    body: raw.body.toString('utf8'),
  };
}

describe('isAllowedHost', () => {
  const allowed = allowedHostNames('Studio-PC.example.org', ['Cam.LAN.']);

  test('IP literals, localhost, the host name, <name>.local and added names pass, with or without port', () => {
    for (const host of [
      '192.168.1.20',
      '192.168.1.20:8080',
      '[::1]:8080',
      '[fe80::1]',
      '127.0.0.1:9',
      'localhost',
      'LOCALHOST:8080',
      'localhost.',
      'studio-pc.example.org',
      'studio-pc',
      'studio-pc.local:8080',
      'cam.lan',
      'CAM.LAN:80',
    ]) {
      assert.equal(isAllowedHost(host, allowed), true, host);
    }
    assert.equal(isAllowedHost(undefined, allowed), true, 'HTTP/1.0 without Host');
  });

  test('other names, and malformed headers, are refused', () => {
    for (const host of [
      'evil.example',
      'evil.example:8080',
      '192.168.1.20.nip.io',
      'localhost.evil.example',
      'studio-pc.evil',
      '0x7f.1',
      'a b',
      '[not-ipv6]',
      'cam.lan:99999999',
    ]) {
      assert.equal(isAllowedHost(host, allowed), false, host);
    }
  });

  test('hostNameOf strips port, brackets and the trailing dot', () => {
    assert.equal(hostNameOf('[2001:db8::1]:8080'), '2001:db8::1');
    assert.equal(hostNameOf('Example.COM.:80'), 'example.com');
    assert.equal(hostNameOf('x/y'), null);
  });
});

describe('open mode against forged Host headers', () => {
  test('a rebound name gets 403 with a message; IP addresses, localhost and this machine pass', async () => {
    await withTestServer({ auth: false, allowedHosts: ['cam.lan'] }, async (server) => {
      publishOne(server, frames[0]!);
      for (const route of ['/', '/snapshot.jpg', '/status.json', '/stream.mjpg']) {
        const refused = await exchange(server, route, `attacker.example:${server.port}`);
        assert.equal(refused.status, 403, route);
        assert.match(refused.body, /open mode.*--allow-host/s);
      }
      const label = hostname().split('.')[0] ?? '';
      for (const host of [
        `127.0.0.1:${server.port}`,
        `localhost:${server.port}`,
        `${label}.local:${server.port}`,
        `cam.lan:${server.port}`,
        null,
      ]) {
        const answer = await exchange(server, '/status.json', host);
        assert.equal(answer.status, 200, String(host));
      }
      await assert.rejects(
        openStream(`http://127.0.0.1:${server.port}/stream.mjpg`, {
          Host: 'attacker.example',
        }),
        (error) => error instanceof StreamRefused && error.status === 403,
      );
      const stream = await openStream(`http://127.0.0.1:${server.port}/stream.mjpg`);
      await stream.waitForParts(1);
      stream.close();
    });
  });

  test('with a key the Host header is not checked (a rebound page cannot know the key)', async () => {
    await withTestServer(async (server) => {
      const answer = await exchange(server, `/status.json?key=${server.key}`, 'attacker.example');
      assert.equal(answer.status, 200);
    });
  });
});
