import type pg from 'pg';
import type { Client } from '@temporalio/client';
import { appendEvent, insertAcceptedMessage, type AcceptedMessage } from '../db/messages-repo.js';
import { inTransaction } from '../db/pool.js';
import { countAcceptance } from '../db/account-standing-repo.js';
import { insertStartRequest } from '../db/start-outbox-repo.js';
import { queuedReply, smtpReplies, type SmtpReply } from '../domain/smtp-reply.js';
import type { DeliverMessageInput } from '../workflows/definitions.js';
import type { Logger } from '../log.js';
import { START_LEASE_MS, startFromOutbox, type WorkflowStarter } from './workflow-starter.js';

export { startMessageWorkflow, workflowDetails, workflowSummary } from './workflow-starter.js';

export interface AcceptorDeps {
  pool: pg.Pool;
  temporal: Client;
  taskQueue: string;
  workflowInput: Omit<DeliverMessageInput, 'messageId'>;
  log: Logger;
  /**
   * The ingress role's starter (workflow-starter.ts): starts the workflow right after the commit and drains what is
   * left. Without one (a caller outside the ingress role) the start is tried once after the commit, awaited, and a
   * failed one is left to the drain loops of the ingress processes.
   */
  starter?: WorkflowStarter;
  /**
   * START_BACKLOG_LIMIT: with this many start requests waiting, a new message is refused with 451 4.3.2 and nothing
   * is stored. Undefined: no limit (the service's own alert mail, which must not be refused because of an outage).
   */
  startBacklogLimit?: number;
  /** How long one workflow start may take before it counts as failed (default START_TIMEOUT_MS). */
  startTimeoutMs?: number;
}

class Refused extends Error {
  constructor(readonly reply: SmtpReply) {
    super(`refused: ${reply.enhanced}`);
  }
}

/**
 * The one place a message becomes "accepted": in one transaction, store it, count it against its account's quotas,
 * record the `accepted` event and the request to start its workflow; answer 250 only after that commit. The workflow
 * is started from the request (at once, by the starter; later, by a drain loop, if Temporal does not answer), so the
 * 250 never waits for Temporal and never comes before the message is durable. Refusals roll everything back: a full
 * start backlog (Temporal down for long) is 451 4.3.2, a database failure 451 4.3.0; nothing is kept for either.
 */
export async function acceptMessage(
  deps: AcceptorDeps,
  m: AcceptedMessage,
  policyTrail: unknown[],
): Promise<SmtpReply> {
  const { pool, log, starter } = deps;
  // Whether this process starts the workflow right after the commit (then it holds the row meanwhile).
  const leaseMs = starter ? starter.leaseForNewRow() : START_LEASE_MS;
  try {
    await inTransaction(pool, async (c) => {
      // The start request first: it is refused, and the message never written, when the backlog is full.
      if (!(await insertStartRequest(c, m.id, leaseMs, deps.startBacklogLimit)))
        throw new Refused(smtpReplies.startBacklogFull);
      await insertAcceptedMessage(c, m);
      await appendEvent(c, {
        messageId: m.id,
        type: 'accepted',
        data: { clientIp: m.clientIp, size: m.raw.length, policy: policyTrail },
        sourceKey: `${m.id}:accepted`,
      });
      // Counts the message against the account's quotas; a refusal (suspended, over a limit) rolls everything back.
      // Last before the commit: its upsert locks the account's usage rows until the commit, and every acceptance of
      // the account waits for that lock, so nothing else runs while it is held.
      const standing = await countAcceptance(c, m.accountId, m.id);
      if (standing) throw new Refused(standing);
    });
  } catch (err) {
    if (err instanceof Refused) {
      const check = err.reply === smtpReplies.startBacklogFull ? 'start-backlog' : 'account-standing';
      log.warn('ingress.refused', { check, accountId: m.accountId, reply: err.reply.enhanced });
      return err.reply;
    }
    log.error('ingress.store_failed', { messageId: m.id, error: err });
    return smtpReplies.temporaryFailure;
  }
  const request = { id: m.id, accountId: m.accountId, mailFrom: m.mailFrom, envelopeRcpts: m.envelopeRcpts };
  if (!starter) await startFromOutbox(deps, request);
  else if (leaseMs > 0) starter.startAccepted(request);
  log.info('ingress.accepted', {
    messageId: m.id,
    accountId: m.accountId,
    size: m.raw.length,
    recipients: m.envelopeRcpts.length,
    ...(leaseMs > 0 ? {} : { start: 'deferred' }),
  });
  return queuedReply(m.id);
}
