// A bounce means the same whatever its line endings, however its report fields are folded, whoever the anonymised
// people, hosts and addresses in it are, and whatever its servers and mailboxes are called. Every corpus message is
// classified again after each such rewrite and must get the same reasons, hard flags, statuses and reply codes: a
// rule that leans on a sample's names or on where its lines happen to break would not hold on a bounce it has never
// seen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { classifyRawBounce } from '../../src/bounces/classify-raw-bounce.js';
import { parseBounceMime } from '../../src/bounces/parse-mime.js';
import { classifyBounce, type BounceReport } from '../../src/domain/bounces/classify-bounce.js';
import type { BounceMessage } from '../../src/domain/bounces/bounce-message.js';
import { mimeChunks } from '../tracking/mime-parts.js';
import { FOLDINGS, foldedProse } from '../helpers/fold-prose.js';

const corpus = path.resolve('../shared/corpus/bounces');

/** Per reported recipient, in order: what a user of the classification sees, without the address itself. */
function outcome(raw: Buffer): string[] {
  return outcomeOf(classifyRawBounce(raw));
}

function outcomeOf(report: BounceReport): string[] {
  if (report.kind === 'not_bounce') return ['not_bounce'];
  return report.recipients.map((r) => `${r.reason} hard=${r.hard} ${r.status} ${r.replycode}`);
}

/** The name of an RFC 3464 report field at the start of its line, and its colon. */
const REPORT_FIELD_NAME =
  /^(Reporting-MTA|Arrival-Date|Final-Recipient|Original-Recipient|Action|Status|Remote-MTA|Diagnostic-Code|Last-Attempt-Date|Will-Retry-Until):/gim;

/** A report field with its folded continuation lines (RFC 5322 folding: a line break before white space). */
const DIAGNOSTIC_FIELD = /^Diagnostic-Code:[^\n]*(?:\n[ \t][^\n]*)*/gim;

