// ViewerArrivals: a new connection is news once; a quick reconnect from the same address is not; Stop forgets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BroadcastStatus, ViewerSummary } from '../../electron/ipc.ts';
import { offStatus } from '../../electron/main/broadcast.ts';
import {
  arrivalNotice,
  rejoinGraceMs,
  ViewerArrivals,
} from '../../electron/main/viewer-arrivals.ts';

function viewer(id: number, address: string): ViewerSummary {
  return {
    id,
    address,
    userAgent: '',
    device: 'iPhone · Safari',
    sourceId: 1,
    protocol: 'mjpeg',
    codec: 'jpeg',
    fps: 30,
    bytesSent: 0,
    skippedFrames: 0,
    isSlow: false,
    connectedAtMs: 0,
  };
}

function live(viewers: ViewerSummary[]): BroadcastStatus {
  return { ...offStatus({}, null), state: 'live', viewers, viewerCount: viewers.length };
}

test('each new viewer arrives once; a reconnect within the grace is not news, later it is', () => {
  const arrivals = new ViewerArrivals();
  assert.deepEqual(arrivals.next(live([]), 0), []);
  assert.deepEqual(
    arrivals.next(live([viewer(1, '10.0.0.2')]), 1000).map((v) => v.id),
    [1],
  );
  assert.deepEqual(arrivals.next(live([viewer(1, '10.0.0.2')]), 2000), []);
  // Size change: viewer 1 leaves, 2 comes back from the same address at once.
  assert.deepEqual(arrivals.next(live([]), 3000), []);
  assert.deepEqual(arrivals.next(live([viewer(2, '10.0.0.2')]), 3500), []);
  assert.deepEqual(
    arrivals.next(live([viewer(2, '10.0.0.2'), viewer(3, '10.0.0.3')]), 4000).map((v) => v.id),
    [3],
  );
  assert.deepEqual(arrivals.next(live([]), 5000), []);
  assert.deepEqual(
    arrivals.next(live([viewer(4, '10.0.0.2')]), 5000 + rejoinGraceMs + 1).map((v) => v.id),
    [4],
  );
  // Stop forgets everyone.
  assert.deepEqual(arrivals.next(offStatus({}, null), 6000 + rejoinGraceMs), []);
  assert.deepEqual(
    arrivals.next(live([viewer(4, '10.0.0.2')]), 6001 + rejoinGraceMs).map((v) => v.id),
    [4],
  );
});

test('the notice names the device and address in plain words', () => {
  assert.equal(arrivalNotice([]), null);
  assert.deepEqual(arrivalNotice([viewer(1, '10.0.0.2')]), {
    title: 'Someone started watching',
    body: 'iPhone · Safari at 10.0.0.2 is watching your camera.',
  });
  assert.match(
    arrivalNotice([viewer(1, '10.0.0.2'), viewer(2, '10.0.0.3')])?.body ?? '',
    /and 1 more/,
  );
});
