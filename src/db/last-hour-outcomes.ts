// The last hour's outcomes per sending IP or per relay, as the central tables record them: final statuses from
// recipients (by updated_at), deferrals from message_events (every deferral report counts, found by data.<key>).

export interface OutcomeCounts {
  delivered: number;
  deferred: number;
  bounced: number;
  failed: number;
}

const grouping = {
  sourceIp: { column: 'source_ip', eventKey: 'sourceIp' },
  relay: { column: 'relay_id', eventKey: 'relayId' },
} as const;

/** A subquery with columns (key, delivered, deferred, bounced, failed), one row per IP or relay. */
export function lastHourOutcomesSql(by: keyof typeof grouping): string {
  const { column, eventKey } = grouping[by];
  return `
  SELECT key, sum(delivered)::int AS delivered, sum(deferred)::int AS deferred, sum(bounced)::int AS bounced, sum(failed)::int AS failed FROM (
    SELECT ${column} AS key, count(*) FILTER (WHERE status = 'delivered') AS delivered, 0 AS deferred,
           count(*) FILTER (WHERE status = 'bounced') AS bounced, count(*) FILTER (WHERE status = 'failed') AS failed
      FROM recipients WHERE ${column} IS NOT NULL AND updated_at > now() - interval '1 hour' GROUP BY ${column}
    UNION ALL
    SELECT data->>'${eventKey}', 0, count(*), 0, 0
      FROM message_events WHERE type = 'deferred' AND data->>'${eventKey}' IS NOT NULL AND at > now() - interval '1 hour' GROUP BY data->>'${eventKey}'
  ) t GROUP BY key`;
}

export const countsOf = (r: Record<string, unknown>): OutcomeCounts => ({
  delivered: Number(r.delivered ?? 0),
  deferred: Number(r.deferred ?? 0),
  bounced: Number(r.bounced ?? 0),
  failed: Number(r.failed ?? 0),
});
