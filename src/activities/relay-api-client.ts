import { bearer } from '../relay-protocol/auth.js';
import { feedPage, feedPath, type FeedPage } from '../relay-protocol/feed.js';
import { messagePath, messageState, type MessageState } from '../relay-protocol/message-state.js';
import { relayStats, statsPath, type RelayStats } from '../relay-protocol/stats.js';

// HTTP client for a relay's authenticated status API (see src/relay; paths and shapes are the contract in
// src/relay-protocol): the feed the poller reads, the per-message lookup the workflow uses when a status is overdue,
// and the relay's stats.

async function getJson(url: string, secret: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers: { authorization: bearer(secret) }, signal: AbortSignal.timeout(15_000) });
  const body: unknown = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { status: res.status, body };
}

export async function fetchStatusFeed(baseUrl: string, secret: string, after: number, limit = 500): Promise<FeedPage> {
  const { status, body } = await getJson(`${baseUrl}${feedPath}?after=${after}&limit=${limit}`, secret);
  if (status !== 200) throw new Error(`relay status feed answered HTTP ${status}`);
  return feedPage.parse(body);
}

/** undefined = the relay does not know the message (it never got it, or lost it). */
export async function fetchRelayMessage(
  baseUrl: string,
  secret: string,
  messageId: string,
): Promise<MessageState | undefined> {
  const { status, body } = await getJson(`${baseUrl}${messagePath(messageId)}`, secret);
  if (status === 404) return undefined;
  if (status !== 200) throw new Error(`relay message lookup answered HTTP ${status}`);
  return messageState.parse(body);
}

/** The relay's own view of its queue and last hour (GET /v1/stats), kept as its health summary. */
export async function fetchRelayStats(baseUrl: string, secret: string): Promise<RelayStats> {
  const { status, body } = await getJson(`${baseUrl}${statsPath}`, secret);
  if (status !== 200) throw new Error(`relay stats answered HTTP ${status}`);
  return relayStats.parse(body);
}
