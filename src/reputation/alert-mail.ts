import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Client } from '@temporalio/client';
import type pg from 'pg';
import { acceptMessage } from '../ingress/message-acceptor.js';
import { parseMessageHeaders } from '../domain/mime/message-headers.js';
import { messageWorkflowId } from '../workflows/definitions.js';
import type { AlertEmail } from '../domain/reputation/alerts.js';
import type { Logger } from '../log.js';
import { SYSTEM_ACCOUNT_ID, domainOfAddress, type ReputationSettings } from './settings.js';

/** The address alert mail says it comes from inside the service (the system account's acceptance list holds it). */
export const SYSTEM_CLIENT_IP = '127.0.0.1';

/**
 * Sends one alert through the service's own pipeline, exactly as ingress accepts a submission: store the message
 * under the system account, start its delivery workflow. Idempotent by message id: a message already stored is only
 * (re)started, and Temporal refuses a second start of the same workflow id.
 */
export async function sendAlertMail(
  deps: { pool: pg.Pool; temporal: Client; log: Logger; settings: ReputationSettings },
  messageId: string, email: AlertEmail, incidentId: string,
): Promise<void> {
  const { pool, temporal, log, settings } = deps;
  const existing = await pool.query('SELECT 1 FROM messages WHERE id = $1', [messageId]);
  if (existing.rowCount === 1) {
    try {
      await temporal.workflow.start('deliverMessageWorkflow', { taskQueue: settings.taskQueue, workflowId: messageWorkflowId(messageId), args: [{ messageId, ...settings.workflowInput }] });
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
    messageId: `<${messageId}@${domainOfAddress(settings.alertFrom)}>`,
    headers: { 'X-Reputation-Incident': incidentId, 'Auto-Submitted': 'auto-generated' },
  }).compile().build();
  const reply = await acceptMessage(
    { pool, temporal, log, taskQueue: settings.taskQueue, workflowInput: settings.workflowInput },
    {
      id: messageId, accountId: SYSTEM_ACCOUNT_ID, mailFrom: settings.alertFrom, envelopeRcpts: settings.alertTo, raw,
      clientIp: SYSTEM_CLIENT_IP, submittedAt: new Date(), headers: parseMessageHeaders(raw),
    },
    [{ check: 'system', allowed: true, reason: `reputation alert for incident ${incidentId}` }],
  );
  if (reply.code !== 250) throw new Error(`alert ${messageId} not accepted: ${reply.code} ${reply.text}`);
}
