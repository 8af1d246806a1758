import { defineQuery, defineSignal } from '@temporalio/workflow';

// Names shared by the webhook workflow, the dispatcher and tests.

/** One workflow per (webhook, message): events of one message are delivered one at a time, in order. */
export const webhookWorkflowId = (webhookId: string, messageId: string): string => `webhook-${webhookId}-${messageId}`;

export interface DeliverWebhookInput {
  webhookId: string;
  messageId: string;
  /** Retry backoff after a failed attempt: first delay, doubling up to the cap. */
  retryMs: [number, number];
  /** An event is retried for this long after its first attempt, then given up (24 h). */
  retryForMs: number;
  /** The workflow completes after this long without a new event; a later event starts a new run with the same id. */
  idleMs: number;
  /** Carried over continueAsNew: events still to deliver, and event ids already handled (dedupe). */
  pending?: string[];
  handled?: string[];
}

/** Sent by the dispatcher (signalWithStart): message_events ids, in outbox order. Known ids are ignored. */
export const webhookEventsSignal = defineSignal<[{ eventIds: string[] }]>('webhookEvents');

export interface WebhookProgress {
  pending: string[];
  handled: number;
  current: { eventId: string; attempt: number } | null;
}
export const getWebhookProgressQuery = defineQuery<WebhookProgress>('getWebhookProgress');
