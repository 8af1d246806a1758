// Recipient and message statuses and how one derives the other.
export const recipientStatuses = ['pending', 'relayed', 'delivered', 'deferred', 'bounced', 'failed', 'suppressed'] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

/** `suppressed`: on the account's suppression list, so never sent (issue 4). */
export const finalRecipientStatuses: ReadonlySet<RecipientStatus> = new Set(['delivered', 'bounced', 'failed', 'suppressed']);

export function isFinal(s: RecipientStatus): boolean {
  return finalRecipientStatuses.has(s);
}

/** Message statuses: the recipient statuses, plus `partial` for a finished message whose recipients ended differently. */
export type MessageStatus = RecipientStatus | 'partial';
export const messageStatuses: readonly MessageStatus[] = [...recipientStatuses, 'partial'];

/**
 * While any recipient is unfinished the message shows the least advanced of them (deferred before relayed before
 * pending, since a deferral is what an operator must see first); once all are final, their common status or partial.
 */
export function deriveMessageStatus(statuses: readonly RecipientStatus[]): MessageStatus {
  if (statuses.length === 0) return 'pending';
  const open = statuses.filter((s) => !isFinal(s));
  if (open.length > 0) {
    for (const s of ['deferred', 'pending', 'relayed'] as const) if (open.includes(s)) return s;
  }
  const first = statuses[0] as RecipientStatus;
  return statuses.every((s) => s === first) ? first : 'partial';
}

/**
 * A later report may move a recipient forward but never backward: a late `deferred` from a poll must not undo a
 * `delivered` that a direct check already recorded. The one exception is an asynchronous bounce (a DSN that arrives
 * after the destination's 250): it turns `delivered` into `bounced`, which is what really happened.
 */
export function canTransition(from: RecipientStatus, to: RecipientStatus, o: { asyncBounce?: boolean } = {}): boolean {
  if (from === to) return false;
  if (o.asyncBounce === true && from === 'delivered' && to === 'bounced') return true;
  if (isFinal(from)) return false;
  if (to === 'pending') return false;
  if (from === 'deferred' && to === 'relayed') return false;
  return true;
}
