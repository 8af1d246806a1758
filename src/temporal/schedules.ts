import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { pollRelaysWorkflow } from '../workflows/poll-relays.js';
import type { scanReputationWorkflow } from '../workflows/scan-reputation.js';
import { pollScheduleId } from '../workflows/definitions.js';

/**
 * The relay poll is a Temporal Schedule (not a cron workflow): visible and pausable in the UI, one run at a time
 * (overlap skipped). Creating it again updates the interval, so a config change takes effect on restart.
 */
export async function ensurePollSchedule(client: Client, taskQueue: string, intervalMs: number): Promise<void> {
  const spec = { intervals: [{ every: intervalMs }] };
  try {
    await client.schedule.create<typeof pollRelaysWorkflow>({
      scheduleId: pollScheduleId(taskQueue),
      spec,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: intervalMs },
      action: {
        type: 'startWorkflow',
        workflowType: 'pollRelaysWorkflow',
        taskQueue,
        args: [],
        workflowExecutionTimeout: '1h',
      },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(pollScheduleId(taskQueue)).update((prev) => ({
      ...prev,
      spec,
      action: {
        type: 'startWorkflow',
        workflowType: 'pollRelaysWorkflow',
        taskQueue,
        args: [],
        workflowExecutionTimeout: '1h',
      },
    }));
  }
}

/** The reputation scan's Schedule, one per task queue like the poll, so deployments sharing a namespace do not collide. */
export const reputationScheduleId = (taskQueue: string): string =>
  taskQueue === 'smtp-relay' ? 'scan-reputation' : `scan-reputation-${taskQueue}`;

/**
 * The `scan-reputation` Schedule: every REPUTATION_SCAN_INTERVAL, one scan at a time (overlap skipped: a
 * slow scan is never stacked). Creating it again updates the interval.
 */
export async function ensureReputationSchedule(client: Client, taskQueue: string, intervalMs: number): Promise<void> {
  const spec = { intervals: [{ every: intervalMs }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'scanReputationWorkflow',
    taskQueue,
    args: [] as [],
    workflowExecutionTimeout: '1h',
  };
  try {
    await client.schedule.create<typeof scanReputationWorkflow>({
      scheduleId: reputationScheduleId(taskQueue),
      spec,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: intervalMs },
      action,
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(reputationScheduleId(taskQueue)).update((prev) => ({
      ...prev,
      spec,
      action,
      policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
  }
}
