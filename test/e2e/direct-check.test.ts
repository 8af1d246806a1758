import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pollScheduleId } from '../../src/workflows/definitions.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import { finishedMessage, submitMail } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// The third way an outcome reaches the service: no push, no poll, only the workflow asking the relay directly when a
// status is overdue. A bounce learned that way is classified and suppresses the address, as by the other two paths.

let pipeline: Pipeline;
let stack: Stack;
let acct: TestAccount;

before(async () => {
  pipeline = await startPipeline({
    sink: {
      script: (rcpt) => (rcpt.startsWith('gone@') ? { code: 550, message: '5.1.1 No such user' } : undefined),
    },
    stack: { env: { RELAY_POLL_INTERVAL: '1h', STATUS_CHECK_INTERVAL: '1s', RELAY_PUSH: 'off' } },
    relays: { count: 1, push: false },
  });
  ({ stack } = pipeline);
  await stack.temporal.schedule.getHandle(pollScheduleId(stack.config.TEMPORAL_TASK_QUEUE)).pause('direct-check test');
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});

after(() => pipeline?.close());

test('a bounce learned by the direct status check is classified and suppresses the address', async () => {
  const id = await submitMail(stack, acct, {
    from: 'billing@example.com',
    to: ['gone@dest.test', 'here@dest.test'],
    subject: 'direct',
    text: 'hi',
  });
  const view = await waitFor(finishedMessage(stack, acct, id), {
    timeoutMs: 60_000,
    what: 'message final by direct check',
  });
  const polled = await stack.pool.query('SELECT id FROM relays WHERE last_poll_at IS NOT NULL');
  assert.deepEqual(polled.rows, [], 'nothing was learned by polling');
  const gone = view.recipients.find((r) => r.address === 'gone@dest.test');
  assert.equal(gone?.status, 'bounced');
  assert.deepEqual(gone?.bounce, { reason: 'userunknown', hard: true });
  assert.equal(view.recipients.find((r) => r.address === 'here@dest.test')?.status, 'delivered');
  const list = await stack.api<{ items: Array<{ address: string; reason: string }> }>(
    'GET',
    '/v1/suppressions',
    undefined,
    acct.apiKey,
  );
  assert.deepEqual(
    list.body.items.map((s) => [s.address, s.reason]),
    [['gone@dest.test', 'hard-bounce']],
  );
});
