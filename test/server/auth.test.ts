// Access key: 401 without it, ?key= and Basic accepted, wrong keys counted, lockout → 429, open mode.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AuthGate, generateKey, presentedKeys } from '../../server/core/auth.ts';
import type { BroadcastServer } from '../../server/types.ts';
import {
  get,
  makeFrames,
  openStream,
  publishOne,
  startTestServer,
  withTestServer,
} from './harness.ts';

const frames = makeFrames(2);
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('with the default access key', () => {
  let server: BroadcastServer;
  let base: string;
  before(async () => {
    server = await startTestServer();
    base = `http://127.0.0.1:${server.port}`;
    publishOne(server, frames[0]!);
  });
  after(() => server.close());

  test('the generated key is URL-safe and at least 96 bits', () => {
    assert.match(server.key ?? '', /^[A-Za-z0-9_-]{16,}$/);
    assert.ok(Buffer.from(server.key ?? '', 'base64url').length * 8 >= 96);
    assert.notEqual(generateKey(), generateKey());
    for (const url of server.urls) {
      assert.equal(new URL(url).searchParams.get('key'), server.key, url);
    }
  });

  // 1 in 64 raw draws starts with '-'; over 5 000 keys a missing redraw shows up all but surely.
  test('generated keys never start with "-", so `lancam serve --key K` takes them as they are', () => {
    for (let i = 0; i < 5000; i++) {
      const key = generateKey();
      assert.match(key, /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/, key);
      assert.equal(Buffer.from(key, 'base64url').length, 16);
    }
  });

  test('every endpoint but the key form answers 401 without a key', async () => {
    for (const route of [
      '/stream.mjpg',
      '/?action=stream',
      '/snapshot.jpg',
      '/shot.jpg',
      '/status.json',
    ]) {
      const response = await get(`${base}${route}`);
      assert.equal(response.status, 401, route);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Basic realm="LanCam"/);
      await response.body?.cancel();
    }
  });

  test('the page without a key is a bare form that reveals nothing', async () => {
    const response = await get(`${base}/`);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await response.text();
    // No action: the key goes back to the page that asked, / or /cam/N/.
    assert.match(html, /<form method="get">/);
    assert.match(html, /name="key"/);
    assert.doesNotMatch(html, /<img|<script|stream|snapshot/i);
  });

  test('?key= and the Basic password (any user name) are accepted', async () => {
    const key = server.key ?? '';
    const viaQuery = await get(`${base}/snapshot.jpg?key=${encodeURIComponent(key)}`);
    assert.equal(viaQuery.status, 200);
    await viaQuery.body?.cancel();
    for (const user of ['', 'viewer', 'anything at all']) {
      const viaBasic = await get(`${base}/snapshot.jpg`, { Authorization: basic(user, key) });
      assert.equal(viaBasic.status, 200, `user "${user}"`);
      await viaBasic.body?.cancel();
    }
    const stream = await openStream(`${base}/stream.mjpg`, { Authorization: basic('vlc', key) });
    await stream.waitForParts(1);
    stream.close();
    const page = await get(`${base}/?key=${encodeURIComponent(key)}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<img id="stream"/);
  });

  test('a wrong key is 401, in the query or as the password', async () => {
    const wrongQuery = await get(`${base}/status.json?key=nope`);
    assert.equal(wrongQuery.status, 401);
    await wrongQuery.body?.cancel();
    const wrongBasic = await get(`${base}/status.json`, { Authorization: basic('x', 'nope') });
    assert.equal(wrongBasic.status, 401);
    await wrongBasic.body?.cancel();
    const prefix = await get(`${base}/status.json?key=${(server.key ?? '').slice(0, -1)}`);
    assert.equal(prefix.status, 401);
    await prefix.body?.cancel();
  });

  test('the viewer page script and style load without a key (they are the same for everyone)', async () => {
    for (const route of ['/viewer.js', '/viewer.css']) {
      const response = await get(`${base}${route}`);
      assert.equal(response.status, 200, route);
      await response.body?.cancel();
    }
  });
});

test('10 wrong keys within a minute lock the address out with 429; the generated (strong) key still passes', async () => {
  const server = await startTestServer();
  const base = `http://127.0.0.1:${server.port}`;
  try {
    // The earlier tests' failures were on another server: this gate starts clean.
    for (let i = 0; i < 10; i++) {
      const response = await get(`${base}/status.json?key=wrong${i}`);
      assert.equal(response.status, 401, `attempt ${i + 1}`);
      await response.body?.cancel();
    }
    for (const route of ['/status.json', '/', '/stream.mjpg']) {
      const response = await get(`${base}${route}?key=wrong-again`);
      assert.equal(response.status, 429, route);
      assert.equal(response.headers.get('retry-after'), '300');
      await response.body?.cancel();
    }
    const right = await get(`${base}/status.json?key=${server.key}`);
    assert.equal(right.status, 200, 'a 128-bit key cannot be guessed, so it is not locked out');
    await right.body?.cancel();
  } finally {
    await server.close();
  }
});

test('with a short custom key, 10 wrong keys lock the address out even for the right key', async () => {
  await withTestServer({ key: 'short1' }, async (server) => {
    const base = `http://127.0.0.1:${server.port}`;
    for (let i = 0; i < 10; i++) {
      const response = await get(`${base}/status.json?key=wrong${i}`);
      assert.equal(response.status, 401, `attempt ${i + 1}`);
      await response.body?.cancel();
    }
    for (const route of ['/status.json', '/', '/stream.mjpg']) {
      const response = await get(`${base}${route}?key=short1`);
      assert.equal(response.status, 429, route);
      assert.equal(response.headers.get('retry-after'), '300');
      await response.body?.cancel();
    }
  });
});

test('open mode asks for no key', async () => {
  const server = await startTestServer({ auth: false });
  const base = `http://127.0.0.1:${server.port}`;
  try {
    assert.equal(server.key, null);
    for (const url of server.urls) assert.equal(new URL(url).search, '', url);
    publishOne(server, frames[1]!);
    for (const route of ['/', '/snapshot.jpg', '/status.json']) {
      const response = await get(`${base}${route}`);
      assert.equal(response.status, 200, route);
      await response.body?.cancel();
    }
    const stream = await openStream(`${base}/stream.mjpg`);
    await stream.waitForParts(1);
    stream.close();
  } finally {
    await server.close();
  }
});

test('an explicit key is used as given', async () => {
  await withTestServer({ key: 'my key/with+odd=chars' }, async (server) => {
    const response = await get(
      `http://127.0.0.1:${server.port}/status.json?key=${encodeURIComponent('my key/with+odd=chars')}`,
    );
    assert.equal(response.status, 200);
    await response.body?.cancel();
    assert.ok(server.urls.every((url) => new URL(url).searchParams.get('key') === server.key));
  });
});

describe('AuthGate', () => {
  test('lockout lasts lockoutMs and failures older than the window are forgotten', () => {
    const gate = new AuthGate({ key: 'k', maxFailures: 3, failureWindowMs: 1000, lockoutMs: 5000 });
    assert.equal(gate.check('a', ['x'], 0), 'wrong');
    assert.equal(gate.check('a', ['x'], 100), 'wrong');
    // Outside the window the count starts again.
    assert.equal(gate.check('a', ['x'], 2000), 'wrong');
    assert.equal(gate.check('a', ['x'], 2100), 'wrong');
    assert.equal(gate.check('a', ['k'], 2200), 'ok');
    assert.equal(gate.check('a', ['x'], 2300), 'wrong');
    assert.equal(gate.check('a', ['k'], 2400), 'locked');
    assert.equal(gate.check('b', ['k'], 2400), 'ok', 'other addresses are unaffected');
    assert.equal(gate.check('a', ['k'], 7299), 'locked');
    assert.equal(gate.check('a', ['k'], 7300), 'ok');
    assert.equal(gate.check('a', [], 7300), 'missing');
  });

  test('the failure table stays bounded under a flood of addresses', () => {
    const gate = new AuthGate({ key: 'k', maxTrackedAddresses: 100 });
    for (let i = 0; i < 10_000; i++) gate.check(`10.0.${i >> 8}.${i & 255}`, ['x'], i);
    assert.ok(gate.trackedAddresses <= 100, `${gate.trackedAddresses} tracked`);
  });

  test('presentedKeys reads the query key and the Basic password, both', () => {
    assert.deepEqual(presentedKeys(new URLSearchParams('key=a'), basic('u', 'b')), ['a', 'b']);
    assert.deepEqual(presentedKeys(new URLSearchParams(''), basic('u', 'b:c')), ['b:c']);
    assert.deepEqual(presentedKeys(new URLSearchParams(''), 'Bearer b'), []);
    assert.deepEqual(presentedKeys(new URLSearchParams(''), undefined), []);
    assert.deepEqual(presentedKeys(new URLSearchParams(''), 'Basic !!!'), []);
  });

  test('open mode lets everything through', () => {
    const gate = new AuthGate({ key: null });
    assert.equal(gate.check('a', []), 'ok');
    assert.equal(gate.isOpen, true);
  });
});