function refold(field: string, width: number): string {
  const words = field.replace(/\r?\n[ \t]+/g, ' ').split(' ');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = `    ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}

/**
 * A report's one-line SMTP reply ("smtp; 550 5.1.1 text") as the server could have sent it over three lines (RFC 5321
 * 4.2.1): each line opens with the code, "550-" on all but the last "550 ", and with the enhanced code when it has
 * one; lines break between any two words, as Gmail's do ("... Please try\n550-5.1.1 double-checking ..."). Not a reply
 * that quotes another one, whose codes would be split from their text.
 */
function asMultilineReply(field: string): string {
  const m = /^(Diagnostic-Code:[ \t]*smtp;[ \t]*)([245]\d\d)[ -](?:([245]\.\d{1,3}\.\d{1,3}) )?(.*)$/i.exec(
    field.replace(/\r?\n[ \t]+/g, ' '),
  );
  const words = m?.[4]!.trim().split(/\s+/) ?? [];
  if (!m || words.length < 4 || /\b[245]\d\d[ -]/.test(m[4]!)) return field;
  const perLine = Math.ceil(words.length / 3);
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += perLine) lines.push(words.slice(i, i + perLine).join(' '));
  const status = m[3] ? `${m[3]} ` : '';
  return m[1] + lines.map((l, i) => `${m[2]}${i < lines.length - 1 ? '-' : ' '}${status}${l}`).join('\n    ');
}

/**
 * The message with each report's reply quoted without the enhanced code that its Status field gives as well ("smtp;
 * 550 5.1.1 text" → "smtp; 550 text"), as relays that keep only the reply's first code quote it. Not a reply that
 * quotes another one.
 */
function enhancedCodeInStatusOnly(text: string): string {
  return text.replace(
    /^(Diagnostic-Code:[ \t]*smtp;[ \t]*[245]\d\d[ -])([245]\.\d{1,3}\.\d{1,3}) ([^\n]*(?:\n[ \t][^\n]*)*)/gim,
    (field, head: string, status: string, rest: string) =>
      new RegExp(`^Status:[ \\t]*${status.replace(/\./g, '\\.')}[ \\t]*$`, 'im').test(text) &&
      !/\b[245]\d\d[ -]/.test(rest)
        ? head + rest
        : field,
  );
}

// the upstream collection's stand-in names for people (local parts only: role addresses such as postmaster@ and
// MAILER-DAEMON@ mean something) and its documentation address ranges (RFC 5737)
const PEOPLE = /\b(kijitora|shironeko|sironeko|kuroneko|nekochan|neko|sabatora|nyaan)(?=@)/gi;

/** A dotted host name that is not part of an address, a URL path or a longer token. */
const HOST_NAME =
  /(?<![@\w.\-/=%])((?:[a-z0-9][a-z0-9-]*\.)+(?:com|net|org|jp|edu|uk|fr|de|example|cn|ca|it|us|cat|info|biz))\b(?![@\w-])/gi;

/** A Subject line, as a header field or in a notice's summary of the message (indented, bulleted, translated). */
const SUBJECT_LINE = /^([ \t>*-]*(?:Subject|Betreff|Objet|Asunto|Oggetto)[ \t]*:[ \t]*)[^\r\n]*/gim;
/** A From, To or Cc line naming one address, with or without a display name (a header field, or a notice's summary). */
const ADDRESS_LINE =
  /^([ \t>*-]*(From|To|Cc)[ \t]*:[ \t]*)(?:(?:"[^"\r\n]*"|[^"<>@\r\n]*)[ \t]*<([^\s<>@]+@[^\s<>]+)>|<?([^\s<>@]+@[^\s<>]+?)>?)[ \t]*$/gim;
/** What a transactional sender may well write: an alert about an account, a card, a mailbox. */
const FAILURE_SUBJECT = 'Your account is suspended: card blocked, mailbox full, message rejected as spam';

const REWRITES: Record<string, (text: string) => string> = {
  'CRLF line endings': (t) => t.replace(/\r?\n/g, '\r\n'),
  // a store or forwarder that leaves a blank line before the header
  'a blank line before the header': (t) => `\n${t}`,
  // ... or a line of spaces
  'a line of spaces before the header': (t) => `\n${' '.repeat(255)}\n${t}`,
  'other people': (t) => t.replace(PEOPLE, 'zq$1'),
  'other documentation addresses': (t) => t.replace(/\b192\.0\.2\.(\d{1,3})\b/g, '198.51.100.$1'),
  // ... and the same hosts on IPv6 (RFC 3849's documentation prefix), whose groups follow colons as a reply code can
  'documentation addresses in IPv6': (t) =>
    t.replace(/\b(?:192\.0\.2|198\.51\.100|203\.0\.113)\.(\d{1,3})\b/g, '2001:db8::$1'),
  // host names are names too, even when an administrator put words in them
  'server names with words in them': (t) => t.replace(HOST_NAME, 'mailfilter-blocked.$1'),
  'report fields folded narrowly': (t) => t.replace(DIAGNOSTIC_FIELD, (f) => refold(f, 34)),
  'a reply sent over several lines': (t) => t.replace(DIAGNOSTIC_FIELD, asMultilineReply),
  'the enhanced code in the Status field only': enhancedCodeInStatusOnly,
  'report fields unfolded': (t) => t.replace(DIAGNOSTIC_FIELD, (f) => f.replace(/\r?\n[ \t]+/g, ' ')),
  // white space a mailer or a relay leaves at the ends of lines: after a MIME boundary it is allowed (RFC 2046 5.1.1),
  // in quoted-printable it is padding the decoder drops (RFC 2045 6.7), in a field or a line of prose it means nothing
  'white space at the end of every line': (t) => t.replace(/\r?\n/g, ' $&'),
  // a report field's name apart from its colon, as RFC 5322's obsolete syntax allows (4.5.3)
  "a space before report fields' colons": (t) => t.replace(REPORT_FIELD_NAME, '$1 :'),
  // Remote-MTA is optional (RFC 3464 2.3.5), and many MTAs leave it out: the reply and the recipient still say who
  // answered
  'no Remote-MTA field': (t) => t.replace(/^Remote-MTA:[^\n]*\n(?:[ \t][^\n]*\n)*/gim, ''),
  // a report may carry extension fields (RFC 3464 2.4): Postfix's queue id and sender after a Reporting-MTA (a report's,
  // "dns;"; MailMarshal's prose uses the label too), Sendmail's X-Actual-Recipient and Exchange's X-Display-Name (the
  // recipient's name, whatever words someone gave it) after a Final-Recipient
  'extension fields in the report': (t) =>
    t
      .replace(
        /^(Reporting-MTA:[ \t]*dns;[^\n]*\n)/gim,
        '$1X-Postfix-Queue-ID: 4AbCdE12\nX-Postfix-Sender: rfc822; sender@relay.example.net\n',
      )
      .replace(
        /^(Final-Recipient:[^\n]*\n)/gim,
        `$1X-Actual-Recipient: rfc822; alias@relay.example.net\nX-Display-Name: ${FAILURE_SUBJECT}\n`,
      ),
  // the original's subject is the sender's words, whatever failure they name, wherever the notice repeats it (its
  // summary of the message, the returned copy); the first Subject is the notice's own
  'a subject naming failures': (t) => {
    let seen = 0;
    return t.replace(SUBJECT_LINE, (line, label: string) => (seen++ === 0 ? line : `${label}${FAILURE_SUBJECT}`));
  },
  // ... and so are the display names of its addresses; the first of each field is the notice's own header's
  'display names naming failures': (t) => {
    const seen = new Set<string>();
    return t.replace(ADDRESS_LINE, (line, label: string, field: string, named?: string, bare?: string) => {
      const first = !seen.has(field.toLowerCase());
      seen.add(field.toLowerCase());
      return first ? line : `${label}"${FAILURE_SUBJECT}" <${named ?? bare}>`;
    });
  },
};

test('classification does not change when a bounce is rewritten in ways that keep its meaning', () => {
  assert.ok(fs.existsSync(corpus), `bounce corpus missing at ${corpus}`);
  const files = fs.readdirSync(corpus).filter((f) => f.endsWith('.eml'));
  assert.ok(files.length > 200, `only ${files.length} corpus messages found`);
  const changed: string[] = [];
  let rewritten = 0;
  for (const file of files) {
    const raw = fs.readFileSync(path.join(corpus, file));
    // latin1 maps every byte to one character and back, so 8-bit bodies in any charset survive the round trip
    const text = raw.toString('latin1');
    const before = outcome(raw).join(' | ');
    for (const [name, rewrite] of Object.entries(REWRITES)) {
      const variant = rewrite(text);
      if (variant === text) continue;
      rewritten++;
      const after = outcome(Buffer.from(variant, 'latin1')).join(' | ');
      if (after !== before) changed.push(`${file} (${name}): ${before} → ${after}`);
    }
  }
  // every rewrite applies to most messages, so the comparison covers the corpus
  assert.ok(rewritten > files.length * 2, `only ${rewritten} rewritten messages`);
  assert.deepEqual(changed, []);
});

const escapeRegExp = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('a recipient reads the same whatever its mailbox is called', () => {
  // the local part is a name someone chose: "no-such-user@" or "rejected-by-the-filter@" says nothing of the failure
  const changed: string[] = [];
  let rewritten = 0;
  for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.eml'))) {
    const raw = fs.readFileSync(path.join(corpus, file));
    const report = classifyRawBounce(raw);
    let text = raw.toString('latin1');
    report.recipients.forEach((r, i) => {
      const at = r.recipient.lastIndexOf('@');
      if (at > 0)
        text = text.replace(new RegExp(escapeRegExp(r.recipient), 'gi'), `first.last+tag${i}${r.recipient.slice(at)}`);
    });
    if (text === raw.toString('latin1')) continue;
    rewritten++;
    const before = outcomeOf(report).join(' | ');
    const after = outcome(Buffer.from(text, 'latin1')).join(' | ');
    if (after !== before) changed.push(`${file}: ${before} → ${after}`);
  }
  assert.ok(rewritten > 200, `only ${rewritten} messages rewritten`);
  assert.deepEqual(changed, []);
});

const escapeHtml = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The message with its prose notice sent as HTML only, as Outlook and Gmail send theirs: escaped, each line ended by
 * <br> and a line break of the source. Parts that hold report fields or a JSON notification stay as they are.
 */
function asHtmlNotice(msg: BounceMessage): BounceMessage | null {
  const prose = (t: string): boolean => !/^final-recipient:/im.test(t) && !t.trimStart().startsWith('{');
  if (!msg.parts.some((p) => p.type === 'text/plain' && prose(p.text))) return null;
  return {
    ...msg,
    parts: msg.parts
      .filter((p) => p.type !== 'text/html')
      .map((p) =>
        p.type === 'text/plain' && prose(p.text)
          ? {
              ...p,
              type: 'text/html',
              text: `<html><body><p>${escapeHtml(p.text).replace(/\n/g, '<br>\n')}</p></body></html>`,
            }
          : p,
      ),
  };
}

/**
 * Every corpus message against its variants (a label and the rewritten message; none when a rewrite would not change
 * it): how many variants there were, and each whose outcome differs from the message's own.
 */
function variantDifferences(variants: (msg: BounceMessage) => Array<[string, BounceMessage]>): {
  compared: number;
  changed: string[];
} {
  const changed: string[] = [];
  let compared = 0;
  for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.eml'))) {
    const msg = parseBounceMime(fs.readFileSync(path.join(corpus, file)));
    const before = outcomeOf(classifyBounce(msg)).join(' | ');
    for (const [label, variant] of variants(msg)) {
      compared++;
      const after = outcomeOf(classifyBounce(variant)).join(' | ');
      if (after !== before) changed.push(`${file}${label}: ${before} → ${after}`);
    }
  }
  return { compared, changed };
}

test('a notice reads the same when it is sent as HTML only', () => {
  const { compared, changed } = variantDifferences((msg) => {
    const html = asHtmlNotice(msg);
    return html ? [['', html]] : [];
  });
  assert.ok(compared > 200, `only ${compared} notices converted`);
  assert.deepEqual(changed, []);
});

test('a notice reads the same when its plain alternative is only a stub beside its HTML', () => {
  // mailers whose notice is its HTML may give the plain alternative one line for readers without HTML
  const stub = { type: 'text/plain', headers: [], text: 'This is a message in HTML format.\n' };
  const { compared, changed } = variantDifferences((msg) => {
    const html = asHtmlNotice(msg);
    if (!html) return [];
    const first = html.parts.findIndex((p) => p.type === 'text/html');
    return [['', { ...html, parts: [...html.parts.slice(0, first), stub, ...html.parts.slice(first)] }]];
  });
  assert.ok(compared > 200, `only ${compared} notices converted`);
  assert.deepEqual(changed, []);
});

/**
 * Stamps scanning gateways and desktop antivirus put under the mail they pass, a notice they relay included, as their
 * vendors publish them: after a signature's separator (RFC 3676 4.3) or straight after the text.
 */
const SCANNER_STAMPS: Record<string, string> = {
  MailScanner:
    '\n-- \nThis message has been scanned for viruses and\ndangerous content by MailScanner, and is\nbelieved to be clean.\n',
  Mimecast:
    '\n-- \nThis email has been scanned for viruses and malware, and may have been automatically archived by Mimecast Ltd.\n',
  'Proofpoint Essentials':
    '\n\nThis email has been scanned for spam and viruses by Proofpoint Essentials. Click here to report this email as spam.\n',
  Websense: '\n\nThis message has been scanned for malware by Websense. www.websense.com\n',
  MailGuard:
    '\n\nMessage protected by MailGuard: e-mail anti-virus, anti-spam and content filtering.\nhttp://www.mailguard.com.au\n',
  AVG: '\n\nVirus-free. www.avg.com\n',
  'AVG, older':
    '\n\nNo virus found in this message.\nChecked by AVG - www.avg.com\nVersion: 2015.0.6140 / Virus Database: 4365/10123\n',
};

/** The message with `stamp` under its first prose part, null when it has none. */
function stamped(msg: BounceMessage, stamp: string): BounceMessage | null {
  const first = msg.parts.findIndex((p) => p.type === 'text/plain' && !/^final-recipient:/im.test(p.text));
  if (first < 0 || msg.parts[first]!.text.trimStart().startsWith('{')) return null;
  return { ...msg, parts: msg.parts.map((p, i) => (i === first ? { ...p, text: p.text + stamp } : p)) };
}

test("a notice reads the same with a scanning gateway's stamp under it", () => {
  // the stamp says a scan found nothing: its "viruses", "malware" and "spam" are no verdict on the message
  const { compared, changed } = variantDifferences((msg) =>
    Object.entries(SCANNER_STAMPS).flatMap(([name, stamp]): Array<[string, BounceMessage]> => {
      const variant = stamped(msg, stamp);
      return variant ? [[` (${name})`, variant]] : [];
    }),
  );
  assert.ok(compared > 7 * 150, `only ${compared} notices stamped`);
  assert.deepEqual(changed, []);
});

test('a notice reads the same when its prose lines are folded', () => {
  const { compared, changed } = variantDifferences((msg) =>
    FOLDINGS.map(([width, more]): [string, BounceMessage] => [
      ` (${width} columns, ${more} more spaces)`,
      foldedProse(msg, width, more),
    ]).filter(([, variant]) => variant.parts.some((p, i) => p.text !== msg.parts[i]!.text)),
  );
  assert.ok(compared > 500, `only ${compared} notices folded`);
  assert.deepEqual(changed, []);
});

/** A part's Content-Transfer-Encoding field, with its folded lines. */
const TRANSFER_ENCODING_FIELD = /^content-transfer-encoding:[^\n]*\n(?:[ \t][^\n]*\n)*/gim;

/** Quoted-printable (RFC 2045 6.7): the message's own line breaks kept, other bytes past ASCII or "=" escaped. */
function quotedPrintable(body: Buffer): string {
  return body
    .toString('latin1')
    .split(/(\r?\n)/)
    .map((piece, i) => {
      if (i % 2 === 1) return piece;
      const escaped = piece.replace(
        /[^\x20-\x3c\x3e-\x7e]|[ \t]$/g,
        (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      );
      return escaped.replace(/.{73}(?!$)/g, (line) => (/=.?$/.test(line) ? line : `${line}=\r\n`));
    })
    .join('');
}

/**
 * The message with each part of `types` sent in `encoding` (RFC 2045 6): the same bytes once decoded. Null when no
 * such part is left in its own bytes.
 */
async function transferEncoded(
  raw: Buffer,
  types: RegExp,
  encoding: 'base64' | 'quoted-printable',
): Promise<Buffer | null> {
  const chunks = await mimeChunks(raw);
  const out: Buffer[] = [];
  let changed = false;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    const head = chunk.bytes.toString('latin1');
    const eol = head.endsWith('\r\n\r\n') ? '\r\n' : '\n';
    if (
      chunk.kind !== 'headers' ||
      !types.test(chunk.contentType) ||
      !head.endsWith(eol + eol) ||
      /^content-transfer-encoding:[ \t]*(?:base64|quoted-printable)/im.test(head)
    ) {
      out.push(chunk.bytes);
      continue;
    }
    const body = chunks[i + 1]?.kind === 'body' ? chunks[++i]!.bytes : Buffer.alloc(0);
    const fields = head.replace(TRANSFER_ENCODING_FIELD, '').slice(0, -eol.length);
    const encoded =
      encoding === 'base64' ? body.toString('base64').replace(/.{76}(?!$)/g, '$&\r\n') : quotedPrintable(body);
    out.push(Buffer.from(`${fields}Content-Transfer-Encoding: ${encoding}${eol}${eol}${encoded}${eol}`, 'latin1'));
    changed = true;
  }
  return changed ? Buffer.concat(out) : null;
}

/** The parts a notice's meaning is read from: its prose, its report fields and the message it returns. */
const ENCODED_TYPES = /^(?:text\/plain|message\/(?:global-)?delivery-status|message\/rfc822|text\/rfc822-headers)$/;

test('a bounce reads the same when its parts are sent in base64 or quoted-printable', async () => {
  // senders encode a notice's parts as they like, the report fields and the attached message among them (RFC 6522
  // puts no limit on it): once decoded, they say the same
  const changed: string[] = [];
  let compared = 0;
  for (const file of fs.readdirSync(corpus).filter((f) => f.endsWith('.eml'))) {
    const raw = fs.readFileSync(path.join(corpus, file));
    const before = outcome(raw).join(' | ');
    for (const encoding of ['base64', 'quoted-printable'] as const) {
      const variant = await transferEncoded(raw, ENCODED_TYPES, encoding);
      if (!variant) continue;
      compared++;
      const after = outcome(variant).join(' | ');
      if (after !== before) changed.push(`${file} (${encoding}): ${before} → ${after}`);
    }
  }
  assert.ok(compared > 300, `only ${compared} messages re-encoded`);
  assert.deepEqual(changed, []);
});

test('a notice reads the same when its report is labelled as plain text', () => {
  // some MTAs, and gateways that rewrite parts, send the delivery-status fields as text/plain: the fields are still
  // the report's, and no words of a recipient's
  const { compared, changed } = variantDifferences((msg) =>
    msg.parts.some((p) => p.type === 'message/delivery-status')
      ? [
          [
            '',
            {
              ...msg,
              parts: msg.parts.map((p) => (p.type === 'message/delivery-status' ? { ...p, type: 'text/plain' } : p)),
            },
          ],
        ]
      : [],
  );
  assert.ok(compared > 100, `only ${compared} reports relabelled`);
  assert.deepEqual(changed, []);
});
