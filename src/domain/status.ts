// Recipient and message statuses and how one derives the other.
export const recipientStatuses = [
  'pending',
  'relayed',
  'delivered',
  'deferred',
  'bounced',
  'failed',
  'suppressed',
  'sandboxed',
] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

/**
 * `suppressed`: on the account's suppression list, so never sent. `sandboxed`: accepted while the account was in
 * sandbox mode, recorded but never sent.
 */
export const finalRecipientStatuses: ReadonlySet<RecipientStatus> = new Set([
  'delivered',
  'bounced',
  'failed',
  'suppressed',
  'sandboxed',
]);

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

/** The statuses a recipient is still open in: not final, so the pipeline may still move it. */
export const openRecipientStatuses: readonly RecipientStatus[] = recipientStatuses.filter((s) => !isFinal(s));

/**
 * Why a recipient's status changes. Each cause has its own rule of which statuses it may leave:
 * - `relay-report`: an outcome a relay reported (feed, push or the workflow's direct check). Forward only: a late
 *   `deferred` from a poll must not undo a `delivered` a direct check already recorded, nor a deferral undo `relayed`
 *   backwards into it, and the same status twice is no change.
 * - `async-bounce`: a DSN received after the fact; it also turns `delivered` into `bounced`, which is what happened.
 * - `handoff`: a part went to a relay, a fresh attempt, so any open recipient (even `deferred`) is `relayed` again.
 * - `waiting`: no usable IP for the part; open recipients show `deferred` with the reason.
 * - `give-up`: a policy refusal after acceptance, or the lifetime ran out; open recipients fail.
 * - `suppression`: at the record stage a listed address is `suppressed` before anything was sent, so only `pending`.
 * - `sandbox`: at the record stage every still-pending recipient of a message accepted in sandbox mode is `sandboxed`.
 */
export const statusCauses = [
  'relay-report',
  'async-bounce',
  'handoff',
  'waiting',
  'give-up',
  'suppression',
  'sandbox',
] as const;
export type StatusCause = (typeof statusCauses)[number];

const open = openRecipientStatuses;

/**
 * The one transition table: per cause, each status it may move a recipient to and the statuses it may move it from.
 * A pair that is not listed is no change. The repository's SQL guards are built from this table
 * (`status = ANY(allowedFrom(cause, to))`), so code and SQL cannot disagree.
 */
export const recipientTransitions: Readonly<
  Record<StatusCause, Partial<Record<RecipientStatus, readonly RecipientStatus[]>>>
> = {
  'relay-report': {
    relayed: ['pending'],
    deferred: ['pending', 'relayed'],
    delivered: open,
    bounced: open,
    failed: open,
    suppressed: open,
  },
  'async-bounce': { bounced: [...open, 'delivered'] },
  // The same status again is allowed here: a handoff to another IP stamps the new relay and source IP.
  handoff: { relayed: open },
  // The same status again is allowed here: the row gets the latest reason.
  waiting: { deferred: open },
  'give-up': { failed: open },
  suppression: { suppressed: ['pending'] },
  sandbox: { sandboxed: ['pending'] },
};

/** The statuses from which `cause` may move a recipient to `to` (empty: never). */
export function allowedFrom(cause: StatusCause, to: RecipientStatus): readonly RecipientStatus[] {
  return recipientTransitions[cause][to] ?? [];
}

export function canChange(cause: StatusCause, from: RecipientStatus, to: RecipientStatus): boolean {
  return allowedFrom(cause, to).includes(from);
}

/**
 * The relay-report rule, with the asynchronous-bounce exception when asked for: a later report may move a recipient
 * forward but never backward, except a DSN after the destination's 250 turning `delivered` into `bounced`.
 */
export function canTransition(from: RecipientStatus, to: RecipientStatus, o: { asyncBounce?: boolean } = {}): boolean {
  return canChange('relay-report', from, to) || (o.asyncBounce === true && canChange('async-bounce', from, to));
}

/**
 * Whether a report's suppression (hard bounce, complaint) takes effect. A relay's bounce suppresses only when it moved
 * the recipient (a late report for a recipient already final by another route changes nothing); an inbound bounce or
 * a complaint names the address whatever the recipient's row says, so it suppresses whenever the report is new.
 */
export function suppressionApplies(r: { fresh: boolean; cause?: StatusCause; moved: boolean }): boolean {
  if (!r.fresh) return false;
  return r.cause === 'relay-report' ? r.moved : true;
}
