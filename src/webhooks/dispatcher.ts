import type pg from 'pg';
import type { Client } from '@temporalio/client';
import type { Logger } from '../log.js';
import { isPublicEventType } from '../domain/event-types.js';
import type { deliverWebhookWorkflow } from '../workflows/deliver-webhook.js';
import { webhookEventsSignal, webhookWorkflowId, type DeliverWebhookInput } from '../workflows/webhook-definitions.js';
import {
  listWebhookTargets,
  listenForOutbox,
  loadCursor,
  readOutbox,
  saveCursor,
  tryLeadDispatch,
  type OutboxCursor,
  type OutboxEvent,
  type WebhookTarget,
} from '../db/webhooks-repo.js';

// The webhook outbox reader, run by the worker role. One leader per database (a session advisory lock) reads
// message_events from its persisted (transaction, id) cursor, woken by LISTEN/NOTIFY (a trigger on insert) and by a
// periodic scan as fallback. Each (webhook, message) group of new events goes to its workflow by signalWithStart
// (workflow id derived from both), then the cursor is saved. A crash between the two re-sends the signal; the
// workflow ignores event ids it already has and the delivery activity skips events already delivered.
// A message writes several events within milliseconds, each with its NOTIFY: wakes are gathered for a moment so that
// one pass reads them all, and the leader keeps its cursor in memory (it alone writes it while it holds the lock), so
// a quiet pass costs one query instead of four or five per event.

export interface DispatcherOptions {
  pool: pg.Pool;
  temporal: Client;
  taskQueue: string;
  log: Logger;
  scanIntervalMs: number;
  workflow: Omit<DeliverWebhookInput, 'webhookId' | 'messageId' | 'pending' | 'handled'>;
  batchSize?: number;
}

export interface WebhookDispatcher {
  /** One pass if this process is the leader; returns how many (webhook, event) pairs were dispatched. */
  runOnce(): Promise<number>;
  close(): Promise<void>;
}

const CURSOR = 'webhooks';
/** How long a notification waits for the events written right after it before a pass reads them all. */
const GATHER_MS = 200;

/** Which webhooks want this event: same account, subscribed type, created before the event. */
export function targetsOf(event: OutboxEvent, targets: readonly WebhookTarget[]): WebhookTarget[] {
  if (!isPublicEventType(event.type)) return [];
  return targets.filter(
    (t) =>
      t.accountId === event.accountId && t.events.includes(event.type) && t.createdAt.getTime() <= event.at.getTime(),
  );
}

export async function startWebhookDispatcher(o: DispatcherOptions): Promise<WebhookDispatcher> {
  const batch = o.batchSize ?? 500;
  let listener: pg.PoolClient | undefined;
  let leader = false;
  let closed = false;
  let running: Promise<number> | undefined;
  let again = false;
  let gathering: NodeJS.Timeout | undefined;
  /** The saved cursor as this leader last read or wrote it; undefined when not leading. */
  let cursor: OutboxCursor | undefined;

  const release = (): void => {
    const c = listener;
    listener = undefined;
    leader = false;
    cursor = undefined;
    c?.release(true); // destroy: drops LISTEN and the advisory lock with the session
  };

  async function ensureLeader(): Promise<boolean> {
    if (leader && listener) return true;
    if (!listener) {
      const c = await o.pool.connect();
      c.on('error', () => {
        if (listener === c) release();
      });
      c.on('notification', () => {
        gathering ??= setTimeout(() => {
          gathering = undefined;
          void wake();
        }, GATHER_MS);
      });
      listener = c;
      await listenForOutbox(c);
    }
    leader = await tryLeadDispatch(listener);
    return leader;
  }

  async function pass(): Promise<number> {
    if (closed || !(await ensureLeader())) return 0;
    let dispatched = 0;
    let at = cursor ?? (await loadCursor(o.pool, CURSOR));
    if (leader) cursor = at;
    for (;;) {
      const events = await readOutbox(o.pool, at, batch);
      if (events.length === 0) break;
      const targets = await listWebhookTargets(o.pool);
      // Group by (webhook, message), keeping outbox order inside each group and between groups.
      const groups = new Map<string, { webhookId: string; messageId: string; eventIds: string[] }>();
      for (const e of events) {
        for (const t of targetsOf(e, targets)) {
          const key = webhookWorkflowId(t.id, e.messageId);
          const g = groups.get(key) ?? { webhookId: t.id, messageId: e.messageId, eventIds: [] };
          g.eventIds.push(e.id);
          groups.set(key, g);
        }
      }
      for (const [workflowId, g] of groups) {
        await o.temporal.workflow.signalWithStart<typeof deliverWebhookWorkflow, [{ eventIds: string[] }]>(
          'deliverWebhookWorkflow',
          {
            taskQueue: o.taskQueue,
            workflowId,
            args: [{ ...o.workflow, webhookId: g.webhookId, messageId: g.messageId }],
            signal: webhookEventsSignal,
            signalArgs: [{ eventIds: g.eventIds }],
          },
        );
        dispatched += g.eventIds.length;
      }
      const last = events[events.length - 1] as OutboxEvent;
      at = { tx: last.tx, id: last.id };
      await saveCursor(o.pool, CURSOR, at);
      if (leader) cursor = at;
      if (events.length < batch) break;
    }
    return dispatched;
  }

  /** Serialised passes: a wake during a pass runs one more pass after it. */
  function wake(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total = 0;
      do {
        again = false;
        try {
          total += await pass();
        } catch (err) {
          o.log.warn('webhook.dispatch_failed', { error: err });
          release();
        }
      } while (again && !closed);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const timer = setInterval(() => {
    void wake();
  }, o.scanIntervalMs);
  void wake();
  return {
    runOnce: wake,
    async close() {
      closed = true;
      clearInterval(timer);
      clearTimeout(gathering);
      await running?.catch(() => undefined);
      release();
    },
  };
}
