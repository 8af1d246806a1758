import { z } from 'zod';
import type { RecipientStatus } from '../domain/status.js';
import { deliveryTls } from './delivery-tls.js';
import { replyOrigin } from './reply-origin.js';

// A relay's outcome events as they travel to the MDE, by both paths: the status feed the MDE polls
// (GET /status?after=<seq>&limit=<n> → {items, next}) and the relay's push (POST <push url> with {items}).

/** The statuses an outcome event carries (`queued` events stay inside the relay); each is a recipient status too. */
export const feedStatuses = [
  'deferred',
  'delivered',
  'bounced',
  'failed',
] as const satisfies readonly RecipientStatus[];

/** One outcome event of a relay: an item of its status feed, and of its push. */
export const feedItem = z.object({
  /** The relay's event sequence number: the feed's cursor, and the key of a deferral. */
  seq: z.coerce.number(),
  /** The central message id (the handoff's DSN ENVID). */
  messageId: z.string(),
  recipient: z.string(),
  status: z.enum(feedStatuses),
  smtpCode: z.number().nullable(),
  enhancedCode: z.string().nullable(),
  response: z.string().nullable(),
  reason: z.string().nullable().optional(),
  /** The address the attempt was sent from. */
  sourceIp: z.string().nullable().optional(),
  /** The TLS of the attempt (src/relay-protocol/delivery-tls.ts); null when no host was tried (no route). */
  tls: deliveryTls.nullable().optional(),
  ...replyOrigin,
  /** ISO 8601. */
  at: z.string(),
});
export type FeedItem = z.infer<typeof feedItem>;

export const feedPath = '/status';

/** The feed's query: items after the cursor, oldest first, at most `limit`. */
export const feedQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** A page of the feed; `next` is the cursor to ask from next (the last item's seq, or `after` when empty). */
export const feedPage = z.object({ items: z.array(feedItem), next: z.coerce.number() });
export type FeedPage = z.infer<typeof feedPage>;

/** The body of a relay's push: feed items, at most 1000 per request. */
export const pushBody = z.object({ items: z.array(feedItem).max(1000) });
