// The encode pool's lane and release rules (renderer/worker/encode-order.ts) with plain sequence numbers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncodeOrder, encodeWorkerCount } from '../../renderer/worker/encode-order.ts';

describe('encodeWorkerCount', () => {
  it('leaves one core free, uses at most 3 and at least 1', () => {
    assert.equal(encodeWorkerCount(1), 1);
    assert.equal(encodeWorkerCount(2), 1);
    assert.equal(encodeWorkerCount(3), 2);
    assert.equal(encodeWorkerCount(4), 3);
    assert.equal(encodeWorkerCount(16), 3);
  });

  it('falls back to 1 when the browser reports nothing usable', () => {
    assert.equal(encodeWorkerCount(undefined), 1);
    assert.equal(encodeWorkerCount(0), 1);
    assert.equal(encodeWorkerCount(Number.NaN), 1);
    assert.equal(encodeWorkerCount(2.9), 1);
  });
});

describe('EncodeOrder', () => {
  it('rejects a lane count below one', () => {
    assert.throws(() => new EncodeOrder(0), RangeError);
    assert.throws(() => new EncodeOrder(1.5), RangeError);
  });

  it('hands frames round-robin with at most one in flight per lane', () => {
    const order = new EncodeOrder(3);
    assert.deepEqual(order.dispatch(), { seq: 0, lane: 0 });
    assert.deepEqual(order.dispatch(), { seq: 1, lane: 1 });
    assert.deepEqual(order.dispatch(), { seq: 2, lane: 2 });
    assert.equal(order.inFlight, 3);
    assert.equal(order.hasFreeLane, false);
    assert.equal(order.dispatch(), null, 'a fourth frame must wait');
    assert.equal(order.complete(0), 'emit');
    assert.equal(order.hasFreeLane, true);
    // Lane 0 is the only free one; the next after that continues the rotation.
    assert.deepEqual(order.dispatch(), { seq: 3, lane: 0 });
    assert.equal(order.complete(1), 'emit');
    assert.equal(order.complete(2), 'emit');
    assert.deepEqual(order.dispatch(), { seq: 4, lane: 1 });
    assert.deepEqual(order.dispatch(), { seq: 5, lane: 2 });
  });

  it('says which frame a lane is encoding (to free it when its worker dies)', () => {
    const order = new EncodeOrder(2);
    order.dispatch();
    order.dispatch();
    assert.equal(order.inFlightOn(0), 0);
    assert.equal(order.inFlightOn(1), 1);
    order.complete(0, false);
    assert.equal(order.inFlightOn(0), null);
  });

  it('keeps rotating when lanes finish quickly, instead of always reusing lane 0', () => {
    const order = new EncodeOrder(2);
    const lanes: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const d = order.dispatch();
      assert.ok(d);
      lanes.push(d.lane);
      assert.equal(order.complete(d.seq), 'emit');
    }
    assert.deepEqual(lanes, [0, 1, 0, 1, 0, 1]);
  });

  it('sends results in capture order and drops one that finishes after a newer one was sent', () => {
    const order = new EncodeOrder(3);
    const a = order.dispatch();
    const b = order.dispatch();
    const c = order.dispatch();
    assert.ok(a && b && c);
    // b finishes first: sent at once, nothing waits for a.
    assert.equal(order.complete(b.seq), 'emit');
    assert.equal(order.complete(a.seq), 'drop');
    assert.equal(order.complete(c.seq), 'emit');
    assert.equal(order.lateDrops, 1);
    assert.equal(order.inFlight, 0, 'the dropped frame freed its lane');
  });

  it('never sends anything older than what was sent, over a long shuffled run', () => {
    const order = new EncodeOrder(3);
    const inFlight: number[] = [];
    const sent: number[] = [];
    let dropped = 0;
    // A fixed pseudo-random completion order (LCG), so the run is repeatable.
    let state = 12345;
    const next = (): number => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state;
    };
    for (let step = 0; step < 2000; step += 1) {
      const d = order.hasFreeLane && next() % 2 === 0 ? order.dispatch() : null;
      if (d) {
        inFlight.push(d.seq);
        continue;
      }
      if (inFlight.length === 0) continue;
      const [seq] = inFlight.splice(next() % inFlight.length, 1);
      assert.ok(seq !== undefined);
      if (order.complete(seq) === 'emit') sent.push(seq);
      else dropped += 1;
      assert.ok(order.inFlight <= 3);
    }
    for (let i = 1; i < sent.length; i += 1) {
      assert.ok((sent[i] ?? 0) > (sent[i - 1] ?? 0), `sent out of order at ${i}`);
    }
    assert.equal(dropped, order.lateDrops);
    assert.ok(sent.length > 100 && dropped > 0, `${sent.length} sent, ${dropped} dropped`);
  });

  it('drops a failed encode without blocking later ones, and ignores unknown or repeated seqs', () => {
    const order = new EncodeOrder(2);
    const a = order.dispatch();
    const b = order.dispatch();
    assert.ok(a && b);
    assert.equal(order.complete(a.seq, false), 'drop');
    assert.equal(order.lateDrops, 0, 'a failure is not a late frame');
    assert.equal(order.complete(b.seq), 'emit');
    assert.equal(order.complete(b.seq), 'drop');
    assert.equal(order.complete(99), 'drop');
    assert.equal(order.inFlight, 0);
  });

  it('a single lane behaves like one encoder: everything it finishes is sent', () => {
    const order = new EncodeOrder(1);
    for (let i = 0; i < 5; i += 1) {
      const d = order.dispatch();
      assert.deepEqual(d, { seq: i, lane: 0 });
      assert.equal(order.dispatch(), null);
      assert.equal(order.complete(i), 'emit');
    }
  });
});
