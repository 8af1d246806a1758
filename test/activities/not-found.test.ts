import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { createPool, type Pool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import { createRecordActivities } from '../../src/activities/record-activities.js';
import { createRouteActivities } from '../../src/activities/route-activities.js';
import { createRelayActivities } from '../../src/activities/relay-activities.js';
import { failureTypes } from '../../src/workflows/failure-types.js';
import { createTestDatabase } from '../helpers/database.js';

// A message that is gone cannot come back: every activity that needs it fails non-retryable with the shared type, so
// the workflow learns it at once instead of retrying forever. A relay that is not registered is refused the same way.
let pool: Pool;
before(async () => {
  pool = createPool(await createTestDatabase('notfound'));
  await migrate(pool);
});
after(async () => {
  await pool?.end();
});

const deps = () => ({
  pool,
  temporal: undefined as unknown as Client,
  relaySecret: () => 'unused',
  log: createLogger({ test: true }),
});

async function failureOf(run: () => Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof ApplicationFailure, `an ApplicationFailure, got ${String(err)}`);
    return err;
  }
  assert.fail('the activity succeeded');
}

test('recordMessage and routeRecipients: a missing message is MessageNotFound, non-retryable', async () => {
  for (const run of [
    () => createRecordActivities(deps()).recordMessage('no-such-message'),
    () => createRouteActivities(deps()).routeRecipients('no-such-message', ['a@dest.test'], []),
  ]) {
    const f = await failureOf(run);
    assert.equal(f.type, failureTypes.messageNotFound);
    assert.equal(f.nonRetryable, true);
  }
});

test('checkRelayStatus: an unregistered relay is RelayRefused, non-retryable', async () => {
  const relay = createRelayActivities(deps());
  try {
    const f = await failureOf(() => relay.checkRelayStatus('no-such-message', 'relay-x'));
    assert.equal(f.type, failureTypes.relayRefused);
    assert.equal(f.nonRetryable, true);
  } finally {
    relay.closeTransports();
  }
});

test('the failure type names stay what old workflow histories recorded', () => {
  assert.deepEqual(failureTypes, {
    messageNotFound: 'MessageNotFound',
    relayRefused: 'RelayRefused',
    rawPurged: 'RawPurged',
  });
});
