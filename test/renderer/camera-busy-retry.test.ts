// The busy-camera retry loop (renderer/camera-busy-retry.ts): backoff, one loop at a time, cancel.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelayMs,
  BusyRetry,
  busyBackoff,
  type RetryOutcome,
} from '../../renderer/camera-busy-retry.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('backoffDelayMs', () => {
  it('doubles from 1 s and stays at 10 s', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 50].map((n) => backoffDelayMs(n)),
      [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000],
    );
    assert.equal(backoffDelayMs(-3), busyBackoff.initialMs);
  });
});

describe('BusyRetry', () => {
  const fast = { initialMs: 2, maxMs: 8 };

  it('keeps trying while busy and stops when the camera opens', async () => {
    const retry = new BusyRetry(fast);
    const outcomes: RetryOutcome[] = ['busy', 'busy', 'busy', 'done'];
    let calls = 0;
    retry.start(() => Promise.resolve(outcomes[calls++] ?? 'done'));
    assert.equal(retry.isActive, true);
    assert.equal(calls, 0, 'the first retry waits for the backoff, it does not run at once');
    await until('loop ends', () => !retry.isActive);
    assert.equal(calls, 4);
    assert.equal(retry.attempts, 4);
    await sleep(40);
    assert.equal(calls, 4, 'nothing runs after done');
  });

  it('treats a failed attempt as still busy', async () => {
    const retry = new BusyRetry(fast);
    let calls = 0;
    retry.start(() => {
      calls += 1;
      return calls < 3 ? Promise.reject(new Error('boom')) : Promise.resolve('done');
    });
    await until('loop ends', () => !retry.isActive);
    assert.equal(calls, 3);
  });

  it('does not start a second loop or reset the backoff while one runs', async () => {
    const retry = new BusyRetry(fast);
    let first = 0;
    let second = 0;
    retry.start(() => {
      first += 1;
      return Promise.resolve(first < 3 ? 'busy' : 'done');
    });
    retry.start(() => {
      second += 1;
      return Promise.resolve('done');
    });
    await until('loop ends', () => !retry.isActive);
    assert.equal(second, 0);
    assert.equal(first, 3);
  });

  it('cancel stops the loop, even with an attempt in progress', async () => {
    const retry = new BusyRetry(fast);
    let calls = 0;
    let release = (): void => undefined;
    retry.start(() => {
      calls += 1;
      return new Promise<RetryOutcome>((resolve) => {
        release = () => {
          resolve('busy');
        };
      });
    });
    await until('first attempt', () => calls === 1);
    retry.cancel();
    assert.equal(retry.isActive, false);
    release();
    await sleep(40);
    assert.equal(calls, 1, 'a cancelled loop never tries again');
    // And a new loop can start afterwards.
    retry.start(() => {
      calls += 1;
      return Promise.resolve('done');
    });
    await until('new loop ends', () => !retry.isActive);
    assert.equal(calls, 2);
  });

  it('cancel before the first attempt means no attempt at all', async () => {
    const retry = new BusyRetry(fast);
    let calls = 0;
    retry.start(() => {
      calls += 1;
      return Promise.resolve('done');
    });
    retry.cancel();
    await sleep(40);
    assert.equal(calls, 0);
  });
});
