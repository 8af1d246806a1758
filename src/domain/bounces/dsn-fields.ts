// RFC 3464 delivery-status fields: one per-message block, then one block per recipient. Real DSNs are loose about
// the blank lines between blocks, so a new recipient starts whenever a recipient field repeats, and after a blank line
// that follows a recipient's fields, at a paragraph that names a recipient of its own (maddy writes each block's
// fields in reverse, its Final-Recipient last) or whenever a field that block already has comes again; a field the
// block lacks, in a paragraph naming nobody, still joins it (a stray blank line inside a block).
import { MAX_CLASSIFIED_TEXT, withoutTrailing } from './text-match.js';

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

/** Characters of an address field read: a path is at most 256 (RFC 5321 4.5.3.1.3), a display name or comment more. */
const MAX_ADDRESS_FIELD = 1024;

/** The address alone: without the address-type ("rfc822;"), angle brackets, a display name or a trailing comment. */
export function dsnAddress(value: string): string {
  const cut = value.slice(0, MAX_ADDRESS_FIELD);
  // after its address type ("rfc822;"), which some MTAs write twice ("rfc822; rfc822;a@b")
  let bare = cut.replace(/^(?:\s*[A-Za-z][\w-]{0,30}\s*;)+/, '').trim();
  // without a trailing comment ("a@b (Mail Box)"), found by index: /\s*\([^()]*\)$/ would rescan a run of blanks
  // from each of them
  const open = bare.endsWith(')') ? bare.lastIndexOf('(') : -1;
  if (open >= 0 && !bare.slice(open + 1, -1).includes(')')) bare = bare.slice(0, open).trimEnd();
  // the address alone when it is bracketed after a name, without the separator a list leaves after it ("a@b;"): no
  // address ends in one (RFC 5322 3.4.1: a domain's last character is a letter or digit, or "]" of a literal)
  return withoutTrailing((/<([^<>]*)>/.exec(bare)?.[1] ?? bare).trim(), ';,');
}

/** Drops the diagnostic-type ("smtp;", "X-Postfix;", "X-Notes;") so the reply text is left. */
function dsnDiagnostic(value: string): string {
  return value.replace(/^\s*[A-Za-z][A-Za-z0-9-]*\s*;\s*/, '').trim();
}

/** The per-recipient fields a block holds once: a second one after a blank line is the next block's. */
const FIELD_KEYS: ReadonlyMap<string, keyof DsnRecipientFields> = new Map([
  ['final-recipient', 'finalRecipient'],
  ['original-recipient', 'originalRecipient'],
  ['action', 'action'],
  ['status', 'status'],
  ['diagnostic-code', 'diagnosticCode'],
  ['remote-mta', 'remoteMta'],
]);

/** A field of a delivery report (RFC 3464 2.2, 2.3), its per-message Reporting-MTA or a recipient's. */
const REPORT_FIELD = new RegExp(`^(?:reporting-mta|${[...FIELD_KEYS.keys()].join('|')})\\s*:`, 'im');

/** The text holds a delivery report's field: a part holding none is no report, whatever its media type says. */
export function holdsReportField(text: string): boolean {
  return REPORT_FIELD.test(text);
}

/** Every field RFC 3464 defines: per message (2.2), and per recipient (2.3) besides the ones read above. */
const PER_MESSAGE_FIELDS = [
  'original-envelope-id',
  'reporting-mta',
  'dsn-gateway',
  'received-from-mta',
  'arrival-date',
];
const OTHER_RECIPIENT_FIELDS = ['last-attempt-date', 'final-log-id', 'will-retry-until'];

/** A line starting with any field RFC 3464 defines. */
const ANY_REPORT_FIELD = new RegExp(
  `^(?:${[...PER_MESSAGE_FIELDS, ...FIELD_KEYS.keys(), ...OTHER_RECIPIENT_FIELDS].join('|')})\\s*:`,
  'i',
);

/** The line is a delivery report's field (not one a copied message header also has). */
export function isReportFieldLine(line: string): boolean {
  return ANY_REPORT_FIELD.test(line);
}

/** A recipient field is among the lines from `start` up to the next blank line. */
function paragraphNamesRecipient(lines: readonly string[], start: number): boolean {
  for (let i = start; i < lines.length && lines[i]!.trim() !== ''; i++)
    if (RECIPIENT_FIELD.test(lines[i]!)) return true;
  return false;
}

const RECIPIENT_FIELD = /^(?:final|original)-recipient[ \t]*:/i;

