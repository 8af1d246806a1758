import mailsplit from 'mailsplit';
import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser';

// The few header facts the service keeps about a submitted message, read from its header block only (the body can be
// 25 MiB and is never needed here).

export interface MessageHeaders {
  from?: string;
  to: string[];
  cc: string[];
  subject?: string;
  messageId?: string;
}

/** Offset of the blank line ending the header block (after CRLFCRLF or LFLF), or the whole length. */
export function headerBlockEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  if (lf >= 0) return lf + 2;
  return raw.length;
}

function addresses(values: string[]): string[] {
  const out: string[] = [];
  const walk = (list: ReturnType<typeof addressparser>): void => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address) out.push(a.address);
    }
  };
  for (const v of values) walk(addressparser(v));
  return out;
}

function headerValues(headers: InstanceType<typeof mailsplit.Headers>, key: string): string[] {
  return headers.get(key).map((line) => line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]/g, ' ').trim());
}

export function parseMessageHeaders(raw: Buffer): MessageHeaders {
  const headers = new mailsplit.Headers(raw.subarray(0, headerBlockEnd(raw)));
  const from = addresses(headerValues(headers, 'from'))[0];
  const rawSubject = headerValues(headers, 'subject')[0];
  const subject = rawSubject === undefined ? undefined : libmime.decodeWords(rawSubject);
  const messageId = headerValues(headers, 'message-id')[0];
  return {
    from,
    to: addresses(headerValues(headers, 'to')),
    cc: addresses(headerValues(headers, 'cc')),
    subject,
    messageId: messageId ? messageId.replace(/^<|>$/g, '') : undefined,
  };
}
