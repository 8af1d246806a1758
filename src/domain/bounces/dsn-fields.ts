// RFC 3464 delivery-status fields: one per-message block, then one block per recipient. Real DSNs are loose about
// the blank lines between blocks, so a new recipient starts whenever a recipient field repeats.

export interface DsnRecipientFields {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  diagnosticCode?: string;
  /** The Diagnostic-Code's type ("smtp", "x-unix", "x-postfix"), lower case. */
  diagnosticType?: string;
  remoteMta?: string;
  /** The sending MTA's own category of the failure (PowerMTA's X-PowerMTA-BounceCategory), when it writes one. */
  bounceCategory?: string;
}

const FIELD = /^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$/;

/** The address alone: without the address-type ("rfc822;"), angle brackets, a display name or a trailing comment. */
export function dsnAddress(value: string): string {
  const v = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  // without a trailing comment ("a@b (Mail Box)"), and the address alone when it is bracketed after a name
  const bare = v.trim().replace(/\s*\([^()]*\)$/, '');
  return (/<([^<>]*)>/.exec(bare)?.[1] ?? bare).trim();
}

/** Drops the diagnostic-type ("smtp;", "X-Postfix;", "X-Notes;") so the reply text is left. */
function dsnDiagnostic(value: string): string {
  return value.replace(/^\s*[A-Za-z][A-Za-z0-9-]*\s*;\s*/, '').trim();
}

/** The per-recipient blocks of a delivery-status part, the first `limit` of them (the rest are not read). */
export function parseDsnFields(text: string, limit = Infinity): DsnRecipientFields[] {
  const out: DsnRecipientFields[] = [];
  let current: DsnRecipientFields = {};
  let last: keyof DsnRecipientFields | null = null;
  /** A field of the recipient's block (Action, Status, Diagnostic-Code) came after its Final-Recipient. */
  let fieldsAfterFinal = false;
  const flush = (): void => {
    if (current.finalRecipient || current.originalRecipient) out.push(current);
    current = {};
    fieldsAfterFinal = false;
  };
  for (const line of text.split('\n')) {
    if (out.length >= limit) break;
    if (/^[ \t]+\S/.test(line) && last) {
      // a folded continuation (Diagnostic-Code lines often are)
      current[last] = `${current[last] ?? ''} ${line.trim()}`;
      continue;
    }
    const m = FIELD.exec(line);
    if (!m) {
      last = null;
      continue;
    }
    const name = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    last = null;
    if (name === 'final-recipient' || name === 'original-recipient') {
      const key = name === 'final-recipient' ? 'finalRecipient' : 'originalRecipient';
      // an Original-Recipient after a block's Final-Recipient and its fields starts the next block; one right after
      // the Final-Recipient (Amazon SES writes "Action, Final-Recipient, Original-Recipient, ...") is the same block's
      if (current[key] !== undefined || (key === 'originalRecipient' && fieldsAfterFinal)) flush();
      current[key] = dsnAddress(value);
    } else if (name === 'action') {
      // a second Action is the next block's, whose recipient fields follow it (Amazon SES's order)
      if (current.action !== undefined) flush();
      current.action = value.toLowerCase();
      if (current.finalRecipient !== undefined) fieldsAfterFinal = true;
    } else if (name === 'status') {
      if (current.finalRecipient !== undefined) fieldsAfterFinal = true;
      // the code, without a trailing comment ("5.1.10 (host/domain does not accept mail)")
      current.status = /^[245]\.\d{1,3}\.\d{1,3}(?=$|[\s(;])/.exec(value)?.[0] ?? value;
    } else if (name === 'diagnostic-code') {
      if (current.finalRecipient !== undefined) fieldsAfterFinal = true;
      current.diagnosticCode = value;
      last = 'diagnosticCode';
    } else if (name === 'remote-mta') {
      current.remoteMta = dsnAddress(value);
    } else if (name === 'x-powermta-bouncecategory') {
      current.bounceCategory = value.slice(0, 64);
    }
  }
  if (out.length < limit) flush();
  for (const r of out) {
    if (r.diagnosticCode === undefined) continue;
    const type = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*;/.exec(r.diagnosticCode)?.[1];
    if (type) r.diagnosticType = type.toLowerCase();
    r.diagnosticCode = dsnDiagnostic(r.diagnosticCode);
  }
  return out;
}
