// Header blocks built to hurt a parser, for tests and for the parsers bench (ordinary vs worst, time per MiB).
// Every generator is deterministic: the same size gives the same bytes. `bytes` is the size of the whole message
// (header block, blank line, a short body), give or take one line.

const BODY = 'Hello.\r\n';

/** Repeats `unit` to fill about `bytes` bytes (at least once). */
function fill(unit: string, bytes: number): string {
  return unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));
}

function message(headers: string, body = BODY): Buffer {
  return Buffer.from(`${headers}\r\n${body}`, 'latin1');
}

export interface HeaderInput {
  name: string;
  /** What it attacks, for the bench's table. */
  targets: string;
  build(bytes: number): Buffer;
}

/** A realistic header block: trace lines, DKIM signature, MIME headers, an address list, repeated to the size. */
export function ordinaryHeaders(bytes: number): Buffer {
  const unit = [
    'Received: from app-7.example.com (app-7.example.com [192.0.2.7])\r\n\tby mx.example.com with ESMTPS id 4F1A2B3C4D\r\n\tfor <alice@dest.test>; Mon, 1 Jan 2024 12:00:00 +0000\r\n',
    'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;\r\n\th=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n\tb=dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZSBidXQgaXQgaXMgYXMgbG9uZyBhcyBvbmU=\r\n',
    'X-Mailer: app 1.2.3\r\n',
    'List-Unsubscribe: <https://example.com/u/abcdef>, <mailto:u@example.com>\r\n',
  ].join('');
  const head =
    'From: Billing <billing@example.com>\r\nTo: Alice <alice@dest.test>, bob@dest.test\r\nSubject: Invoice 42\r\n' +
    'Message-ID: <abc.123@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n';
  return message(head + fill(unit, bytes - head.length));
}

/** Lines without a colon: each line's colon search used to run to the end of the buffer (quadratic). */
export function colonLessLines(bytes: number): Buffer {
  return message('From: a@example.com\r\n' + fill(`${'a'.repeat(70)}\r\n`, bytes));
}

/** Lines without a colon and without a line break: one search over everything. */
export function oneColonLessLine(bytes: number): Buffer {
  return message('a'.repeat(Math.max(1, bytes)) + '\r\n');
}

/** One logical field of `bytes` bytes on a single line. */
export function oneLongField(bytes: number): Buffer {
  return message(`X-Long: ${'a'.repeat(Math.max(1, bytes))}\r\n`);
}

/** One field folded into many short continuation lines (a splice per line is quadratic). */
export function manyContinuations(bytes: number): Buffer {
  return message('X-Folded: a\r\n' + fill(' b\r\n', bytes));
}

/** Empty continuation lines only (whitespace then CRLF). */
export function blankContinuations(bytes: number): Buffer {
  return message('X-Folded: a\r\n' + fill(' \r\n', bytes));
}

/** The most fields per byte: `A:` lines. */
export function manyTinyFields(bytes: number): Buffer {
  return message(fill('A:\r\n', bytes));
}

/** A run of bare CRs (a `[\r\n]+$` regex backtracks quadratically over it). */
export function bareCrRun(bytes: number): Buffer {
  return message(`X-A: x${'\r'.repeat(Math.max(1, bytes))}y\r\n`);
}

/** Lines ended by bare LF only. */
export function bareLfLines(bytes: number): Buffer {
  return Buffer.from(fill('X-A: b\n', bytes) + '\nbody\n', 'latin1');
}

/** Many colons in one line (a parser that splits on every colon). */
export function manyColons(bytes: number): Buffer {
  return message(`X-Colons: ${':'.repeat(Math.max(1, bytes))}\r\n`);
}

/** A To field of many addresses, folded every 10 addresses (address parsing cost per byte). */
export function longAddressList(bytes: number): Buffer {
  return message(
    'From: a@example.com\r\nTo: ' +
      fill('a@dest.test, b@dest.test, c@dest.test, d@dest.test, e@dest.test,\r\n ', bytes) +
      'z@dest.test\r\n',
  );
}

