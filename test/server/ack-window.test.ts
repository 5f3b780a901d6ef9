// The in-flight rule of the acknowledged channel, with plain numbers; and the frame message layout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AckWindow, FAST_ROUND_TRIP_MS } from '../../server/ws/ack-window.ts';
import { decodeFrameMessage, encodeFrameMessage } from '../../server/ws/frame-message.ts';

test('one frame in flight until a fast acknowledgement, two while the link stays fast', () => {
  const window = new AckWindow();
  assert.equal(window.canSend, true);
  window.sent(1, 1000, 990);
  assert.equal(window.canSend, false, 'one in flight at first');
  assert.equal(window.oldestSentAtMs, 1000);
  assert.deepEqual(window.acknowledge(1, 1020), { roundTripMs: 20, frameAgeMs: 30 });
  assert.equal(window.limit, 2);
  window.sent(2, 1030, 1025);
  window.sent(3, 1040, 1035);
  assert.equal(window.canSend, false, 'two in flight on a fast link');
  assert.equal(window.inFlight, 2);
});

test('a slow acknowledgement shrinks the window back to one', () => {
  const window = new AckWindow();
  window.sent(1, 0, 0);
  window.acknowledge(1, 10);
  window.sent(2, 100, 100);
  window.sent(3, 110, 110);
  window.acknowledge(2, 100 + FAST_ROUND_TRIP_MS + 400);
  assert.equal(window.limit, 1);
  assert.equal(window.inFlight, 1);
  assert.equal(window.canSend, false, 'frame 3 is still in flight');
});

test('acknowledging a later frame clears the earlier ones; unknown acknowledgements change nothing', () => {
  const window = new AckWindow();
  window.sent(1, 0, 0);
  window.acknowledge(1, 5);
  window.sent(2, 10, 10);
  window.sent(3, 20, 20);
  assert.equal(window.acknowledge(99, 30), null);
  assert.equal(window.acknowledge(1, 30), null, 'already acknowledged');
  assert.equal(window.inFlight, 2);
  assert.deepEqual(window.acknowledge(3, 40), { roundTripMs: 20, frameAgeMs: 20 });
  assert.equal(window.inFlight, 0);
  assert.equal(window.oldestSentAtMs, null);
});

test('frame messages round-trip and refuse other layouts', () => {
  const payload = Uint8Array.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9]);
  const fields = {
    kind: 1,
    seq: 4_000_000_000,
    captureTimeMs: 1_764_500_000_123.5,
    width: 1280,
    height: 720,
    isPlaceholder: true,
  };
  const message = encodeFrameMessage(fields, payload);
  const decoded = decodeFrameMessage(message);
  assert.ok(decoded);
  assert.deepEqual(
    { ...decoded, payload: [...decoded.payload] },
    { ...fields, payload: [...payload] },
  );
  assert.equal(decodeFrameMessage(message.subarray(0, 30)), null, 'truncated');
  const otherVersion = Buffer.from(message);
  otherVersion[0] = 9;
  assert.equal(decodeFrameMessage(otherVersion), null, 'unknown layout version');
});
