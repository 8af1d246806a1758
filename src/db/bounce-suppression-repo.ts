import type { Queryable } from './pool.js';
import {
  DEFAULT_SUPPRESSION_POLICY,
  decideSuppression,
  suppressionEvidence,
  suppressionTier,
  type SuppressionDecision,
  type SuppressionPolicy,
} from '../domain/bounces/decide-suppression.js';
import type { StatusClass } from '../domain/bounces/smtp-codes.js';

// The SQL side of the bounce suppression decision (src/domain/bounces/decide-suppression.ts): records a final
// failure that only counts when repeated, counts the address's recent ones, and writes the suppression entry with
// the reason and the reply as evidence.

/** A final failure of one recipient, as classified (src/domain/bounces). */
export interface BounceFailure {
  reason: string;
  /** Class of the reply or enhanced status: '5' permanent, '4' temporary (a queue that gave up). */
  statusClass: StatusClass | null;
  /** The reply text the reason was read from. */
  diagnostic: string | null;
  /** Short text for people, e.g. "policyviolation 5.7.1". */
  detail: string;
}

let configuredPolicy: SuppressionPolicy = DEFAULT_SUPPRESSION_POLICY;

/**
 * Sets the policy of this process from its settings (SUPPRESS_REPEAT_COUNT, SUPPRESS_REPEAT_WINDOW), once at start:
 * every path that records a bounce (relay reports, direct checks, the bounce receiver) reaches the one writer of
 * recipient state, which has no settings of its own.
 */
export function setSuppressionPolicy(policy: SuppressionPolicy): void {
  configuredPolicy = policy;
}

/**
 * Applies the decision for one recipient of a message inside the caller's transaction. Returns the decision and
 * whether a suppression row was added (an address already listed keeps its first entry).
 */
export async function applyBounceSuppression(
  c: Queryable,
  messageId: string,
  address: string,
  failure: BounceFailure,
  policy: SuppressionPolicy = configuredPolicy,
): Promise<{ decision: SuppressionDecision; added: boolean }> {
  const addr = address.trim().toLowerCase();
  let recentFailures = 0;
  const about = { recipient: addr, diagnostic: failure.diagnostic };
  if (suppressionTier(failure.reason, failure.statusClass, about) === 'repeat') {
    // Drop this address's failures older than the window, record this one (once per message), count the rest.
    const { rows } = await c.query(
      `WITH acct AS (SELECT account_id FROM messages WHERE id = $1),
            old AS (DELETE FROM bounce_failures b USING acct
                     WHERE b.account_id = acct.account_id AND b.address = $2
                       AND b.at < now() - make_interval(secs => $4::float8 / 1000)),
            ins AS (INSERT INTO bounce_failures (account_id, address, message_id, reason)
                    SELECT account_id, $2, $1, $3 FROM acct
                    ON CONFLICT DO NOTHING RETURNING 1)
       -- the statement sees the table as it was before the insert: earlier rows in the window, plus this one if new
       SELECT (SELECT count(*) FROM ins)::int
            + (SELECT count(*) FROM bounce_failures b, acct
                WHERE b.account_id = acct.account_id AND b.address = $2
                  AND b.at >= now() - make_interval(secs => $4::float8 / 1000))::int AS n`,
      [messageId, addr, failure.reason, policy.repeatWindowMs],
    );
    recentFailures = Number(rows[0]?.n ?? 0);
  }
  const decision = decideSuppression(
    { reason: failure.reason, statusClass: failure.statusClass, recentFailures, about },
    policy,
  );
  if (!decision.suppress) return { decision, added: false };
  const r = await c.query(
    `INSERT INTO suppressions (account_id, address, reason, source_message_id, detail, bounce_reason, evidence)
     SELECT account_id, $2, 'hard-bounce', id, $3, $4, $5 FROM messages WHERE id = $1
     ON CONFLICT (account_id, address) DO NOTHING`,
    [
      messageId,
      addr,
      `${failure.detail} (${decision.rule === 'repeated' ? decision.detail : 'first bounce'})`,
      failure.reason,
      suppressionEvidence(failure.diagnostic),
    ],
  );
  return { decision, added: (r.rowCount ?? 0) > 0 };
}
