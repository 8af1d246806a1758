import type pg from 'pg';
import type { Logger } from '../log.js';

// The relay's own retention: it is an independent MTA, so it purges its own queue database on its own timer rather
// than waiting to be told. Only the body goes; the message and recipient rows and the event log stay.

/** Rows per statement: bounded, so a large backlog never holds a long lock or one huge transaction. */
const BATCH = 1000;

/**
 * Drops the body of at most `limit` messages received before `before` whose every recipient is final (delivered,
 * bounced or failed): a message still queued, deferred or being delivered keeps its body whatever its age. Rows
 * locked by the delivery loop are skipped and taken next time. Returns how many were purged.
 */
export async function purgeRelayBodies(pool: pg.Pool, before: Date, limit = BATCH): Promise<number> {
  const res = await pool.query(
    `WITH due AS (
       SELECT m.id FROM relay_messages m
        WHERE m.body_purged_at IS NULL AND m.received_at < $1
          AND NOT EXISTS (SELECT 1 FROM relay_recipients r
                           WHERE r.message_id = m.id AND r.status IN ('queued', 'delivering', 'deferred'))
        ORDER BY m.received_at
        LIMIT $2
        FOR UPDATE OF m SKIP LOCKED)
     UPDATE relay_messages m SET body = NULL, body_purged_at = now() FROM due WHERE m.id = due.id`,
    [before, limit],
  );
  return res.rowCount ?? 0;
}

export interface RelayRetention {
  /** Runs one full purge now (batch after batch until none is left); resolves with how many bodies went. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Purges finished bodies older than `retentionMs` at start and then every `intervalMs`. One run at a time; a failed
 * run is logged and retried at the next tick.
 */
export function startRelayRetention(o: {
  pool: pg.Pool;
  retentionMs: number;
  intervalMs: number;
  log: Logger;
}): RelayRetention {
  let running: Promise<number> | undefined;
  let stopped = false;
  const runOnce = (): Promise<number> => {
    running ??= (async () => {
      // One cutoff per run, so a run's work is finite.
      const before = new Date(Date.now() - o.retentionMs);
      let total = 0;
      try {
        for (;;) {
          if (stopped) break;
          const n = await purgeRelayBodies(o.pool, before);
          total += n;
          if (n < BATCH) break;
        }
        if (total > 0) o.log.info('relay.retention_purged', { count: total });
      } catch (err) {
        o.log.warn('relay.retention_failed', { error: err });
      } finally {
        running = undefined;
      }
      return total;
    })();
    return running;
  };
  void runOnce();
  const timer = setInterval(() => void runOnce(), o.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
