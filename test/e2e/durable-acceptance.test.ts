import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import type { Sink } from '../helpers/destination-sink.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { openSubmission } from '../helpers/smtp-chat.js';
import { waitFor } from '../helpers/wait-for.js';
import { deliveredCopies, submitBatch } from '../helpers/submit.js';
import { startTemporalDevServer, type TemporalDevServer } from '../../src/infra/temporal-dev-server.js';
import { freePort } from '../../src/infra/free-port.js';
import { createLogger } from '../../src/log.js';
import { startBacklogSize } from '../../src/db/start-outbox-repo.js';
import { serviceMetrics } from '../../src/infra/metrics.js';

// Durable acceptance: the 250 follows the commit of the message and its start request, not the workflow start. This
// file runs its own Temporal dev server (SQLite file, fixed port) so it can stop it and start it again without
// touching the server the other test files share.
const BACKLOG_LIMIT = 50;
let temporal: TemporalDevServer;
let temporalPort: number;
let temporalDb: string;
let pipeline: Pipeline;
let stack: Stack;
let sink: Sink;
let acct: TestAccount;

const startTemporal = (): Promise<TemporalDevServer> =>
  startTemporalDevServer({ port: temporalPort, dbFile: temporalDb, log: createLogger({ test: true }) });

before(async () => {
  temporalPort = await freePort();
  temporalDb = path.join(
    fs.mkdtempSync(path.join(process.env.TEST_WORK_DIR ?? '/tmp', 'temporal-durable-')),
    'temporal.db',
  );
  temporal = await startTemporal();
  pipeline = await startPipeline({
    stack: {
      env: {
        TEMPORAL_ADDRESS: temporal.address,
        START_BACKLOG_LIMIT: String(BACKLOG_LIMIT),
        START_DRAIN_INTERVAL: '1s',
      },
    },
  });
  ({ stack, sink } = pipeline);
  acct = await createAccount(stack, { domain: '', cidr: '127.0.0.0/8' });
  // Vouched for by the admin: this file is about acceptance, not about DNS verification of the sender domain.
  const domain = await stack.api('POST', `/v1/accounts/${acct.accountId}/sender-domains`, {
    domain: 'example.com',
    verified: 'manual',
  });
  assert.ok(domain.status === 201 || domain.status === 200, JSON.stringify(domain.body));
});
after(async () => {
  await pipeline?.close();
  await temporal?.stop();
  fs.rmSync(path.dirname(temporalDb), { recursive: true, force: true });
});

async function allCompleted(ids: string[]): Promise<boolean> {
  const { rows } = await stack.pool.query(
    `SELECT count(*)::int AS n FROM message_events WHERE type = 'completed' AND message_id = ANY($1)`,
    [ids],
  );
  return rows[0].n === ids.length;
}

