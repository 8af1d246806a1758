import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { pollScheduleId } from '../workflows/definitions.js';
import type { PurgeRetentionInput, purgeRetentionWorkflow } from '../workflows/purge-retention.js';

/**
 * Creates the Schedule that starts `workflowType` (no arguments) every `intervalMs`, one run at a time (overlap
 * skipped); when it exists already, its interval and action are updated, so a config change takes effect on
 * restart. `reassertOverlap` also puts overlap back to skipped on that update.
 */
async function ensureSchedule(
  client: Client,
  s: { scheduleId: string; workflowType: string; taskQueue: string; intervalMs: number; reassertOverlap: boolean },
): Promise<void> {
  const spec = { intervals: [{ every: s.intervalMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: s.workflowType,
    taskQueue: s.taskQueue,
    args: [] as [],
    workflowExecutionTimeout: '1h',
  };
  try {
    await client.schedule.create({
      scheduleId: s.scheduleId,
      spec,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: s.intervalMs },
      action,
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(s.scheduleId).update((prev) => ({
      ...prev,
      spec,
      action,
      ...(s.reassertOverlap ? { policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP } } : {}),
    }));
  }
}

/**
 * The relay poll is a Temporal Schedule (not a cron workflow): visible and pausable in the UI, one run at a time
 * (overlap skipped). Creating it again updates the interval, so a config change takes effect on restart.
 */
export async function ensurePollSchedule(client: Client, taskQueue: string, intervalMs: number): Promise<void> {
  await ensureSchedule(client, {
    scheduleId: pollScheduleId(taskQueue),
    workflowType: 'pollRelaysWorkflow',
    taskQueue,
    intervalMs,
    reassertOverlap: false,
  });
}

/** The reputation scan's Schedule, one per task queue like the poll, so deployments sharing a namespace do not collide. */
export const reputationScheduleId = (taskQueue: string): string =>
  taskQueue === 'smtp-relay' ? 'scan-reputation' : `scan-reputation-${taskQueue}`;

/**
 * The `scan-reputation` Schedule: every REPUTATION_SCAN_INTERVAL, one scan at a time (overlap skipped: a
 * slow scan is never stacked). Creating it again updates the interval.
 */
export async function ensureReputationSchedule(client: Client, taskQueue: string, intervalMs: number): Promise<void> {
  await ensureSchedule(client, {
    scheduleId: reputationScheduleId(taskQueue),
    workflowType: 'scanReputationWorkflow',
    taskQueue,
    intervalMs,
    reassertOverlap: true,
  });
}

/** The sender domain check's Schedule id, one per task queue like the others. */
export const senderDomainScheduleId = (taskQueue: string): string =>
  taskQueue === 'smtp-relay' ? 'check-sender-domains' : `check-sender-domains-${taskQueue}`;

/**
 * The `check-sender-domains` Schedule: every SENDER_DOMAIN_CHECK_INTERVAL (daily), every sender domain's DNS records
 * are checked again (one run at a time, overlap skipped). Creating it again updates the interval.
 */
export async function ensureSenderDomainSchedule(client: Client, taskQueue: string, intervalMs: number): Promise<void> {
  await ensureSchedule(client, {
    scheduleId: senderDomainScheduleId(taskQueue),
    workflowType: 'checkSenderDomainsWorkflow',
    taskQueue,
    intervalMs,
    reassertOverlap: true,
  });
}

/** The retention Schedule's id, one per task queue like the others. */
export const retentionScheduleId = (taskQueue: string): string =>
  taskQueue === 'smtp-relay' ? 'purge-retention' : `purge-retention-${taskQueue}`;

/**
 * The `purge-retention` Schedule: every RETENTION_INTERVAL (daily by default), one purge at a time (overlap skipped).
 * The retention settings travel in the action's arguments, so creating it again on start applies changed settings.
 */
export async function ensureRetentionSchedule(
  client: Client,
  taskQueue: string,
  intervalMs: number,
  input: PurgeRetentionInput,
): Promise<void> {
  const spec = { intervals: [{ every: intervalMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'purgeRetentionWorkflow',
    taskQueue,
    args: [input] as [PurgeRetentionInput],
    workflowExecutionTimeout: '1d',
  };
  try {
    await client.schedule.create<typeof purgeRetentionWorkflow>({
      scheduleId: retentionScheduleId(taskQueue),
      spec,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: intervalMs },
      action,
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(retentionScheduleId(taskQueue)).update((prev) => ({
      ...prev,
      spec,
      action,
      policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
  }
}
