import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker } from '@temporalio/worker';
import { alertDue, type AlertLog } from '../../src/domain/reputation/alerts.js';
import type { AlertsSent, ReputationActivities, ScanDecisions } from '../../src/activities/reputation-types.js';
import { ensureReputationSchedule, reputationScheduleId } from '../../src/temporal/schedules.js';
import { workflowBundle } from '../../src/temporal/worker.js';
import type { ScanSummary } from '../../src/workflows/scan-reputation.js';
import { startTimeSkippingEnv } from '../helpers/time-skipping.js';
import { waitFor } from '../helpers/wait-for.js';

// The scan workflow's timing: reminders at most every ALERT_REMIND_INTERVAL, judged on the workflow's own clock
// (Temporal's time-skipping server makes six hours pass at once), and the Schedule's cadence and overlap skip (on the
// run's Temporal dev server: the time-skipping server has no Schedules). Activities are fakes of the real contract.

const HOUR = 3600_000;
const REMIND_MS = 6 * HOUR;
const noDecisions: ScanDecisions = { opened: [], resolved: [], ipChanges: [], warnings: [] };

/** One open incident; alerts decided by the real rule (alertDue) at the time the workflow passes. */
function fakeActivities(
  o: { gate?: () => Promise<void>; onScan?: (delta: 1 | -1) => void } = {},
): ReputationActivities & { sent: Array<{ kind: string; at: number }>; resolve(): void } {
  const log: AlertLog = { openedSent: false, lastSentAt: null, reminders: 0, resolvedSent: false };
  let resolvedAt: Date | null = null;
  const sent: Array<{ kind: string; at: number }> = [];
  return {
    sent,
    resolve: () => {
      resolvedAt = new Date();
    },
    async listScanTargets() {
      o.onScan?.(1);
      return {
        ips: ['192.0.2.1'],
        domains: ['example.test'],
        ipZones: ['zen.spamhaus.org'],
        domainZones: ['dbl.spamhaus.org'],
      };
    },
    async lookupBlocklist(b) {
      await o.gate?.();
      return {
        ...b,
        results: b.subjects.map((subject) => ({
          subject,
          queryName: `q.${b.zone}`,
          outcome: { kind: 'nxdomain' as const },
          verdict: { status: 'clean' as const },
        })),
      };
    },
    async measureOwnSignals() {
      return [];
    },
    async applyScanResults() {
      return noDecisions;
    },
    async sendReputationAlerts({ nowMs }): Promise<AlertsSent> {
      o.onScan?.(-1);
      const due = alertDue({ resolvedAt }, log, nowMs, REMIND_MS);
      if (!due) return { sent: [] };
      sent.push({ kind: due.kind, at: nowMs });
      if (due.kind === 'opened') log.openedSent = true;
      if (due.kind === 'reminder') log.reminders = due.seq;
      if (due.kind === 'resolved') log.resolvedSent = true;
      log.lastSentAt = new Date(nowMs);
      return { sent: [{ incidentId: 'inc_1', kind: due.kind, messageId: `m${sent.length}` }] };
    },
  };
}

let env: TestWorkflowEnvironment;
before(async () => {
  env = await startTimeSkippingEnv();
});
after(() => env?.teardown());

