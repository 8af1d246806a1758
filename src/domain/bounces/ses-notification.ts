// Amazon SES event notifications delivered by email (an SNS topic with an email subscription): the body is one JSON
// document, not a report. Its shape is documented in "Contents of notifications for Amazon SES"
// (docs.aws.amazon.com/ses/latest/dg/notification-contents.html): notificationType Bounce, Complaint or Delivery;
// a bounce lists bouncedRecipients (emailAddress, action, status, diagnosticCode) under a bounceType (Permanent,
// Transient, Undetermined) and a bounceSubType; a complaint lists complainedRecipients with complaintFeedbackType; a
// delivery lists recipients with the destination's smtpResponse; event publishing adds DeliveryDelay, whose
// delayedRecipients have the same fields under a delayType. SNS may wrap the document in its own envelope
// ({"Type":"Notification","Message":"<the document as a string>"}), and an SNS email ends with a "--" line that
// starts the unsubscribe footer.
import { dsnAddress } from './dsn-fields.js';
import type { BounceReason } from './reasons.js';

/** Characters of the body read as JSON: a real notification (with the original's headers) is a few kilobytes. */
export const MAX_SES_JSON = 64 * 1024;
/** Recipients read from one notification. */
const MAX_SES_RECIPIENTS = 50;

export interface SesRecipient {
  kind: 'bounce' | 'feedback' | 'delivered';
  recipient: string;
  /** RFC 3463 status when the notification states one. */
  status: string | null;
  /** The destination's reply (diagnosticCode of a bounce, smtpResponse of a delivery). */
  diagnostic: string;
  action: string | null;
  /** Permanent / Transient / Undetermined, lower case, for bounces. */
  bounceType?: string;
  /** The reason SES's bounceSubType names, when it names one. */
  subtypeReason?: BounceReason;
  /** SES refused the address itself (its suppression lists): the subtype decides, whatever the diagnostic says. */
  suppressedBySes?: boolean;
  feedbackType?: string;
}

/**
 * bounceSubType → reason, as the SES documentation defines each subtype: NoEmail is "the email address does not
 * exist"; Suppressed / OnAccountSuppressionList mean SES itself refused the address because it bounced as invalid
 * before; the Transient subtypes name a full mailbox, a message too large, and content or an attachment refused.
 * General and Undetermined name nothing: the diagnostic decides.
 */
const SUBTYPE_REASONS: Record<string, BounceReason> = {
  noemail: 'userunknown',
  suppressed: 'userunknown',
  onaccountsuppressionlist: 'userunknown',
  mailboxfull: 'mailboxfull',
  messagetoolarge: 'mesgtoobig',
  contentrejected: 'contenterror',
  attachmentrejected: 'contenterror',
};

/**
 * delayType → reason, as "Contents of event data that Amazon SES publishes to Amazon SNS" defines each: a full mailbox;
 * "a large amount of unsolicited email from your account" seen by the recipient's server; "a temporary issue with the
 * recipient's email server"; the sending IP "blocked or throttled by the recipient's email provider"; "a temporary
 * communication failure during the SMTP conversation"; an internal SES issue. General, Undetermined and the rest name
 * nothing: the diagnostic decides.
 */
const DELAY_TYPE_REASONS: Record<string, BounceReason> = {
  mailboxfull: 'mailboxfull',
  spamdetected: 'spamdetected',
  recipientservererror: 'systemerror',
  ipfailure: 'blocked',
  transientcommunicationfailure: 'networkerror',
  internalfailure: 'systemerror',
};

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, MAX_SES_RECIPIENTS) : []);

/**
 * The JSON text of a notification body: the lines before the SNS footer ("--"), joined. A mailer that wraps long
 * lines continues them on a line starting with one space, which is dropped; Sendmail also ends the broken line with
 * "!" (its putxline() splitting a line over the transport's limit), dropped with it.
 */
