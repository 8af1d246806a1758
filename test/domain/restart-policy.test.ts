import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRestart, defaultRestartPolicy, type RestartState } from '../../src/domain/restart-policy.js';

const policy = { initialDelayMs: 500, maxDelayMs: 30_000, stableAfterMs: 60_000 };

test('crashes in a row wait 0.5 s, 1 s, 2 s … and never more than the cap', () => {
  let state: RestartState = { failures: 0 };
  const delays: number[] = [];
  for (let i = 0; i < 9; i++) {
    const r = decideRestart(state, { stopping: false, upForMs: 1_000 }, policy);
    assert.equal(r.decision.action, 'restart');
    if (r.decision.action === 'restart') {
      delays.push(r.decision.delayMs);
      assert.equal(r.decision.attempt, i + 1);
    }
    state = r.state;
  }
  assert.deepEqual(delays, [500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
});

test('a failed start counts like a crash', () => {
  const first = decideRestart({ failures: 0 }, { stopping: false }, policy);
  const second = decideRestart(first.state, { stopping: false }, policy);
  assert.deepEqual(second.decision, { action: 'restart', delayMs: 1_000, attempt: 2 });
});

test('a child that stayed up past stableAfterMs starts again from the first pause', () => {
  const r = decideRestart({ failures: 6 }, { stopping: false, upForMs: 60_000 }, policy);
  assert.deepEqual(r.decision, { action: 'restart', delayMs: 500, attempt: 1 });
  const shortLived = decideRestart({ failures: 6 }, { stopping: false, upForMs: 59_999 }, policy);
  assert.deepEqual(shortLived.decision, { action: 'restart', delayMs: 30_000, attempt: 7 });
});

test('nothing is restarted while stopping, and the count is left as it was', () => {
  const r = decideRestart({ failures: 3 }, { stopping: true, upForMs: 5 }, policy);
  assert.deepEqual(r.decision, { action: 'stay-down', reason: 'stopping' });
  assert.deepEqual(r.state, { failures: 3 });
});

test('a very long failure streak does not overflow the pause', () => {
  const r = decideRestart({ failures: 10_000 }, { stopping: false }, defaultRestartPolicy);
  assert.deepEqual(r.decision, { action: 'restart', delayMs: defaultRestartPolicy.maxDelayMs, attempt: 10_001 });
});
