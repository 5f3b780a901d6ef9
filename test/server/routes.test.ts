// Pure request parsing: route table and aliases, ?fps=, ?client=, client addresses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeAddress as clientAddress } from '../../server/core/client-address.ts';
import {
  isPublicRoute,
  parseClientId,
  parseFpsCap,
  parseSourcePath,
  resolveRoute,
  resolveTarget,
} from '../../server/http/routes.ts';
import { channelSourceId } from '../../server/ws/frame-channel.ts';

const q = (text: string): URLSearchParams => new URLSearchParams(text);

test('routes and their aliases resolve exactly; anything else is unknown', () => {
  assert.equal(resolveRoute('/', q('')), 'page');
  assert.equal(resolveRoute('/', q('key=abc')), 'page');
  assert.equal(resolveRoute('/', q('action=stream')), 'stream');
  assert.equal(resolveRoute('/', q('action=snapshot&key=k')), 'snapshot');
  assert.equal(resolveRoute('/', q('action=other')), 'page');
  for (const path of ['/stream.mjpg', '/stream', '/video_feed', '/video']) {
    assert.equal(resolveRoute(path, q('')), 'stream', path);
  }
  for (const path of ['/snapshot.jpg', '/shot.jpg'])
    assert.equal(resolveRoute(path, q('')), 'snapshot');
  assert.equal(resolveRoute('/status.json', q('')), 'status');
  for (const path of ['/index.html', '/Stream.mjpg', '/stream.mjpg/', '/assets', '/constructor']) {
    assert.equal(resolveRoute(path, q('')), null, path);
  }
  assert.equal(resolveRoute('/video', q('action=snapshot')), 'stream', 'action only applies to /');
});

test('/cam/N/ addresses source N; every other path is source 1', () => {
  assert.deepEqual(resolveTarget('/stream.mjpg', q('')), { route: 'stream', sourceId: 1 });
  assert.deepEqual(resolveTarget('/', q('action=snapshot')), { route: 'snapshot', sourceId: 1 });
  assert.deepEqual(resolveTarget('/cam/1/', q('')), { route: 'page', sourceId: 1 });
  assert.deepEqual(resolveTarget('/cam/3', q('')), { route: 'page', sourceId: 3 });
  assert.deepEqual(resolveTarget('/cam/2/stream.mjpg', q('')), { route: 'stream', sourceId: 2 });
  assert.deepEqual(resolveTarget('/cam/2/stream', q('')), { route: 'stream', sourceId: 2 });
  assert.deepEqual(resolveTarget('/cam/4/snapshot.jpg', q('')), { route: 'snapshot', sourceId: 4 });
  // Which ids exist is the server's business (404 after the key); the parser accepts any 1 … 99.
  assert.deepEqual(resolveTarget('/cam/9/', q('')), { route: 'page', sourceId: 9 });
  for (const path of [
    '/cam/',
    '/cam/0/',
    '/cam/01/',
    '/cam/100/',
    '/cam/x/',
    '/cam/2/status.json',
    '/cam/2/viewer.js',
    '/cam/2/video',
    '/cam/2/stream.mjpg/',
    '/cam/2//stream.mjpg',
  ]) {
    assert.equal(resolveTarget(path, q('')), null, path);
  }
  assert.deepEqual(parseSourcePath('/cam/2/stream.ws'), { sourceId: 2, rest: '/stream.ws' });
  assert.equal(channelSourceId('/stream.ws'), 1);
  assert.equal(channelSourceId('/cam/3/stream.ws'), 3);
  assert.equal(channelSourceId('/cam/3/stream.mjpg'), null);
  assert.equal(channelSourceId('/cam/stream.ws'), null);
});

test('only the page script, style and favicon are public', () => {
  assert.deepEqual(
    (
      ['page', 'stream', 'snapshot', 'status', 'viewer-css', 'viewer-js', 'favicon'] as const
    ).filter(isPublicRoute),
    ['viewer-css', 'viewer-js', 'favicon'],
  );
});

test('?fps= accepts 1…60 and nothing else', () => {
  assert.equal(parseFpsCap(null), null);
  assert.equal(parseFpsCap('1'), 1);
  assert.equal(parseFpsCap('60'), 60);
  assert.equal(parseFpsCap('12.5'), 12.5);
  for (const bad of ['0', '0.5', '61', '', ' 5', '5fps', '1e1', '-1', 'NaN', 'Infinity']) {
    assert.equal(parseFpsCap(bad), undefined, bad);
  }
});

test('?client= is a short plain token or ignored', () => {
  assert.equal(parseClientId('a1b2c3d4e5f60718'), 'a1b2c3d4e5f60718');
  assert.equal(parseClientId(null), null);
  assert.equal(parseClientId(''), null);
  assert.equal(parseClientId('<script>'), null);
  assert.equal(parseClientId('x'.repeat(33)), null);
});

test('IPv4-mapped addresses are shown as IPv4', () => {
  assert.equal(clientAddress('::ffff:192.168.1.5'), '192.168.1.5');
  assert.equal(clientAddress('fe80::1'), 'fe80::1');
  assert.equal(clientAddress(undefined), 'unknown');
});
