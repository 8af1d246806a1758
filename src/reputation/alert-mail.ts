import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { acceptMessage, startMessageWorkflow, type AcceptorDeps } from '../ingress/message-acceptor.js';
import { parseMessageHeaders } from '../domain/mime/message-headers.js';
import type { AlertEmail } from '../domain/reputation/alerts.js';
import type { Logger } from '../log.js';
import { getMessageSender } from '../db/messages-repo.js';
import { SYSTEM_ACCOUNT_ID, alertSenderDomain, type ReputationSettings } from './settings.js';

/** The address alert mail says it comes from inside the service (the system account's acceptance list holds it). */
export const SYSTEM_CLIENT_IP = '127.0.0.1';

/**
 * Sends one alert through the service's own pipeline, by the function ingress accepts a submission with
 * (acceptMessage: store the message under the system account, start its delivery workflow with the same search
 * attributes). Idempotent by message id: a message an earlier try already stored is only (re)started, by the same
 * start function, and Temporal refuses a second start of the same workflow id.
 */
export async function sendAlertMail(
  deps: { pool: pg.Pool; temporal: Client; log: Logger; settings: ReputationSettings },
  messageId: string,
  email: AlertEmail,
  incidentId: string,
): Promise<void> {
  const { pool, temporal, log, settings } = deps;
  const acceptor: AcceptorDeps = {
    pool,
    temporal,
    log,
    taskQueue: settings.taskQueue,
    workflowInput: settings.workflowInput,
  };
  const stored = await getMessageSender(pool, messageId);
  if (stored) {
    try {
      await startMessageWorkflow(acceptor, { id: messageId, accountId: stored.accountId, mailFrom: stored.mailFrom });
    } catch (err) {
      if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    }
    return;
  }
  const raw = await new MailComposer({
    from: settings.alertFrom,
    to: settings.alertTo,
    subject: email.subject,
    text: email.text,
    messageId: `<${messageId}@${alertSenderDomain(settings.alertFrom)}>`,
    headers: { 'X-Reputation-Incident': incidentId, 'Auto-Submitted': 'auto-generated' },
  })
    .compile()
    .build();
  const reply = await acceptMessage(
    acceptor,
    {
      id: messageId,
      accountId: SYSTEM_ACCOUNT_ID,
      mailFrom: settings.alertFrom,
      envelopeRcpts: settings.alertTo,
      raw,
      clientIp: SYSTEM_CLIENT_IP,
      submittedAt: new Date(),
      headers: parseMessageHeaders(raw),
    },
    [{ check: 'system', allowed: true, reason: `reputation alert for incident ${incidentId}` }],
  );
  if (reply.code !== 250) throw new Error(`alert ${messageId} not accepted: ${reply.code} ${reply.text}`);
}