test('reminders come at most every ALERT_REMIND_INTERVAL on the workflow clock; one resolved email, then silence', async () => {
  const acts = fakeActivities();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'scan-ts',
    workflowBundle: await workflowBundle(),
    activities: acts,
  });
  let n = 0;
  // A plain client: waiting for a result must not let the server skip time on its own; only env.sleep moves the clock.
  const client = new Client({ connection: env.connection });
  const scanAt = async (): Promise<ScanSummary> =>
    client.workflow.execute('scanReputationWorkflow', { taskQueue: 'scan-ts', workflowId: `scan-${++n}` });
  await worker.runUntil(async () => {
    const t0 = (await scanAt(), acts.sent[0]!.at);
    assert.deepEqual(
      acts.sent.map((s) => s.kind),
      ['opened'],
    );
    await env.sleep(2 * HOUR);
    assert.equal((await scanAt()).alerts, 0, 'two hours later: no reminder yet');
    await env.sleep(4 * HOUR);
    assert.equal((await scanAt()).alerts, 1, 'six hours after the alert: one reminder');
    assert.equal((await scanAt()).alerts, 0, 'the next scan right after: nothing');
    await env.sleep(REMIND_MS);
    await scanAt();
    assert.deepEqual(
      acts.sent.map((s) => s.kind),
      ['opened', 'reminder', 'reminder'],
    );
    const gaps = acts.sent.slice(1).map((s, i) => s.at - acts.sent[i]!.at);
    assert.ok(
      gaps.every((g) => g >= REMIND_MS),
      `gaps ${gaps.join(', ')}`,
    );
    assert.ok(acts.sent[1]!.at - t0 >= REMIND_MS);
    acts.resolve();
    assert.equal((await scanAt()).alerts, 1);
    await env.sleep(REMIND_MS);
    assert.equal((await scanAt()).alerts, 0, 'a resolved incident sends nothing more');
    assert.deepEqual(
      acts.sent.map((s) => s.kind),
      ['opened', 'reminder', 'reminder', 'resolved'],
    );
  });
});

test('the scan-reputation Schedule fires at its interval and skips a run while the previous scan is still going', async () => {
  const address = process.env.TEMPORAL_ADDRESS as string;
  const taskQueue = `scan-sched-${crypto.randomBytes(4).toString('hex')}`;
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let running = 0;
  let maxRunning = 0;
  const acts = fakeActivities({
    gate: () => gate,
    onScan: (d) => {
      running += d;
      maxRunning = Math.max(maxRunning, running);
    },
  });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: acts,
  });
  const handle = client.schedule.getHandle(reputationScheduleId(taskQueue));
  try {
    await worker.runUntil(async () => {
      await ensureReputationSchedule(client, taskQueue, 1000);
      // The first scan hangs in its lookups: later firings are skipped, never stacked.
      const stuck = await waitFor(
        async () => {
          const d = await handle.describe();
          return d.info.runningActions.length === 1 && d.info.numActionsSkippedOverlap >= 2 && d;
        },
        { timeoutMs: 30_000, what: 'a running scan and skipped firings' },
      );
      assert.equal(stuck.policies.overlap, 'SKIP');
      // Cadence: the planned firings are exactly one interval apart.
      const next = stuck.info.nextActionTimes.map((t) => t.getTime());
      assert.ok(next.length >= 2);
      assert.ok(
        next.slice(1).every((t, i) => t - next[i]! === 1000),
        `next action times ${next.join(', ')}`,
      );
      release();
      const d = await waitFor(
        async () => {
          const x = await handle.describe();
          return x.info.recentActions.length >= 2 && x;
        },
        { timeoutMs: 30_000, what: 'a second scan after the first finished' },
      );
      const times = d.info.recentActions.map((a) => a.scheduledAt.getTime());
      assert.ok(
        times.slice(1).every((t, i) => (t - times[i]!) % 1000 === 0 && t > times[i]!),
        `scheduled at ${times.join(', ')}`,
      );
      await handle.pause('test over');
      await waitFor(async () => (await handle.describe()).info.runningActions.length === 0, {
        timeoutMs: 30_000,
        what: 'the last scan finished',
      });
    });
    assert.equal(maxRunning, 1, 'never two scans at once');
    // Re-creating the Schedule (a restart with a new interval) updates it in place.
    await ensureReputationSchedule(client, taskQueue, 5000);
    assert.equal((await handle.describe()).spec.intervals?.[0]?.every, 5000);
  } finally {
    await handle.delete().catch(() => undefined);
    await connection.close();
  }
});