/** Address syntax that makes a tokenizer work: nested comments, quotes and angle brackets, folded. */
export function hostileAddressSyntax(bytes: number): Buffer {
  return message('From: a@example.com\r\nTo: ' + fill('"x\\"(" <(c(d)@e> ((((a@b <,\r\n ', bytes) + 'z@dest.test\r\n');
}

/** A subject of encoded words, folded (RFC 2047 decoding cost per byte). */
export function encodedWordSubject(bytes: number): Buffer {
  return message(
    'From: a@example.com\r\nSubject: ' + fill('=?utf-8?q?=C3=A4a?= =?utf-8?b?w6Q=?=\r\n ', bytes) + 'end\r\n',
  );
}

/** No blank line at all: the whole message is a header block of ordinary-looking fields. */
export function noBodySeparator(bytes: number): Buffer {
  return Buffer.from(fill('X-Filler: abcdefghijklmnopqrstuvwxyz\r\n', bytes), 'latin1');
}

/**
 * Within every limit (so ingress accepts it): the From field as large as a field may be, a list of addresses of
 * example.com, then To fields of about 90 KiB each up to the size. The most address parsing an accepted message costs.
 */
export function acceptedAddressHeavy(bytes: number): Buffer {
  const list = (name: string, domain: string, fieldBytes: number): string =>
    `${name}: ${fill(`user@${domain},\r\n `, fieldBytes - 40)}last@${domain}\r\n`;
  const from = list('From', 'example.com', 100 * 1024);
  const to: string[] = [];
  for (let left = Math.min(bytes, 1000 * 1024) - from.length; left > 1024; left -= 90 * 1024)
    to.push(list('To', 'dest.test', Math.min(90 * 1024, left)));
  return message(from + to.join(''));
}

/**
 * Within every limit (so ingress accepts it): fields of about 90 KiB each, every one folded into continuation lines of
 * four bytes, up to the size. The most continuation lines an accepted header block holds (a splice per line is
 * quadratic, and DKIM signing reads every field of the copy it signs).
 */
export function acceptedFoldedFields(bytes: number): Buffer {
  const fields: string[] = ['From: a@example.com\r\n'];
  for (let left = Math.min(bytes, 1000 * 1024); left > 1024; left -= 90 * 1024)
    fields.push(`X-Folded: a\r\n${fill(' b\r\n', Math.min(90 * 1024, left))}`);
  return message(fields.join(''));
}

/** Every generator, the ordinary one first. */
export const headerInputs: readonly HeaderInput[] = [
  { name: 'ordinary', targets: 'baseline: realistic fields', build: ordinaryHeaders },
  { name: 'colon-less-lines', targets: 'colon search past the line', build: colonLessLines },
  { name: 'one-colon-less-line', targets: 'one search over the whole block', build: oneColonLessLine },
  { name: 'one-long-field', targets: 'per-field limit, unfolding', build: oneLongField },
  { name: 'many-continuations', targets: 'folding (splice per line)', build: manyContinuations },
  { name: 'blank-continuations', targets: 'folding of whitespace-only lines', build: blankContinuations },
  { name: 'many-tiny-fields', targets: 'field count', build: manyTinyFields },
  { name: 'bare-cr-run', targets: 'line-ending regexes', build: bareCrRun },
  { name: 'bare-lf-lines', targets: 'line-ending handling', build: bareLfLines },
  { name: 'many-colons', targets: 'splitting on colons', build: manyColons },
  { name: 'long-address-list', targets: 'address parsing', build: longAddressList },
  { name: 'hostile-address-syntax', targets: 'address tokenizer', build: hostileAddressSyntax },
  { name: 'encoded-word-subject', targets: 'RFC 2047 decoding', build: encodedWordSubject },
  { name: 'no-body-separator', targets: 'end-of-block search', build: noBodySeparator },
  {
    name: 'accepted-folded-fields',
    targets: 'folding of an accepted message (a splice per line)',
    build: acceptedFoldedFields,
  },
  {
    name: 'accepted-address-heavy',
    targets: 'address parsing of an accepted message (From, To)',
    build: acceptedAddressHeavy,
  },
];