/** The per-recipient blocks of a delivery-status part, the first `limit` of them (the rest are not read). */
export function parseDsnFields(text: string, limit = Infinity): DsnRecipientFields[] {
  const out: DsnRecipientFields[] = [];
  let current: DsnRecipientFields = {};
  /** A field of the recipient's block (Action, Status, Diagnostic-Code) came after its Final-Recipient. */
  let fieldsAfterFinal = false;
  /** A blank line came after the current recipient and something said of it. */
  let closed = false;
  const flush = (): void => {
    if (current.finalRecipient || current.originalRecipient) out.push(current);
    current = {};
    fieldsAfterFinal = false;
    closed = false;
  };
  /** The line before was the Diagnostic-Code's: a line that is no field goes on with it. */
  let inDiagnostic = false;
  /** The paragraph after the blank line that closed the block names a recipient of its own: it is the next block. */
  let nextNamesRecipient = false;
  // any field may be folded (RFC 5322 2.2.3): a long Final-Recipient or Remote-MTA as well as a Diagnostic-Code
  const lines = text.replace(/\n[ \t]+(?=\S)/g, ' ').split('\n');
  for (const [index, line] of lines.entries()) {
    if (out.length >= limit) break;
    if (line.trim() === '') {
      const recipient = current.finalRecipient ?? current.originalRecipient;
      if (recipient && (current.action || current.status || current.diagnosticCode)) {
        closed = true;
        nextNamesRecipient = paragraphNamesRecipient(lines, index + 1);
      }
      inDiagnostic = false;
      continue;
    }
    const m = FIELD.exec(line);
    // a reply some MTA (Google's among them) wrapped at a fixed width, mid-word and without the fold's indent: the
    // rest of the reply, not a field
    if (!m && inDiagnostic && current.diagnosticCode !== undefined) {
      // no more than is ever classified: a part of such lines cannot make the reply large
      if (current.diagnosticCode.length < MAX_CLASSIFIED_TEXT) current.diagnosticCode += line.trimEnd();
      continue;
    }
    inDiagnostic = false;
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    const key = FIELD_KEYS.get(name);
    if (closed && key) {
      if (current[key] !== undefined || nextNamesRecipient) flush();
      closed = false;
    }
    if (key === 'finalRecipient' || key === 'originalRecipient') {
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
      // untrimmed at its end: a continuation after a blank starts a new word
      current.diagnosticCode = m[2]!;
      inDiagnostic = true;
    } else if (name === 'remote-mta') {
      current.remoteMta = dsnAddress(value);
    } else if (name === 'x-exim-diagnostic' && current.diagnosticCode === undefined) {
      // Exim's own account of a failure that had no SMTP reply to quote ("X-Exim-Diagnostic: X-str; a TLS session is
      // required, but the server did not offer TLS support"): the recipient's diagnostic when no Diagnostic-Code is
      current.diagnosticCode = m[2]!;
      inDiagnostic = true;
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

/**
 * The text without the delivery-status fields an MTA pasted into it, which are read as the report's fields
 * (`reportPastedIn`): its prose alone, so that a recipient's words do not run on into the report's fields
 * ("Reporting-MTA: dns; ..." names no fault of DNS). A run of two or more field lines goes when one of them is the
 * report's (with the extension fields beside it, "X-Postfix-Sender: ..."), unless it names a recipient and nothing of
 * what happened, which only the prose around it can say; so do the report's per-message fields, which name only hosts
 * and dates. Another field line alone in prose stays ("Diagnostic-Code: ..." under a recipient's address, read as its
 * words).
 */
export function withoutPastedReport(text: string): string {
  if (!ANY_REPORT_FIELD_IN_TEXT.test(text)) return text;
  const kept: string[] = [];
  let run: string[] = [];
  const endRun = (): void => {
    const fields = run.filter((line) => FIELD.test(line));
    const pasted =
      fields.length > 0 &&
      (fields.every((line) => PER_MESSAGE_FIELD.test(line)) ||
        (fields.length > 1 &&
          fields.some((line) => ANY_REPORT_FIELD.test(line)) &&
          !parseDsnFields(run.join('\n')).some((r) => !r.status && !r.diagnosticCode)));
    if (!pasted) kept.push(...run);
    run = [];
  };
  for (const line of text.split('\n')) {
    if (FIELD.test(line) || (run.length > 0 && /^[ \t]+\S/.test(line))) run.push(line);
    else {
      endRun();
      kept.push(line);
    }
  }
  endRun();
  return kept.join('\n');
}

/** The text names a recipient in a report's field: an MTA may have pasted its report into it. */
export function namesReportRecipient(text: string): boolean {
  return RECIPIENT_FIELD_IN_TEXT.test(text);
}

/**
 * The recipients' blocks of a report an MTA pasted into a text part, not a part of its own: those that say what
 * happened (a Status or a Diagnostic-Code).
 */
export function reportPastedIn(text: string, limit: number): DsnRecipientFields[] {
  return parseDsnFields(text, limit).filter((r) => r.status || r.diagnosticCode);
}

const RECIPIENT_FIELD_IN_TEXT = new RegExp(RECIPIENT_FIELD.source, 'im');
const ANY_REPORT_FIELD_IN_TEXT = new RegExp(ANY_REPORT_FIELD.source, 'im');
const PER_MESSAGE_FIELD = new RegExp(`^(?:${PER_MESSAGE_FIELDS.join('|')})\\s*:`, 'i');
