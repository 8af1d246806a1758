import { z } from 'zod';
import { deliveryTls } from './delivery-tls.js';
import { replyOrigin } from './reply-origin.js';

// A relay's answer to "what happened to this message?" (GET /messages/<message id> → 200 {messageId, recipients},
// or 404 when the relay never got it): the MDE asks when a status is overdue.

/** The route as the relay serves it, and the path as the MDE asks it. */
export const messageRoute = '/messages/:messageId';
export const messagePath = (messageId: string): string => `/messages/${encodeURIComponent(messageId)}`;

export const recipientState = z.object({
  recipient: z.string(),
  /** The relay's queue status: queued, delivering, deferred, delivered, bounced or failed. */
  status: z.string(),
  smtpCode: z.number().nullable(),
  enhancedCode: z.string().nullable(),
  response: z.string().nullable(),
  reason: z.string().nullable().optional(),
  attempts: z.number().optional(),
  /** The TLS of the last attempt; null when no host was tried (no route). */
  tls: deliveryTls.nullable().optional(),
  ...replyOrigin,
  /** ISO 8601. */
  updatedAt: z.string().optional(),
});
export type RecipientState = z.infer<typeof recipientState>;

/** Every recipient the relay holds under the message id (across handoffs). */
export const messageState = z.object({ messageId: z.string(), recipients: z.array(recipientState) });
export type MessageState = z.infer<typeof messageState>;