const storedMessages = async (): Promise<number> =>
  (await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM messages')).rows[0]!.n;

/** Workflow starts this process made, by path and whether the start was eager (see src/infra/metrics.ts). */
async function starts(): Promise<Record<string, number>> {
  const metric = await serviceMetrics().workflowStarts.get();
  return Object.fromEntries(metric.values.map((v) => [`${v.labels.path}/${v.labels.eager}`, v.value]));
}

test('with Temporal up, an accepted message is started at once, eagerly, and its start request removed', async () => {
  const before = await starts();
  const [id] = await submitBatch(stack, acct, 1, 'up');
  await waitFor(() => allCompleted([id!]), { timeoutMs: 60_000, what: 'message completed' });
  assert.deepEqual([...deliveredCopies(sink, 'up').values()], [1]);
  await waitFor(async () => (await startBacklogSize(stack.pool)) === 0, { what: 'start outbox empty' });
  // The `completed` event is written by the workflow's last activity; the workflow itself closes just after it.
  const handle = stack.temporal.workflow.getHandle(`msg-${id}`);
  await waitFor(async () => (await handle.describe()).status.name === 'COMPLETED' || undefined, {
    what: 'workflow closed as COMPLETED',
  });
  // The worker runs in this process: the start asked for, and got, the first workflow task in its reply.
  const after = await starts();
  assert.equal((after['immediate/true'] ?? 0) - (before['immediate/true'] ?? 0), 1, JSON.stringify(after));
});

test('Temporal down: 50 submissions get 250, the 51st 451 4.3.2; after restart all 50 arrive exactly once', async () => {
  await temporal.stop();
  const startsBefore = await starts();

  const ids = await submitBatch(stack, acct, BACKLOG_LIMIT, 'down');
  assert.equal(new Set(ids).size, BACKLOG_LIMIT);
  // Every 250 came after the commit of the message with its start request: all of them are in the outbox.
  const { rows } = await stack.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM workflow_start_outbox o JOIN messages m ON m.id = o.message_id
      WHERE o.message_id = ANY($1)`,
    [ids],
  );
  assert.equal(rows[0]!.n, BACKLOG_LIMIT);

  // The backlog is at its limit: the next message is refused with 451 4.3.2 and nothing of it is stored.
  const before = await storedMessages();
  const chat = await openSubmission(stack.submissionPort, acct.username, acct.password);
  assert.match(await chat.send('MAIL FROM:<billing@example.com>'), /^250 /);
  assert.match(await chat.send('RCPT TO:<over@dest.test>'), /^250 /);
  assert.match(await chat.send('DATA'), /^354 /);
  const refused = await chat.send(
    'From: billing@example.com\r\nTo: over@dest.test\r\nSubject: over\r\nMessage-ID: <over-1@example.com>\r\n\r\nhi\r\n.',
  );
  assert.match(refused, /^451 4\.3\.2 /);
  chat.close();
  assert.equal(await storedMessages(), before);
  assert.equal(await startBacklogSize(stack.pool), BACKLOG_LIMIT);

  // The outage lasts until every start tried so far has failed (START_TIMEOUT_MS), so what follows is the drain
  // loop's work (a shorter outage is bridged by the immediate starts' own retries within their deadline).
  await waitFor(
    async () =>
      (
        await stack.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM workflow_start_outbox WHERE last_error IS NOT NULL AND message_id = ANY($1)',
          [ids],
        )
      ).rows[0]!.n === BACKLOG_LIMIT,
    { timeoutMs: 60_000, what: 'a failed start recorded for every waiting message' },
  );
  temporal = await startTemporal();
  await waitFor(() => allCompleted(ids), { timeoutMs: 240_000, what: 'all 50 messages completed after restart' });
  const copies = deliveredCopies(sink, 'down');
  assert.equal(copies.size, BACKLOG_LIMIT, 'every message arrived');
  assert.ok(
    [...copies.values()].every((n) => n === 1),
    `no duplicates: ${JSON.stringify([...copies])}`,
  );
  assert.equal(deliveredCopies(sink, 'over').size, 0);
  // Every one of them was started by the drain loop, once.
  const startsAfter = await starts();
  const started = (k: Record<string, number>, path: string): number =>
    (k[`${path}/true`] ?? 0) +
    (k[`${path}/false`] ?? 0) -
    (startsBefore[`${path}/true`] ?? 0) -
    (startsBefore[`${path}/false`] ?? 0);
  assert.equal(started(startsAfter, 'drain'), BACKLOG_LIMIT, JSON.stringify(startsAfter));
  assert.equal(started(startsAfter, 'immediate'), 0, JSON.stringify(startsAfter));
  await waitFor(async () => (await startBacklogSize(stack.pool)) === 0, { what: 'start outbox empty' });
  const { rows: statuses } = await stack.pool.query(
    `SELECT DISTINCT status FROM recipients WHERE message_id = ANY($1)`,
    [ids],
  );
  assert.deepEqual(
    statuses.map((r) => r.status),
    ['delivered'],
  );
});
