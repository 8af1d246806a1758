import type pg from 'pg';
import type { Client } from '@temporalio/client';
import { appendEvent, deleteMessage, insertAcceptedMessage, type AcceptedMessage } from '../db/messages-repo.js';
import { inTransaction } from '../db/pool.js';
import { countAcceptance } from '../db/account-standing-repo.js';
import { domainOf } from '../domain/mime/address.js';
import { queuedReply, smtpReplies, type SmtpReply } from '../domain/smtp-reply.js';
import type { deliverMessageWorkflow } from '../workflows/deliver-message.js';
import { messageWorkflowId, type DeliverMessageInput } from '../workflows/definitions.js';
import { AccountIdKey, DeliveryStatusKey, SenderDomainKey } from '../temporal/search-attributes.js';
import type { Logger } from '../log.js';

export interface AcceptorDeps {
  pool: pg.Pool;
  temporal: Client;
  taskQueue: string;
  workflowInput: Omit<DeliverMessageInput, 'messageId'>;
  log: Logger;
  /** How long to wait for Temporal to confirm the workflow start before answering 451 (clients time out at ~10 min). */
  startTimeoutMs?: number;
}

/**
 * The one place a message becomes "accepted": store it durably, start its workflow, and only then answer 250.
 * If either step fails the stored row is removed and the client gets 451 4.3.0 to retry: never 250-then-drop, and
 * nothing half-done is kept.
 */
export async function acceptMessage(
  deps: AcceptorDeps,
  m: AcceptedMessage,
  policyTrail: unknown[],
): Promise<SmtpReply> {
  const { pool, log } = deps;
  let refusal: SmtpReply | undefined;
  try {
    await inTransaction(pool, async (c) => {
      await insertAcceptedMessage(c, m);
      // Counts the message against the account's quotas; a refusal (suspended, over a limit) rolls everything back.
      refusal = await countAcceptance(c, m.accountId, m.id);
      if (refusal) throw new Error('account standing refused the message');
      await appendEvent(c, {
        messageId: m.id,
        type: 'accepted',
        data: { clientIp: m.clientIp, size: m.raw.length, policy: policyTrail },
        sourceKey: `${m.id}:accepted`,
      });
    });
  } catch (err) {
    if (refusal) {
      log.warn('ingress.refused', { check: 'account-standing', accountId: m.accountId, reply: refusal.enhanced });
      return refusal;
    }
    log.error('ingress.store_failed', { messageId: m.id, error: err });
    return smtpReplies.temporaryFailure;
  }
  try {
    await startMessageWorkflow(deps, m);
  } catch (err) {
    log.error('ingress.workflow_start_failed', { messageId: m.id, error: err });
    await deleteMessage(pool, m.id).catch((e: unknown) =>
      log.error('ingress.cleanup_failed', { messageId: m.id, error: e }),
    );
    return smtpReplies.temporaryFailure;
  }
  log.info('ingress.accepted', {
    messageId: m.id,
    accountId: m.accountId,
    size: m.raw.length,
    recipients: m.envelopeRcpts.length,
  });
  return queuedReply(m.id);
}

/**
 * Starts a stored message's delivery workflow with its search attributes (AccountId, SenderDomain, DeliveryStatus).
 * The one way a message workflow is started: acceptMessage uses it, and so does a retry of a stored message (an alert
 * email whose earlier try stored it). Throws WorkflowExecutionAlreadyStartedError when the workflow exists.
 */
export async function startMessageWorkflow(
  deps: Pick<AcceptorDeps, 'temporal' | 'taskQueue' | 'workflowInput' | 'startTimeoutMs'>,
  m: Pick<AcceptedMessage, 'id' | 'accountId' | 'mailFrom'> & Partial<Pick<AcceptedMessage, 'envelopeRcpts'>>,
): Promise<void> {
  const { temporal } = deps;
  await temporal.withDeadline(Date.now() + (deps.startTimeoutMs ?? 30_000), () =>
    temporal.workflow.start<typeof deliverMessageWorkflow>('deliverMessageWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: messageWorkflowId(m.id),
      args: [{ messageId: m.id, ...deps.workflowInput }],
      // What a row of the Temporal UI shows: addresses and the id, never the subject or the content.
      staticSummary: workflowSummary(m),
      staticDetails: workflowDetails(m),
      typedSearchAttributes: [
        { key: AccountIdKey, value: m.accountId },
        { key: SenderDomainKey, value: domainOf(m.mailFrom) ?? '' },
        { key: DeliveryStatusKey, value: 'pending' },
      ],
    }),
  );
}

/** Longest address shown in a workflow summary; a longer one is cut with "…" (the UI shows one line). */
const SUMMARY_ADDRESS_CHARS = 80;
const cut = (s: string): string => (s.length > SUMMARY_ADDRESS_CHARS ? `${s.slice(0, SUMMARY_ADDRESS_CHARS - 1)}…` : s);

/** The one-line summary of a message workflow: `sender → first recipient (+N) · message id`. */
export function workflowSummary(m: { id: string; mailFrom: string; envelopeRcpts?: readonly string[] }): string {
  const rcpts = m.envelopeRcpts ?? [];
  const to =
    rcpts.length === 0 ? '?' : `${cut(rcpts[0] as string)}${rcpts.length > 1 ? ` (+${rcpts.length - 1})` : ''}`;
  return `${cut(m.mailFrom || '<>')} → ${to} · ${m.id}`;
}

/** The workflow's details (Markdown in the Temporal UI): ids to look the message up by, and the recipient count. */
export function workflowDetails(m: { id: string; accountId: string; envelopeRcpts?: readonly string[] }): string {
  const n = m.envelopeRcpts?.length;
  return [
    `**Message** \`${m.id}\` (GET /v1/messages/${m.id})`,
    `**Account** \`${m.accountId}\``,
    ...(n === undefined ? [] : [`**Recipients** ${n}`]),
  ].join('\n\n');
}
