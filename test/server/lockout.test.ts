// The lockout after wrong keys: a bounded table that never forgets an active lockout, strong keys that still
// pass while their address is locked, either credential being enough, and X-Forwarded-For from trusted proxies.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AuthGate, generateKey, isStrongKey } from '../../server/core/auth.ts';
import {
  addressGroup,
  parseAddressList,
  resolveClientAddress,
} from '../../server/core/client-address.ts';
import type { BroadcastServer } from '../../server/types.ts';
import {
  makeFrames,
  openStream,
  parseRawResponse,
  publishOne,
  rawExchange,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(1);
const basic = (password: string): string =>
  `Basic ${Buffer.from(`viewer:${password}`).toString('base64')}`;

/** One raw GET from `localAddress`; returns the status code. */
async function statusOf(
  server: BroadcastServer,
  pathAndQuery: string,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<number> {
  const headers = Object.entries(options.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const raw = await rawExchange(
    server.port,
    `GET ${pathAndQuery} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`,
    options.localAddress === undefined ? {} : { localAddress: options.localAddress },
  );
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(parseRawResponse(raw).statusLine)?.[1]);
}

describe('AuthGate table', () => {
  test('an active lockout survives a flood of other failing addresses', () => {
    const gate = new AuthGate({ key: 'k', maxFailures: 3, maxTrackedAddresses: 100 });
    for (let i = 0; i < 3; i++) gate.check('10.9.9.9', ['x'], 1000 + i);
    assert.equal(gate.check('10.9.9.9', ['k'], 2000), 'locked');
    for (let i = 0; i < 10_000; i++) gate.check(`10.0.${i >> 8}.${i & 255}`, ['x'], 2000 + i);
    assert.ok(gate.trackedAddresses <= 101, `${gate.trackedAddresses} tracked`);
    assert.equal(gate.check('10.9.9.9', ['k'], 20_000), 'locked', 'still locked after the flood');
    assert.equal(gate.lockedAddresses(20_000), 1);
    // And it expires on time.
    assert.equal(gate.check('10.9.9.9', ['k'], 1002 + gate.lockoutMs), 'ok');
  });

  test('beyond capacity the least recently failing address is forgotten first', () => {
    const gate = new AuthGate({ key: 'k', maxFailures: 3, maxTrackedAddresses: 3 });
    gate.check('a', ['x'], 0);
    gate.check('b', ['x'], 1);
    gate.check('c', ['x'], 2);
    gate.check('a', ['x'], 3);
    gate.check('b', ['x'], 4);
    gate.check('d', ['x'], 5); // Over capacity: 'c' failed least recently and is forgotten.
    gate.check('b', ['x'], 6);
    assert.equal(gate.check('b', ['k'], 7), 'locked', "'b' kept its two earlier failures");
    gate.check('a', ['x'], 8);
    assert.equal(gate.check('a', ['k'], 9), 'locked', "'a' too");
    gate.check('c', ['x'], 10);
    gate.check('c', ['x'], 11);
    assert.equal(gate.check('c', ['k'], 12), 'ok', "'c' started again from zero");
  });

  // The old table walked every entry on each failure once full: 200 000 failures over a full 50 000-entry
  // table took minutes. O(1) per failure finishes in well under a second; the bound is generous on purpose.
  test('failures cost O(1) however full the table is', () => {
    const gate = new AuthGate({ key: 'k', maxFailures: 1000, maxTrackedAddresses: 50_000 });
    const startMs = performance.now();
    for (let i = 0; i < 200_000; i++) gate.check(`a${i}`, ['x'], i);
    const elapsedMs = performance.now() - startMs;
    assert.equal(gate.trackedAddresses, 50_000);
    assert.ok(elapsedMs < 20_000, `${elapsedMs.toFixed(0)} ms`);
  });

  test('with as many lockouts as it can hold, the gate locks everyone (fail closed); strong keys pass', () => {
    const strongKey = generateKey();
    for (const [key, isStrong] of [
      ['k', false],
      [strongKey, true],
    ] as const) {
      const gate = new AuthGate({ key, maxFailures: 1, maxTrackedAddresses: 3 });
      assert.equal(gate.isKeyStrong, isStrong);
      for (const address of ['a', 'b', 'c']) gate.check(address, ['x'], 0);
      assert.equal(gate.lockedAddresses(0), 3);
      assert.equal(gate.check('fresh', ['x'], 1), 'locked');
      assert.equal(gate.check('fresh', [key], 1), isStrong ? 'ok' : 'locked');
      // When the lockouts expire, so does the saturation.
      assert.equal(gate.check('fresh', [key], gate.lockoutMs + 1), 'ok');
    }
  });

  test('IPv6 addresses of one /64 share a lockout', () => {
    assert.equal(addressGroup('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressGroup('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(addressGroup('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(addressGroup('10.0.0.5'), '10.0.0.5');
    const gate = new AuthGate({ key: 'k', maxFailures: 3 });
    gate.check('2001:db8:1:2::1', ['x'], 0);
    gate.check('2001:db8:1:2::2', ['x'], 1);
    gate.check('2001:db8:1:2:ffff::3', ['x'], 2);
    assert.equal(gate.check('2001:db8:1:2::99', ['k'], 3), 'locked');
    assert.equal(gate.check('2001:db8:1:3::1', ['k'], 3), 'ok', 'the next /64 is another client');
  });
});

describe('strong keys', () => {
  test('every generated key is strong; short, repetitive and passphrase keys are not', () => {
    for (let i = 0; i < 2000; i++) {
      const key = generateKey();
      assert.ok(isStrongKey(key), key);
    }
    // Keys people make with tools: 16 random bytes as base64 or hex.
    assert.ok(isStrongKey('q3Zk9V1vXw7hP0sLrT2yBg=='));
    assert.ok(isStrongKey('9f86d081884c7d659a2feaa0c55ad015'));
    for (const weak of [
      'short1',
      'correct horse battery staple',
      'a'.repeat(64),
      'abcdefghij'.repeat(2),
      'Password1Password1Password1',
      '1234567890123456789012345',
    ]) {
      assert.equal(isStrongKey(weak), false, weak);
    }
  });

  test('one address locked out by wrong keys: the strong key still passes there, wrong ones get 429', async () => {
    await withTestServer(async (server) => {
      for (let i = 0; i < 10; i++) {
        assert.equal(
          await statusOf(server, `/status.json?key=typo${i}`, { localAddress: '127.0.0.60' }),
          401,
        );
      }
      // Everyone behind this NAT address with the right key keeps watching.
      assert.equal(
        await statusOf(server, `/status.json?key=${server.key}`, { localAddress: '127.0.0.60' }),
        200,
      );
      assert.equal(
        await statusOf(server, '/status.json', {
          localAddress: '127.0.0.60',
          headers: { Authorization: basic(server.key ?? '') },
        }),
        200,
      );
      assert.equal(
        await statusOf(server, '/status.json?key=guess', { localAddress: '127.0.0.60' }),
        429,
      );
      assert.equal(await statusOf(server, '/status.json', { localAddress: '127.0.0.60' }), 429);
      // Another address is not affected at all.
      assert.equal(
        await statusOf(server, '/status.json?key=guess', { localAddress: '127.0.0.61' }),
        401,
      );
    });
  });
});

describe('either credential', () => {
  test('a wrong ?key= does not spoil a right Basic password, nor the other way round', async () => {
    await withTestServer({ key: 'short-custom' }, async (server) => {
      const from = { localAddress: '127.0.0.70' };
      assert.equal(
        await statusOf(server, '/status.json?key=stale', {
          ...from,
          headers: { Authorization: basic('short-custom') },
        }),
        200,
      );
      assert.equal(
        await statusOf(server, '/status.json?key=short-custom', {
          ...from,
          headers: { Authorization: basic('stale') },
        }),
        200,
      );
      // Both wrong: 401, and the request counts once towards the lockout (ten requests, not five).
      for (let i = 0; i < 9; i++) {
        assert.equal(
          await statusOf(server, `/status.json?key=a${i}`, {
            ...from,
            headers: { Authorization: basic(`b${i}`) },
          }),
          401,
          `request ${i + 1}`,
        );
      }
      assert.equal(
        await statusOf(server, '/status.json?key=short-custom', from),
        200,
        'not locked after 9',
      );
      assert.equal(await statusOf(server, '/status.json?key=z', from), 401);
      assert.equal(
        await statusOf(server, '/status.json?key=short-custom', from),
        429,
        'locked after 10',
      );
    });
  });
});

describe('trusted proxies', () => {
  test('X-Forwarded-For is read from the right, skipping trusted hops, and only from a trusted peer', () => {
    const trusted = parseAddressList('trustedProxies', ['127.0.0.9', '10.0.0.0/8']);
    assert.equal(resolveClientAddress('127.0.0.9', '192.168.1.7', trusted), '192.168.1.7');
    assert.equal(resolveClientAddress('::ffff:127.0.0.9', '192.168.1.7', trusted), '192.168.1.7');
    // A client-written first entry is ignored: the last untrusted hop is what the proxy saw.
    assert.equal(resolveClientAddress('127.0.0.9', '1.2.3.4, 192.168.1.7', trusted), '192.168.1.7');
    assert.equal(
      resolveClientAddress('127.0.0.9', '192.168.1.7, 10.1.1.1', trusted),
      '192.168.1.7',
    );
    assert.equal(
      resolveClientAddress('127.0.0.9', ['192.168.1.7', '10.1.1.1'], trusted),
      '192.168.1.7',
    );
    // Every hop trusted: the leftmost is the best we know.
    assert.equal(resolveClientAddress('127.0.0.9', '10.2.2.2, 10.1.1.1', trusted), '10.2.2.2');
    // Garbage stops the walk at the last good hop.
    assert.equal(resolveClientAddress('127.0.0.9', 'evil, 10.1.1.1', trusted), '10.1.1.1');
    assert.equal(resolveClientAddress('127.0.0.9', 'not-an-ip', trusted), '127.0.0.9');
    // From an untrusted peer, or with no list, the header means nothing.
    assert.equal(resolveClientAddress('192.168.1.50', '1.2.3.4', trusted), '192.168.1.50');
    assert.equal(resolveClientAddress('127.0.0.9', '1.2.3.4', null), '127.0.0.9');
    assert.throws(() => parseAddressList('trustedProxies', ['proxy.lan']), /proxy\.lan/);
    assert.throws(() => parseAddressList('trustedProxies', ['10.0.0.0/33']), /10\.0\.0\.0\/33/);
  });

  test('behind a trusted proxy each forwarded client has its own lockout and appears in the status', async () => {
    await withTestServer({ key: 'short-custom', trustedProxies: ['127.0.0.9'] }, async (server) => {
      publishOne(server, frames[0]!);
      const viaProxy = (
        client: string,
      ): { localAddress: string; headers: Record<string, string> } => ({
        localAddress: '127.0.0.9',
        headers: { 'X-Forwarded-For': client },
      });
      for (let i = 0; i < 10; i++) {
        assert.equal(
          await statusOf(server, `/status.json?key=w${i}`, viaProxy('192.168.1.66')),
          401,
        );
      }
      assert.equal(
        await statusOf(server, '/status.json?key=short-custom', viaProxy('192.168.1.66')),
        429,
      );
      assert.equal(
        await statusOf(server, '/status.json?key=short-custom', viaProxy('192.168.1.67')),
        200,
      );
      // A peer that is not trusted cannot choose its address by writing the header.
      for (let i = 0; i < 10; i++) {
        await statusOf(server, `/status.json?key=w${i}`, {
          localAddress: '127.0.0.10',
          headers: { 'X-Forwarded-For': `192.168.1.${100 + i}` },
        });
      }
      assert.equal(
        await statusOf(server, '/status.json?key=short-custom', { localAddress: '127.0.0.10' }),
        429,
      );

      const stream = await openStream(
        `http://127.0.0.1:${server.port}/stream.mjpg?key=short-custom`,
        { 'X-Forwarded-For': '192.168.1.68' },
        { localAddress: '127.0.0.9' },
      );
      try {
        await stream.waitForParts(1);
        assert.deepEqual(
          server.status().viewers.map((viewer) => viewer.address),
          ['192.168.1.68'],
        );
      } finally {
        stream.close();
      }
    });
  });
});
