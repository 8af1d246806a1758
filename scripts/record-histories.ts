// Records real event histories of deliverMessageWorkflow into test/workflows/histories/<scenario>.json, for the replay
// test (test/workflows/replay-histories.test.ts). Each scenario runs over the real stack: embedded PostgreSQL, the
// Temporal dev server, ingress + worker + api in this process, in-process relays and a destination sink that answers
// from a script. Re-record only on purpose (a fixture is the proof that old histories still replay): a workflow change
// that breaks replay of an existing fixture must go behind a new revision or patched(), not replace the fixture.
//
//   npx tsx scripts/record-histories.ts                 # every scenario
//   npx tsx scripts/record-histories.ts bounced ...     # only these
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/infra/embedded-postgres.js';
import { startTemporalDevServer } from '../src/infra/temporal-dev-server.js';
import { freePort } from '../src/infra/free-port.js';
import { createLogger } from '../src/log.js';
import { historyToJSON } from '../test/workflows/history-json.js';

const outDir = path.resolve('test/workflows/histories');
const workDir = path.resolve('.test-data', `record-${process.pid}`);
fs.mkdirSync(workDir, { recursive: true });
fs.mkdirSync(outDir, { recursive: true });

const log = createLogger({ component: 'record-histories' });
const pg = await startEmbeddedPostgres(path.join(workDir, 'pg'), await freePort(), log);
const temporal = await startTemporalDevServer({ port: await freePort(), log });
// The test helpers read these, as under scripts/run-tests.ts.
process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
process.env.TEMPORAL_ADDRESS = temporal.address;
process.env.TEST_WORK_DIR = workDir;

// Imported after the environment is set: the helpers are the ones the end-to-end tests use.
const { createAccount, startStack } = await import('../test/helpers/stack.js');
const { startDestinationSink } = await import('../test/helpers/destination-sink.js');
const { startRelays, startTestRelay } = await import('../test/helpers/relays.js');
const { finishedMessage, submitMail } = await import('../test/helpers/submit.js');
const { waitFor } = await import('../test/helpers/wait-for.js');
const { registerRelayNetwork } = await import('../src/runtime/bootstrap.js');

type Stack = Awaited<ReturnType<typeof startStack>>;
type Account = Awaited<ReturnType<typeof createAccount>>;
interface Scenario {
  name: string;
  run(stack: Stack, acct: Account, relayTransport: string): Promise<string>;
}

const send = (stack: Stack, acct: Account, to: string, subject: string): Promise<string> =>
  submitMail(stack, acct, { from: 'billing@example.com', to, subject, text: 'Recorded for the replay test.' });

/** Waits until the message is final and its workflow completed; returns the message id. */
async function finished(stack: Stack, acct: Account, id: string): Promise<string> {
  await waitFor(finishedMessage(stack, acct, id), { timeoutMs: 90_000, what: `message ${id} finished` });
  await stack.temporal.workflow.getHandle(`msg-${id}`).result();
  return id;
}

const hasEvent = (stack: Stack, id: string, type: string) => async (): Promise<boolean | undefined> => {
  const { rows } = await stack.pool.query('SELECT 1 FROM message_events WHERE message_id = $1 AND type = $2 LIMIT 1', [
    id,
    type,
  ]);
  return rows.length > 0 || undefined;
};

/** The pool has no IP when the message is routed: its recipient waits (deferred), then a relay comes. */
const waitingThenRelayComes: Scenario['run'] = async (s, a, transport) => {
  const id = await send(s, a, 'waiter@dest.test', 'Waiting');
  await waitFor(hasEvent(s, id, 'waiting'), { timeoutMs: 60_000, what: 'waiting event' });
  relays.push(...(await startRelays(s, { count: 1, transport })));
  return finished(s, a, id);
};