function jsonText(body: string): string {
  const text = body.length > MAX_SES_JSON ? body.slice(0, MAX_SES_JSON) : body;
  // the pieces are joined once: slicing the text built so far at each broken line would copy it each time
  const pieces: string[] = [];
  for (const line of text.split('\n')) {
    const l = line.replace(/\r$/, '');
    // (the footer's rule may be written "-- ", a signature's separator, or carry a mailer's trailing padding)
    if (/^--[ \t]*$/.test(l)) break;
    if (!l.startsWith(' ')) {
      if (l) pieces.push(l);
    } else {
      const last = pieces.length - 1;
      if (last >= 0 && pieces[last]!.endsWith('!')) pieces[last] = pieces[last]!.slice(0, -1);
      pieces.push(l.slice(1));
    }
  }
  return pieces.join('').trim();
}

function parse(text: string): Json | null {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** The notification document, unwrapped from an SNS envelope if it has one; null when the body is not one. */
export function sesNotification(body: string): Json | null {
  const start = body.trimStart();
  if (!start.startsWith('{')) return null;
  let doc = parse(jsonText(start));
  if (doc && str(doc.Type) === 'Notification' && typeof doc.Message === 'string')
    doc = parse(doc.Message.slice(0, MAX_SES_JSON));
  if (!doc) return null;
  const type = str(doc.notificationType ?? doc.eventType).toLowerCase();
  return type === 'bounce' || type === 'complaint' || type === 'delivery' || type === 'deliverydelay' ? doc : null;
}

/** A listed recipient's address, without the display name SES keeps when the message named one ("Ann <a@b>"). */
const recipientOf = (r: Json): string => dsnAddress(str(r.emailAddress));

/** A bounced or delayed recipient: both list its address, its status and the destination's reply the same way. */
function failedRecipient(
  r: Json,
  action: string | null,
  bounceType: string,
  subtypeReason: BounceReason | undefined,
  suppressedBySes = false,
): SesRecipient {
  return {
    kind: 'bounce',
    recipient: recipientOf(r),
    status: str(r.status) || null,
    diagnostic: str(r.diagnosticCode),
    action,
    bounceType,
    ...(subtypeReason ? { subtypeReason } : {}),
    ...(suppressedBySes ? { suppressedBySes } : {}),
  };
}

/** The recipients a notification reports, in its own terms. */
export function sesRecipients(doc: Json): SesRecipient[] {
  const type = str(doc.notificationType ?? doc.eventType).toLowerCase();
  if (type === 'bounce' && isObject(doc.bounce)) {
    const b = doc.bounce;
    const bounceType = str(b.bounceType).toLowerCase();
    const subtype = str(b.bounceSubType).toLowerCase();
    const subtypeReason = SUBTYPE_REASONS[subtype];
    const suppressedBySes = subtype === 'suppressed' || subtype === 'onaccountsuppressionlist';
    return list(b.bouncedRecipients)
      .filter(isObject)
      .map((r) => failedRecipient(r, str(r.action).toLowerCase() || null, bounceType, subtypeReason, suppressedBySes));
  }
  if (type === 'deliverydelay' && isObject(doc.deliveryDelay)) {
    const d = doc.deliveryDelay;
    const subtypeReason = DELAY_TYPE_REASONS[str(d.delayType).toLowerCase()];
    return list(d.delayedRecipients)
      .filter(isObject)
      .map((r) => failedRecipient(r, 'delayed', 'transient', subtypeReason));
  }
  if (type === 'complaint' && isObject(doc.complaint)) {
    const c = doc.complaint;
    const feedbackType = str(c.complaintFeedbackType).toLowerCase() || 'other';
    return list(c.complainedRecipients)
      .filter(isObject)
      .map((r) => ({
        kind: 'feedback' as const,
        recipient: recipientOf(r),
        status: null,
        diagnostic: '',
        action: null,
        feedbackType,
      }));
  }
  if (type === 'delivery' && isObject(doc.delivery)) {
    const d = doc.delivery;
    const reply = str(d.smtpResponse);
    return list(d.recipients).map((r) => ({
      kind: 'delivered' as const,
      recipient: dsnAddress(str(r)),
      status: null,
      diagnostic: reply,
      action: 'delivered',
    }));
  }
  return [];
}
