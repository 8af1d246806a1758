import type { ActivityDeps } from './deps.js';
import type { WebhookActivities, WebhookAttempt, WebhookAttemptResult } from './types.js';
import { getEventForWebhook } from '../events/events-repo.js';
import { isPublicEventType } from '../events/event-types.js';
import type { SecretBox } from '../webhooks/secret-box.js';
import { SIGNATURE_HEADER, signatureHeader } from '../webhooks/signature.js';
import { getWebhookTarget, recordAttempt, wasDelivered } from '../webhooks/webhooks-repo.js';
import { webhookPayload } from '../webhooks/payload.js';

export interface WebhookActivityDeps {
  /** Opens the sealed signing secrets (key derived from the master secret). */
  secrets: SecretBox;
  /** How long one POST may take before it counts as failed. */
  timeoutMs: number;
}

/**
 * One webhook delivery attempt: POST the event, signed, and record the outcome. Idempotent: an event already
 * delivered to this webhook is not sent again, and an attempt is recorded once (webhook, event, attempt).
 */
export function createWebhookActivities(deps: ActivityDeps, webhooks: WebhookActivityDeps | undefined): WebhookActivities {
  const { pool, log } = deps;
  return {
    async deliverWebhookEvent(a: WebhookAttempt): Promise<WebhookAttemptResult> {
      if (!webhooks) throw new Error('webhook delivery is not configured in this worker');
      const target = await getWebhookTarget(pool, a.webhookId);
      if (!target) return { state: 'gone' };
      if (await wasDelivered(pool, a.webhookId, a.eventId)) return { state: 'delivered' };
      const event = await getEventForWebhook(pool, a.eventId);
      if (!event || event.accountId !== target.accountId || !isPublicEventType(event.type) || !target.events.includes(event.type)) return { state: 'skipped' };
      const body = JSON.stringify(webhookPayload(event));
      const signature = signatureHeader(webhooks.secrets.open(target.secretEnc), body, Math.floor(Date.now() / 1000));
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(target.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'smtp-relay-webhooks/1', [SIGNATURE_HEADER]: signature },
          body,
          redirect: 'manual', // a redirect is a failure: the signed body is never sent somewhere else
          signal: AbortSignal.timeout(webhooks.timeoutMs),
        });
        statusCode = res.status;
        await res.body?.cancel().catch(() => undefined);
        if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
      } catch (err) {
        error = err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err);
      }
      const ok = error === null;
      if (!ok && a.nextRetryInMs === null) error += ' (retry window over: given up)';
      await recordAttempt(pool, a.webhookId, { eventId: a.eventId, messageId: a.messageId, attempt: a.attempt, ok, statusCode, error, nextRetryInMs: ok ? null : a.nextRetryInMs });
      if (!ok) log.warn('webhook.attempt_failed', { webhookId: a.webhookId, eventId: a.eventId, messageId: a.messageId, attempt: a.attempt, statusCode, error });
      return { state: ok ? 'delivered' : 'failed', statusCode };
    },
  };
}
