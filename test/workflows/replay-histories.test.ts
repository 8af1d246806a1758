import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../src/temporal/worker.js';
import { historyFromJSON } from './history-json.js';

// Histories recorded from real runs of the message workflow (scripts/record-histories.ts) replayed against today's
// workflow code: a change that would make a running workflow fail its replay (a new activity, timer or signal
// order) fails here. Such a change goes behind a new DeliverMessageInput.revision or patched(), and the old histories
// stay.
const dir = path.resolve('test/workflows/histories');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the recorded histories are there (delivered, bounced, deferred then delivered, pool waiting, re-routed, revision 2)', () => {
  for (const name of [
    'delivered.json',
    'delivered-revision-2.json',
    'pool-waiting-revision-2-then-delivered.json',
    'bounced.json',
    'deferred-then-delivered.json',
    'pool-waiting-then-delivered.json',
    're-routed.json',
  ])
    assert.ok(files.includes(name), `${name} in ${dir}`);
});

for (const file of files) {
  test(`replays ${file} without a determinism error`, async () => {
    const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
    assert.ok((history.events?.length ?? 0) > 10, 'a whole workflow run');
    // Throws DeterminismViolationError (or the workflow's own failure) when today's code does not match the history.
    await Worker.runReplayHistory(
      { workflowBundle: await workflowBundle() },
      history,
      `replay-${path.basename(file, '.json')}`,
    );
  });
}
