import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type pg from 'pg';
import { recipientsGivenTo } from '../db/relay-handoffs-repo.js';
import { applyRecipientUpdate, type RecipientUpdate } from '../db/relay-outcome-repo.js';
import { normalizeAddress } from '../domain/mime/address.js';
import { createLogger, type Logger } from '../log.js';
import { classifySmtpReply } from '../domain/bounces/classify-smtp-reply.js';
import { isFinal } from '../domain/status.js';
import { feedEventKey, finalEventKey } from '../relay-protocol/event-keys.js';
import type { FeedItem as RelayFeedItem } from '../relay-protocol/feed.js';
import { messageWorkflowId, relayStatusSignal, type RelayStatusUpdate } from '../workflows/definitions.js';

// The one place a relay's report becomes central state, whichever path brought it: the scheduled poll of the relay's
// status feed, or the relay's push callback (POST /v1/relay-reports). Both carry the same items, keyed the same way
// (src/relay-protocol/event-keys.ts), so a report that arrives by both paths, or twice by one, is applied once.
// A relay speaks only for what it was given: an item about a recipient never routed or handed to that relay (another
// relay's, or a message this service never sent it) is ignored with a warning, so one relay's secret cannot move the status
// of mail that went elsewhere.

export interface ReportDeps {
  pool: pg.Pool;
  temporal: Client;
  /** Where ignored items are reported; default a new JSON logger. */
  log?: Logger;
}

/**
 * The part of a relay's items that concern recipients handed to that relay; the others are logged
 * (`relay.report_not_handed`, without addresses) and left out.
 */
export async function itemsHandedToRelay<T extends { messageId: string; recipient: string }>(
  deps: { pool: pg.Pool; log?: Logger },
  relay: { id: string },
  items: readonly T[],
): Promise<T[]> {
  const handed = new Map<string, Set<string>>();
  const kept: T[] = [];
  const ignored = new Map<string, number>();
  for (const item of items) {
    let set = handed.get(item.messageId);
    if (!set) {
      set = await recipientsGivenTo(deps.pool, item.messageId, relay.id);
      handed.set(item.messageId, set);
    }
    if (set.has(normalizeAddress(item.recipient))) kept.push(item);
    else ignored.set(item.messageId, (ignored.get(item.messageId) ?? 0) + 1);
  }
  if (ignored.size > 0) {
    const log = deps.log ?? createLogger();
    for (const [messageId, count] of ignored)
      log.warn('relay.report_not_handed', {
        relayId: relay.id,
        messageId,
        items: count,
        reason: 'recipient was not handed to this relay',
      });
  }
  return kept;
}

/**
 * A relay's outcome for one recipient as a central update, whichever way it arrived (feed, push, or the workflow's
 * direct question): a synchronous bounce (the destination's own 5xx) is classified here, once for all paths, so its
 * reason is stored and a hard one suppresses the address. The command the reply answered and the host that gave it
 * are read when the relay reports them (a relay that predates them: RCPT TO, host unknown).
 */
export function relayOutcomeUpdate(
  relay: { id: string },
  o: Omit<RecipientUpdate, 'relayId' | 'sourceIp' | 'bounce'> & { sourceIp?: string | null },
): RecipientUpdate {
  return {
    recipient: o.recipient,
    status: o.status,
    smtpCode: o.smtpCode,
    enhancedCode: o.enhancedCode,
    response: o.response,
    reason: o.reason ?? null,
    relayId: relay.id,
    sourceIp: o.sourceIp ?? null,
    tls: o.tls ?? null,
    command: o.command ?? null,
    remoteHost: o.remoteHost ?? null,
    at: o.at,
    bounce:
      o.status === 'bounced'
        ? classifySmtpReply(o.smtpCode, o.enhancedCode, o.response ?? '', o.command ?? 'RCPT', {
            recipient: o.recipient,
            remoteHost: o.remoteHost ?? null,
          })
        : null,
  };
}

/**
 * Applies a relay's items to the recipients handed to it (a report never moves a recipient backwards; a known event key is a
 * no-op), then signals each message workflow once with its recipients' current statuses. A workflow already closed
 * (or never started here) is not an error. Returns how many items concerned messages this service knows.
 */
export async function applyRelayReport(
  deps: ReportDeps,
  relay: { id: string },
  items: readonly RelayFeedItem[],
): Promise<number> {
  const signals = new Map<string, RelayStatusUpdate>();
  let applied = 0;
  for (const item of await itemsHandedToRelay(deps, relay, items)) {
    const key = isFinal(item.status)
      ? finalEventKey(relay.id, item.messageId, item.recipient)
      : feedEventKey(relay.id, item.seq);
    const after = await applyRecipientUpdate(deps.pool, item.messageId, relayOutcomeUpdate(relay, item), key);
    if (!after) continue; // the recipient is gone (message deleted) since the handoff
    applied++;
    const update = signals.get(item.messageId) ?? { relayId: relay.id, updates: [] };
    update.updates.push({ recipient: item.recipient, status: after });
    signals.set(item.messageId, update);
  }
  for (const [messageId, update] of signals) {
    try {
      await deps.temporal.workflow.getHandle(messageWorkflowId(messageId)).signal(relayStatusSignal, update);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return applied;
}
