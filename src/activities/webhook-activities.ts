import type { ActivityDeps } from './deps.js';
import type { WebhookActivities, WebhookAttempt, WebhookAttemptResult } from './types.js';
import { getEventForWebhook } from '../db/events-repo.js';
import { isPublicEventType } from '../domain/event-types.js';
import type { SecretBox } from '../webhooks/secret-box.js';
import { SIGNATURE_HEADER, signatureHeader } from '../webhooks/signature.js';
import { getWebhookTarget, recordAttempt, wasDelivered } from '../db/webhooks-repo.js';
import { webhookPayload } from '../webhooks/payload.js';
import { postWebhook, type AddressLookup } from '../webhooks/post-webhook.js';

export interface WebhookActivityDeps {
  /** Opens the sealed signing secrets (key derived from the master secret). */
  secrets: SecretBox;
  /** How long one POST may take (DNS, connect, response headers) before it counts as failed. */
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: targets may be internal addresses (loopback, private, link-local…); local development only. */
  allowPrivate: boolean;
  /** Host name → addresses; default the system resolver. */
  lookup?: AddressLookup;
}

/**
 * One webhook delivery attempt: POST the event, signed, and record the outcome. Idempotent: an event already
 * delivered to this webhook is not sent again, and an attempt is recorded once (webhook, event, attempt).
 */
export function createWebhookActivities(
  deps: ActivityDeps,
  webhooks: WebhookActivityDeps | undefined,
): WebhookActivities {
  const { pool, log } = deps;
  return {
    async deliverWebhookEvent(a: WebhookAttempt): Promise<WebhookAttemptResult> {
      if (!webhooks) throw new Error('webhook delivery is not configured in this worker');
      const target = await getWebhookTarget(pool, a.webhookId);
      if (!target) return { state: 'gone' };
      if (await wasDelivered(pool, a.webhookId, a.eventId)) return { state: 'delivered' };
      const event = await getEventForWebhook(pool, a.eventId);
      if (
        !event ||
        event.accountId !== target.accountId ||
        !isPublicEventType(event.type) ||
        !target.events.includes(event.type)
      )
        return { state: 'skipped' };
      const body = JSON.stringify(webhookPayload(event));
      const signature = signatureHeader(webhooks.secrets.open(target.secretEnc), body, Math.floor(Date.now() / 1000));
      // The target is resolved and checked at every attempt (DNS may have changed since registration), and the
      // connection goes to the checked address. The account sees a generic error class, never the raw error.
      const out = await postWebhook(
        target.url,
        {
          'content-type': 'application/json',
          'user-agent': 'smtp-relay-webhooks/1',
          [SIGNATURE_HEADER]: signature,
        },
        body,
        { timeoutMs: webhooks.timeoutMs, allowPrivate: webhooks.allowPrivate, lookup: webhooks.lookup },
      );
      const statusCode = out.statusCode;
      let error: string | null = out.error;
      const ok = error === null;
      if (!ok && a.nextRetryInMs === null) error += ' (retry window over: given up)';
      await recordAttempt(pool, a.webhookId, {
        eventId: a.eventId,
        messageId: a.messageId,
        attempt: a.attempt,
        ok,
        statusCode,
        error,
        nextRetryInMs: ok ? null : a.nextRetryInMs,
      });
      if (!ok)
        log.warn('webhook.attempt_failed', {
          webhookId: a.webhookId,
          eventId: a.eventId,
          messageId: a.messageId,
          attempt: a.attempt,
          statusCode,
          error,
          detail: out.detail,
        });
      return { state: ok ? 'delivered' : 'failed', statusCode };
    },
  };
}