const scenarios: Scenario[] = [
  { name: 'delivered', run: async (s, a) => finished(s, a, await send(s, a, 'alice@dest.test', 'Delivered')) },
  {
    // The same with the handoff as a local activity (patch local-handoff): no activity task, one workflow task less.
    name: 'delivered-local-handoff',
    run: async (s, a) => finished(s, a, await send(s, a, 'alice@dest.test', 'Delivered')),
  },
  {
    // Revision 2 (DeliverMessageInput.revision): policy, record and route in one local activity, no patch markers.
    name: 'delivered-revision-2',
    run: async (s, a) => finished(s, a, await send(s, a, 'alice@dest.test', 'Delivered')),
  },
  { name: 'bounced', run: async (s, a) => finished(s, a, await send(s, a, 'unknown@dest.test', 'Bounced')) },
  {
    name: 'deferred-then-delivered',
    run: async (s, a) => finished(s, a, await send(s, a, 'flaky@dest.test', 'Deferred')),
  },
  {
    // The wait before the bounded wait (a waiting row and an alert each round).
    name: 'pool-waiting-then-delivered',
    run: waitingThenRelayComes,
  },
  {
    // The same with the bounded wait (patch bounded-pool-wait): one waiting row and alert for the episode.
    name: 'pool-waiting-bounded-then-delivered',
    run: waitingThenRelayComes,
  },
  {
    // The bounded wait in revision 2.
    name: 'pool-waiting-revision-2-then-delivered',
    run: waitingThenRelayComes,
  },
  {
    // Two relays; the one holding the part loses it (restarted on an empty queue while its retry is minutes away):
    // the status check finds the message unknown there, and the part is re-routed to the other relay, which delivers.
    name: 're-routed',
    run: async (s, a, transport) => {
      const id = await send(s, a, 'lost@dest.test', 'Re-routed');
      await waitFor(
        async () =>
          (await s.pool.query("SELECT 1 FROM recipients WHERE message_id = $1 AND status = 'deferred'", [id])).rows
            .length > 0 || undefined,
        { timeoutMs: 60_000, what: 'deferral reported by the first relay' },
      );
      const { rows } = await s.pool.query<{ relay: string }>(
        "SELECT data->>'relayId' AS relay FROM message_events WHERE message_id = $1 AND type = 'routed' ORDER BY id LIMIT 1",
        [id],
      );
      const holder = relays.find((r) => r.id === rows[0]?.relay);
      if (!holder) throw new Error(`no running relay ${rows[0]?.relay} holds message ${id}`);
      await holder.close();
      relays.splice(relays.indexOf(holder), 1);
      const sourceIp = `127.0.0.${Number(holder.id.split('-')[1]) + 1}`;
      const fresh = await startTestRelay(s, holder.id, sourceIp, {
        transport,
        retryScheduleMs: [600_000],
        maxLifetimeMs: 3_600_000,
      });
      relays.push(fresh);
      await waitFor(hasEvent(s, id, 'rerouted'), { timeoutMs: 90_000, what: 'rerouted event' });
      return finished(s, a, id);
    },
  },
];

const wanted = process.argv.slice(2);
const unknownNames = wanted.filter((n) => !scenarios.some((s) => s.name === n));
if (unknownNames.length > 0)
  throw new Error(`unknown scenario(s): ${unknownNames.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);

const relays: Array<{ id: string; close(): Promise<void> }> = [];
const sink = await startDestinationSink({
  script: (rcpt, attempt) => {
    if (rcpt.startsWith('unknown@'))
      return { code: 550, message: '5.1.1 <unknown@dest.test>: Recipient address rejected: User unknown' };
    if (rcpt.startsWith('flaky@') && attempt === 1) return { code: 451, message: '4.3.0 Try again later' };
    if (rcpt.startsWith('lost@') && attempt === 1) return { code: 451, message: '4.3.0 Try again later' };
    return undefined;
  },
});
const transport = `*=127.0.0.1:${sink.port}`;
try {
  for (const scenario of scenarios.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    // A stack per scenario: its own database and task queue, so each history is alone and starts from a clean state.
    const stack = await startStack();
    try {
      const acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
      if (scenario.name.startsWith('pool-waiting-')) await registerRelayNetwork(stack.pool, []);
      else if (scenario.name === 're-routed')
        relays.push(
          ...(await startRelays(stack, { count: 2, transport, retryScheduleMs: [600_000], maxLifetimeMs: 3_600_000 })),
        );
      else relays.push(...(await startRelays(stack, { count: 1, transport })));
      const id = await scenario.run(stack, acct, transport);
      const history = await stack.temporal.workflow.getHandle(`msg-${id}`).fetchHistory();
      const file = path.join(outDir, `${scenario.name}.json`);
      fs.writeFileSync(file, JSON.stringify(historyToJSON(history), null, 1) + '\n');
      log.info('history.recorded', { scenario: scenario.name, file, events: history.events?.length ?? 0 });
      console.log(`${scenario.name}: ${history.events?.length ?? 0} events → ${path.relative(process.cwd(), file)}`);
    } finally {
      await stack.close();
      for (const r of relays.splice(0)) await r.close();
    }
  }
} finally {
  await sink.close();
  await temporal.stop();
  await pg.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
}
