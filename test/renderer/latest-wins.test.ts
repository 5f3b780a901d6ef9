import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LatestWins } from '../../renderer/shared/latest-wins.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LatestWins', () => {
  it('runs one job at a time and keeps only the newest waiting item', async () => {
    const started: number[] = [];
    const discarded: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred>>();
    const queue = new LatestWins<number>({
      process: (n) => {
        started.push(n);
        const gate = deferred();
        gates.set(n, gate);
        return gate.promise;
      },
      discard: (n) => discarded.push(n),
      onError: (error) => assert.fail(String(error)),
    });
    queue.offer(1);
    queue.offer(2);
    queue.offer(3);
    queue.offer(4);
    assert.deepEqual(started, [1]);
    assert.deepEqual(discarded, [2, 3]);
    assert.equal(queue.dropped, 2);
    gates.get(1)?.resolve();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [1, 4]);
    gates.get(4)?.resolve();
    await new Promise((r) => setImmediate(r));
    assert.equal(queue.isBusy, false);
  });

  it('reports a failing job and carries on', async () => {
    const errors: unknown[] = [];
    const done: number[] = [];
    const queue = new LatestWins<number>({
      process: async (n) => {
        await Promise.resolve();
        if (n === 1) throw new Error('boom');
        done.push(n);
      },
      discard: () => undefined,
      onError: (e) => errors.push(e),
    });
    queue.offer(1);
    queue.offer(2);
    await new Promise((r) => setImmediate(r));
    assert.equal(errors.length, 1);
    assert.deepEqual(done, [2]);
  });

  it('clear() discards the waiting item', () => {
    const discarded: number[] = [];
    const queue = new LatestWins<number>({
      process: () => new Promise(() => undefined),
      discard: (n) => discarded.push(n),
      onError: (error) => assert.fail(String(error)),
    });
    queue.offer(1);
    queue.offer(2);
    queue.clear();
    assert.deepEqual(discarded, [2]);
  });
});
