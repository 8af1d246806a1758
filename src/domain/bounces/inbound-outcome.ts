// What a message received at a VERP bounce address means for the one recipient the address names. The classifier
// says what the message reports (bounce, complaint, auto-reply, nothing); this decides what the service records.
//
// Choices:
// - a failure (class 5, or a report without a status whose action is "failed") → `bounced`, even after `delivered`;
// - a delay report (RFC 3464 Action: delayed, 4.x.x) → a `deferred` event only: the remote MTA is still trying and
//   will send a final report if it gives up, so the recipient's status is left alone; a 4.x.x failure (Action:
//   failed, e.g. expired after retries) is a final, soft bounce;
// - a success report (class 2: delivered / relayed / expanded) → nothing;
// - an ARF feedback report → `complained` (and the address is suppressed), unless it reports no one's wish: a DMARC
//   failure report (RFC 6591 auth-failure, sent when a domain's ruf= names the bounce mailbox) or a message marked as
//   not spam (RFC 6650 not-spam) → nothing;
// - an auto-reply (out-of-office and the like) → an `auto-reply` event, no status change;
// - anything else (a person answering the bounce address, spam) → nothing;
// - a report on an alias's members that fared differently → the least failed member's line: the alias lives on.
import { isSuccessAction, type BounceReport, type RecipientReport } from './classify-bounce.js';
import type { BounceReason } from './reasons.js';
import type { SmtpCommand } from './smtp-codes.js';
import { normalizeAddress } from '../mime/address.js';
import { cutText } from './text-match.js';

export interface AsyncBounceFacts {
  /** RFC 3463 status as reported ("5.1.1"; "<class>.0.0" when the report gives none). */
  status: string;
  /** SMTP reply code the remote server gave, "" when unknown. */
  replyCode: string;
  /** The diagnostic text the reason was read from (Diagnostic-Code or the bounce prose). */
  diagnosticCode: string;
  reason: BounceReason;
  hard: boolean;
  /** The address the report names (may differ from the VERP recipient after forwarding). */
  reportedRecipient: string;
  /** The SMTP step the reply answered and the host that gave it, when the report says. */
  command: SmtpCommand | null;
  remoteHost: string | null;
}

export type InboundOutcome =
  | ({ kind: 'bounced' } & AsyncBounceFacts)
  | ({ kind: 'delayed' } & AsyncBounceFacts)
  | { kind: 'complained'; feedbackType: string }
  | { kind: 'auto-reply' }
  | { kind: 'ignored'; why: 'not-a-report' | 'success-report' | 'not-a-complaint' };

/** Feedback types that report no complaint of the recipient's: an authentication failure, a message marked not spam. */
const NOT_A_COMPLAINT: ReadonlySet<string> = new Set(['auth-failure', 'not-spam']);

/** The addresses a report line names its recipient by: as reported, and as the sender gave it (before forwarding). */
function namesOf(line: RecipientReport): string[] {
  const names = [normalizeAddress(line.recipient)];
  if (line.originalRecipient) names.push(normalizeAddress(line.originalRecipient));
  return names;
}

/** The line's status class: its status's, else its reply's, else a failure's. */
function classOf(line: RecipientReport): string {
  return line.status[0] ?? line.replycode[0] ?? '5';
}

/** How badly a line says its recipient failed: reached, still trying, failed for now, failed for good. */
function severity(line: RecipientReport): number {
  const cls = classOf(line);
  const action = line.action ?? '';
  if (isSuccess(cls, line, action)) return 0;
  if (isDelay(action)) return 1;
  return cls === '5' && line.hard ? 3 : 2;
}

/**
 * The report line about this recipient: the one naming it, else the first (forwarded or rewritten addresses). Lines
 * that share an original recipient are an alias's or a list's members (Postfix's "expanded from <alias>"): the address
 * is only as dead as its least failed member, so one member's unknown mailbox does not suppress the alias.
 */
function lineFor(recipients: readonly RecipientReport[], recipient: string): RecipientReport | undefined {
  const wanted = normalizeAddress(recipient);
  const naming = recipients.filter((r) => namesOf(r).includes(wanted));
  if (naming.length === 0) return recipients[0];
  return naming.reduce((best, r) => (severity(r) < severity(best) ? r : best));
}

/** A success report: class 2, or a delivered, relayed or expanded action (RFC 3464 2.3.3). */
function isSuccess(cls: string, line: RecipientReport, action: string): boolean {
  return cls === '2' || line.reason === 'delivered' || isSuccessAction(action);
}

/** Longest diagnostic kept: enough for any real reply; a report cannot make an event row large. */
const MAX_DIAGNOSTIC = 1000;

/**
 * A warning, not a failure: RFC 3464 Action "delayed", which the classifier also gives a prose notice that warns of a
 * delay. A 4.x.x *failure* (Action: failed, e.g. 4.4.7 "delivery time expired", or a final notice quoting a 4xx
 * reply) is a final bounce, only a soft one.
 */
function isDelay(action: string): boolean {
  return action.startsWith('delayed');
}

export function inboundOutcome(report: BounceReport, verpRecipient: string): InboundOutcome {
  switch (report.kind) {
    case 'feedback': {
      const feedbackType = lineFor(report.recipients, verpRecipient)?.feedbackType ?? 'other';
      if (NOT_A_COMPLAINT.has(feedbackType.toLowerCase())) return { kind: 'ignored', why: 'not-a-complaint' };
      return { kind: 'complained', feedbackType };
    }
    case 'vacation':
      return { kind: 'auto-reply' };
    case 'not_bounce':
      return { kind: 'ignored', why: 'not-a-report' };
    case 'bounce': {
      const line = lineFor(report.recipients, verpRecipient);
      if (!line) return { kind: 'ignored', why: 'not-a-report' };
      const cls = classOf(line);
      const action = line.action ?? '';
      if (isSuccess(cls, line, action)) return { kind: 'ignored', why: 'success-report' };
      const facts: AsyncBounceFacts = {
        status: line.status,
        replyCode: line.replycode,
        // (the classifier gives it as one line, as MTAs log a reply; cut never inside a character)
        diagnosticCode: cutText(line.diagnostic, MAX_DIAGNOSTIC),
        reason: line.reason,
        hard: cls === '5' && line.hard,
        reportedRecipient: line.recipient,
        command: line.command ?? null,
        remoteHost: line.remoteHost ?? null,
      };
      return isDelay(action) ? { kind: 'delayed', ...facts } : { kind: 'bounced', ...facts };
    }
  }
}

/**
 * For a per-message VERP address (one copy to several recipients): the message's recipients the report is about,
 * by the addresses it names; a message with a single recipient needs no naming (complaints are often redacted).
 */
export function recipientsConcerned(report: BounceReport, messageRecipients: readonly string[]): string[] {
  const named = new Set(report.recipients.flatMap(namesOf).filter((a) => a !== ''));
  const hits = messageRecipients.filter((a) => named.has(normalizeAddress(a)));
  if (hits.length > 0) return hits;
  return messageRecipients.length === 1 ? [...messageRecipients] : [];
}
