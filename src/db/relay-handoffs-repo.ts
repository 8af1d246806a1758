import type { Queryable } from './pool.js';

// Which recipients of a message were given to which relay: the `routed` events the MDE writes before a handoff and the
// `relayed` events markHandedOff writes after it (each with the relay id and the recipients of the part) are the
// record, so a re-routed recipient counts for every relay that was given it, and nothing else has to be kept in step.
// The routing decision counts, not only the finished handoff: a relay delivers (and reports) a copy as soon as it has
// accepted it, which can be before the MDE has recorded that handoff, and that report must not be thrown away.

/** The recipients (lower-cased) of the message routed or handed to this relay so far. */
export async function recipientsGivenTo(db: Queryable, messageId: string, relayId: string): Promise<Set<string>> {
  const { rows } = await db.query(
    `SELECT DISTINCT lower(r.address) AS address
       FROM message_events e CROSS JOIN LATERAL jsonb_array_elements_text(e.data -> 'recipients') AS r(address)
      WHERE e.message_id = $1 AND e.type IN ('routed', 'relayed') AND e.data ->> 'relayId' = $2
        AND jsonb_typeof(e.data -> 'recipients') = 'array'`,
    [messageId, relayId],
  );
  return new Set(rows.map((r) => r.address as string));
}
