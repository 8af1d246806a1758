import {
  NONCE_HEADER,
  newNonce,
  SIGNATURE_HEADER,
  signRelayMessage,
  signed,
  verifyRelayMessage,
} from '../relay-protocol/auth.js';
import { boundedText } from '../infra/bounded-body.js';
import { feedPage, feedPath, type FeedPage } from '../relay-protocol/feed.js';
import { messagePath, messageState, type MessageState } from '../relay-protocol/message-state.js';
import { relayStats, statsPath, type RelayStats } from '../relay-protocol/stats.js';

// HTTP client for a relay's authenticated status API (see src/relay; paths and shapes are the contract in
// src/relay-protocol): the feed the poller reads, the per-message lookup the workflow uses when a status is overdue,
// and the relay's stats. Each request is signed with the relay secret and each answer must carry the relay's signature
// over its body and our request's signature (src/relay-protocol/auth.ts): an answer that is unsigned, changed, stale or
// meant for another request is an error, never data.

/** Answers are small (a feed page is at most 500 items); anything far larger is not a relay's answer, and is not read. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

async function getJson(url: string, secret: string): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const nonce = newNonce();
  const request = signRelayMessage(secret, signed.request('GET', target.pathname + target.search, nonce), Date.now());
  const res = await fetch(target, {
    headers: { [SIGNATURE_HEADER]: request.header, [NONCE_HEADER]: nonce },
    signal: AbortSignal.timeout(15_000),
  });
  const text = await boundedText(res, MAX_ANSWER_BYTES, 'relay answer');
  const check = verifyRelayMessage(
    secret,
    res.headers.get(SIGNATURE_HEADER) ?? undefined,
    signed.answer(request.v1, text),
    Date.now(),
  );
  if (!check.ok) throw new Error(`relay answer (HTTP ${res.status}) refused: ${check.reason}`);
  return { status: res.status, body: JSON.parse(text) as unknown };
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
