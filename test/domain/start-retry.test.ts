import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDrainDelayMs, startRetryDelayMs } from '../../src/domain/start-retry.js';

test('a failed start is retried after 1 s, doubling up to a minute', () => {
  const table: Array<[number, number]> = [
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [6, 32_000],
    [7, 60_000],
    [1_000, 60_000],
    [0, 1_000],
  ];
  for (const [attempts, ms] of table) assert.equal(startRetryDelayMs(attempts), ms, `after attempt ${attempts}`);
});

test('the drain loop: at once after a full batch, the interval when done, a growing probe while Temporal refuses', () => {
  const interval = 5_000;
  const pass = { claimed: 0, batch: 100, started: 0, failed: 0, failuresInARow: 0 };
  const table: Array<[Partial<typeof pass>, number]> = [
    [{}, interval],
    [{ claimed: 100, started: 100 }, 0],
    [{ claimed: 40, started: 40 }, interval],
    [{ claimed: 100, started: 99, failed: 1 }, 0],
    [{ claimed: 100, failed: 1, failuresInARow: 1 }, 1_000],
    [{ claimed: 100, failed: 1, failuresInARow: 2 }, 2_000],
    [{ claimed: 100, failed: 1, failuresInARow: 3 }, 4_000],
    [{ claimed: 100, failed: 1, failuresInARow: 9 }, interval],
  ];
  for (const [p, ms] of table) assert.equal(nextDrainDelayMs({ ...pass, ...p }, interval), ms, JSON.stringify(p));
});
