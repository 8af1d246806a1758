import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { pollRelaysWorkflow } from '../workflows/poll-relays.js';
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
      action: { type: 'startWorkflow', workflowType: 'pollRelaysWorkflow', taskQueue, args: [], workflowExecutionTimeout: '1h' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(pollScheduleId(taskQueue)).update((prev) => ({
      ...prev,
      spec,
      action: { type: 'startWorkflow', workflowType: 'pollRelaysWorkflow', taskQueue, args: [], workflowExecutionTimeout: '1h' },
    }));
  }
}
