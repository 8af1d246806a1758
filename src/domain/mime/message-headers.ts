import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';
import { fieldText, headerFields, type HeaderField } from './header-fields.js';

// The few header facts the service keeps about a submitted message, read from its header block only (the body can be
// 25 MiB and is never needed here). Every reading goes through header-fields, so ingress, the record stage and the
// relay all split the block into the same fields, in linear time.

export interface MessageHeaders {
  from?: string;
  to: string[];
  cc: string[];
  subject?: string;
  messageId?: string;
}

/**
 * Who the message says it is from. Addresses are read only when there is exactly one field of the kind (RFC 5322
 * allows one From and at most one Sender), so a block of many such fields costs no address parsing.
 */
export interface AuthorHeaders {
  fromFields: number;
  senderFields: number;
  /** The From field's addresses (groups flattened); empty unless fromFields is 1. */
  from: string[];
  /** The Sender field's addresses; empty unless senderFields is 1. */
  sender: string[];
}

/** Offset of the blank line ending the header block (after CRLFCRLF or LFLF), or the whole length. */
export function headerBlockEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  if (lf >= 0) return lf + 2;
  return raw.length;
}

function addresses(value: string): string[] {
  const out: string[] = [];
  const walk = (list: ReturnType<typeof addressparser>): void => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address) out.push(a.address);
    }
  };
  walk(addressparser(value));
  return out;
}

/** Unfolded values of the fields with this (lower-case) name, in header order. */
function values(raw: Buffer, fields: readonly HeaderField[], name: string): string[] {
  return fields.filter((f) => f.name === name).map((f) => fieldText(raw, f, 'utf8').value);
}

/**
 * The header facts from fields already split (by parseHeaderBlock at ingress, or headerFields). Ingress passes
 * `recipients: false`: To and Cc are only needed by the record stage, which reads them in the worker, so the cost of
 * parsing long address lists stays off the SMTP event loop.
 */
export function messageHeadersOf(
  raw: Buffer,
  fields: readonly HeaderField[],
  o: { recipients?: boolean } = {},
): MessageHeaders {
  const from = values(raw, fields, 'from').slice(0, 1).flatMap(addresses)[0];
  const rawSubject = values(raw, fields, 'subject')[0];
  const subject = rawSubject === undefined ? undefined : libmime.decodeWords(rawSubject);
  const messageId = values(raw, fields, 'message-id')[0];
  const recipients = o.recipients ?? true;
  return {
    from,
    to: recipients ? values(raw, fields, 'to').flatMap(addresses) : [],
    cc: recipients ? values(raw, fields, 'cc').flatMap(addresses) : [],
    subject,
    messageId: messageId ? messageId.replace(/^<|>$/g, '') : undefined,
  };
}

/** The From and Sender fields, for the author check (a second From field must not go unseen). */
export function authorHeadersOf(raw: Buffer, fields: readonly HeaderField[]): AuthorHeaders {
  const from = fields.filter((f) => f.name === 'from');
  const sender = fields.filter((f) => f.name === 'sender');
  const only = (list: HeaderField[]): string[] =>
    list.length === 1 ? addresses(fieldText(raw, list[0] as HeaderField, 'utf8').value) : [];
  return { fromFields: from.length, senderFields: sender.length, from: only(from), sender: only(sender) };
}

/**
 * The lenient reading, for a header block the service already checked or wrote itself (the record stage reads the
 * stored message's first 256 KiB, alert mail is composed here): lines end at LF, nothing is refused.
 */
export function parseMessageHeaders(raw: Buffer): MessageHeaders {
  return messageHeadersOf(raw, headerFields(raw, headerBlockEnd(raw)));
}
