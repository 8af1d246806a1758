import type { EventView } from '../db/events-repo.js';

/** The JSON body POSTed for one event (the contract): `id` is unique per event, for receivers' dedupe. */
export interface WebhookPayload {
  id: string;
  type: string;
  messageId: string;
  recipient: string | null;
  at: string;
  tags: string[];
  metadata: Record<string, string>;
  data: unknown;
}

export const webhookEventId = (eventId: string): string => `evt_${eventId}`;

export function webhookPayload(e: EventView): WebhookPayload {
  return {
    id: webhookEventId(e.id),
    type: e.type,
    messageId: e.messageId,
    recipient: e.recipient,
    at: e.at,
    tags: e.tags,
    metadata: e.metadata,
    data: e.data,
  };
}
