// The keep-up rule: behind only after 5 s below 80 % of the chosen rate; any recovery or stop resets it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  keepingUp,
  keepUpAdvice,
  nextKeepUp,
  type KeepUpState,
} from '../../renderer/capture-keep-up.ts';

function run(
  samples: readonly (readonly [number, number])[],
  target = 30,
  capturing = true,
): KeepUpState {
  return samples.reduce<KeepUpState>(
    (state, [atMs, fps]) => nextKeepUp(state, atMs, fps, target, capturing),
    keepingUp,
  );
}

test('below 80 % for 5 s is behind; 4.9 s is not', () => {
  const slow = [0, 1000, 2000, 3000, 4000, 4900].map((t) => [t, 20] as const);
  assert.equal(run(slow).isBehind, false);
  assert.equal(run([...slow, [5000, 20]]).isBehind, true);
});

test('exactly 80 % keeps up, and one good second resets the stretch', () => {
  assert.equal(
    run([
      [0, 24],
      [6000, 24],
    ]).isBehind,
    false,
  );
  const state = run([
    [0, 10],
    [3000, 10],
    [4000, 29],
    [5000, 10],
    [8000, 10],
  ]);
  assert.equal(state.isBehind, false);
  assert.equal(state.belowSinceMs, 5000);
  assert.equal(
    run([
      [0, 10],
      [3000, 10],
      [4000, 29],
      [5000, 10],
      [10_000, 10],
    ]).isBehind,
    true,
  );
});

test('not capturing resets, and the advice names the fix', () => {
  assert.deepEqual(
    run(
      [
        [0, 1],
        [9000, 1],
      ],
      30,
      false,
    ),
    keepingUp,
  );
  assert.equal(
    run(
      [
        [0, 1],
        [9000, 1],
      ],
      0,
    ).isBehind,
    false,
  );
  assert.match(
    keepUpAdvice(12.4, 30),
    /only 12 of the 30 .*Lower the resolution, the frame rate or the quality/,
  );
});
