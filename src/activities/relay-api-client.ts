import { z } from 'zod';
import { relayFeedItem } from '../status/apply-relay-report.js';

// HTTP client for a relay's authenticated status API (see src/relay): the feed the poller reads, and the per-message
// lookup the workflow uses when a status is overdue.

const feedPage = z.object({ items: z.array(relayFeedItem), next: z.coerce.number() });

const messageState = z.object({
  messageId: z.string(),
  recipients: z.array(z.object({
    recipient: z.string(),
    status: z.string(),
    smtpCode: z.number().nullable(),
    enhancedCode: z.string().nullable(),
    response: z.string().nullable(),
    updatedAt: z.string().optional(),
  })),
});
export type RelayMessageState = z.infer<typeof messageState>;

async function getJson(url: string, secret: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(15_000) });
  const body: unknown = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { status: res.status, body };
}

export async function fetchStatusFeed(baseUrl: string, secret: string, after: number, limit = 500): Promise<z.infer<typeof feedPage>> {
  const { status, body } = await getJson(`${baseUrl}/status?after=${after}&limit=${limit}`, secret);
  if (status !== 200) throw new Error(`relay status feed answered HTTP ${status}`);
  return feedPage.parse(body);
}

/** undefined = the relay does not know the message (it never got it, or lost it). */
export async function fetchRelayMessage(baseUrl: string, secret: string, messageId: string): Promise<RelayMessageState | undefined> {
  const { status, body } = await getJson(`${baseUrl}/messages/${encodeURIComponent(messageId)}`, secret);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`relay message lookup answered HTTP ${status}`);
  return messageState.parse(body);
}

const relayStats = z.object({
  queue: z.object({ queued: z.number(), deferred: z.number(), delivering: z.number() }),
}).passthrough();
export type RelayStats = z.infer<typeof relayStats>;

/** The relay's own view of its queue and last hour (GET /v1/stats), kept as its health summary. */
export async function fetchRelayStats(baseUrl: string, secret: string): Promise<RelayStats> {
  const { status, body } = await getJson(`${baseUrl}/v1/stats`, secret);
  if (status !== 200) throw new Error(`relay stats answered HTTP ${status}`);
  return relayStats.parse(body);
}
