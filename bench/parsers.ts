// The parsers of outside input, ordinary input vs the worst input we know for each, side by side in one run: time per
// MiB of input, and the ratio worst / ordinary (the target is at most 2: no input someone can craft costs much more
// than ordinary mail of the same size). Pure CPU, one process, no services. Run alone with `npx tsx bench/parsers.ts`
// or as the `parsers` section of bench/run.ts (BENCH_ONLY=parsers). Prints "P <progress>" lines and one "R <json>".
//
// Inputs are the size each parser really gets: header blocks and messages 1 MiB; one SMTP reply 4 KiB (every reply
// is cut to that before classification, so a longer one costs the same as a 4 KiB one); the DSN ordinary baseline
// is the real bounce corpus (../shared/corpus/bounces), the realistic mix the classifier is tuned on.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseHeaderBlock } from '../src/domain/mime/header-fields.js';
import { headerBlockEnd } from '../src/domain/mime/message-headers.js';
import { classifySmtpReply } from '../src/domain/bounces/classify-smtp-reply.js';
import { rewriteHtml } from '../src/domain/tracking/rewrite-html.js';
import { classifyRawBounce } from '../src/bounces/classify-raw-bounce.js';
import { parseBounceMime } from '../src/bounces/parse-mime.js';
import { personalizeCopy } from '../src/tracking/personalize-copy.js';
import { dkimSignCopy, type DkimKey } from '../src/sender-auth/dkim-sign.js';
import { generateDkimKey } from '../src/sender-auth/dkim-keys.js';
import { headerInputs } from '../test/helpers/hostile-inputs.js';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { applyDataDotsPatch } from '../src/smtp/data-dots-patch.js';

const MiB = 1024 * 1024;
const ROUND_MS = Number(process.env.BENCH_PARSERS_ROUND_MS ?? 300);

interface Input {
  name: string;
  bytes: number;
  run(): unknown;
}
export interface ParserFigure {
  parser: string;
  ordinary: string;
  ordinaryMsPerMiB: number;
  worst: string;
  worstMsPerMiB: number;
  ratio: number;
  inputBytes: number;
}

/** Median over 5 rounds of ms per MiB, each round repeating the call for at least ROUND_MS. */
async function msPerMiB(input: Input): Promise<number> {
  await input.run();
  const rounds: number[] = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < ROUND_MS || n < 2) {
      await input.run();
      n++;
      elapsed = performance.now() - start;
    }
    rounds.push(elapsed / n / (input.bytes / MiB));
  }
  rounds.sort((a, b) => a - b);
  return rounds[2]!;
}

const fill = (unit: string, bytes: number): string => unit.repeat(Math.max(1, Math.floor(bytes / unit.length)));

// ---- DSN classification -------------------------------------------------------------------------------------------

const corpusDir = path.resolve(process.env.BOUNCE_CORPUS ?? '../shared/corpus/bounces');

function corpusInput(): Input {
  const files = fs.existsSync(corpusDir)
    ? fs
        .readdirSync(corpusDir)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => fs.readFileSync(path.join(corpusDir, f)))
    : [];
  if (files.length === 0) throw new Error(`bounce corpus missing at ${corpusDir}`);
  return {
    name: `real bounce corpus (${files.length} messages)`,
    bytes: files.reduce((n, b) => n + b.length, 0),
    run: () => files.forEach((f) => classifyRawBounce(f)),
  };
}

/** The phrases the diagnostic table's gap patterns start with, repeated without what would complete them. */
const HOSTILE_DIAGNOSTIC =
  'client host rejected ptr dkim banned access denied rfc 822 score size limit exceeded unable to deliver temporarily disabled mail from your ip does not meet rejected because error code ';

function dsn(parts: { text: string; records: Array<{ rcpt: string; diag: string }> }): Buffer {
  return Buffer.from(
    [
      'From: MAILER-DAEMON@mx.dest.test',
      'To: bounces+x@bounces.example',
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: text/plain',
      '',
      parts.text,
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.dest.test',
      '',
      ...parts.records.map(
        (r) =>
          `Final-Recipient: rfc822; ${r.rcpt}\nAction: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 ${r.diag}\n`,
      ),
      '--B--',
      '',
    ].join('\n'),
    'latin1',
  );
}

export function hostileBounces(bytes: number): Array<{ name: string; raw: Buffer }> {
  const perRecord = Math.floor(bytes / 200);
  return [
    {
      name: 'one DSN record, hostile diagnostic',
      raw: dsn({ text: 'Delivery failed.', records: [{ rcpt: 'a@dest.test', diag: fill(HOSTILE_DIAGNOSTIC, bytes) }] }),
    },
    {
      name: '200 DSN records, hostile diagnostics',
      raw: dsn({
        text: 'Delivery failed.',
        records: Array.from({ length: 200 }, (_, i) => ({
          rcpt: `u${i}@dest.test`,
          diag: fill(HOSTILE_DIAGNOSTIC, perRecord),
        })),
      }),
    },
    {
      name: 'prose bounce, hostile text',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\nX-Failed-Recipients: a@dest.test\n\n${fill(HOSTILE_DIAGNOSTIC, bytes)}`,
        'latin1',
      ),
    },
    {
      name: 'prose bounce, local part with no @',
      raw: Buffer.from(`From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\n${'a'.repeat(bytes)}`, 'latin1'),
    },
    {
      name: 'html bounce, unclosed tags',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\nContent-Type: text/html\n\n${fill('<br', bytes)}`,
        'latin1',
      ),
    },
    {
      // blank lines: a pattern whose \s crosses line breaks from every line start would be quadratic here
      name: 'prose bounce, blank lines',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\na@dest.test\n${fill('\n ', bytes)}`,
        'latin1',
      ),
    },
    {
      // a failure stated, no recipient named: the whole notice is the returned message's one record, blank lines
      name: 'prose bounce, no recipient named, blank lines',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\nDelivery failed.\n${'\n'.repeat(bytes)}`,
        'latin1',
      ),
    },
    {
      // a recipient, then lines of blanks that a reply's head could be looked for in
      name: 'prose bounce, long blank lines',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\na@dest.test\n${fill(`${' '.repeat(8000)}x\n`, bytes)}`,
        'latin1',
      ),
    },
    {
      // an element tree would cost a walk up the open elements per tag here
      name: 'html bounce, nested unclosed divs',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\nContent-Type: text/html\n\n${fill('<div> ', bytes)}`,
        'latin1',
      ),
    },
    {
      name: 'rule line of dashes',
      raw: Buffer.from(`From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n\n${'-'.repeat(bytes)}`, 'latin1'),
    },
    {
      name: 'many tiny MIME parts',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nSubject: Undelivered Mail\nContent-Type: multipart/mixed; boundary="b"\n\n${fill('--b\n\nx\n', bytes)}--b--\n`,
        'latin1',
      ),
    },
    {
      // a trailing comment was stripped by a pattern that rescanned a run of blanks from each of them
      name: 'DSN address, a run of blanks',
      raw: dsn({ text: 'Delivery failed.', records: [{ rcpt: `a${' '.repeat(bytes - 400)}b@dest.test`, diag: 'x' }] }),
    },
    {
      // each delimiter is looked for with the boundary's length: a boundary of thousands would make it quadratic
      name: 'long boundaries, nested, near-miss lines',
      raw: Buffer.from(
        'From: MAILER-DAEMON@x\nSubject: Undelivered Mail\n' +
          Array.from(
            { length: 8 },
            (_, i) =>
              `Content-Type: multipart/mixed; boundary="${'a'.repeat(8000 - i)}"\n\n--${'a'.repeat(8000 - i)}\n`,
          ).join('') +
          `\nx${fill(`\n--${'a'.repeat(7990)}b`, bytes - 130_000)}\n`,
        'latin1',
      ),
    },
    {
      // the same words spread over the header blocks of many parts: the budget is the message's, not each block's
      name: 'encoded words over many parts',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\nContent-Type: multipart/mixed; boundary="b"\n\n${fill(`--b\n${fill(`Subject: ${fill('=?x?B?a?= =?x?Q?a?= ', 8180)}\n`, 57_000)}\nx\n`, bytes)}--b--\n`,
        'latin1',
      ),
    },
    {
      // RFC 2047 words cost about a microsecond a character to decode
      name: 'header of encoded words',
      raw: Buffer.from(
        `From: MAILER-DAEMON@x\n${fill(`Subject: ${fill('=?x?B?a?= =?x?Q?a?= ', 8180)}\n`, bytes)}\nDelivery failed.`,
        'latin1',
      ),
    },
  ];
}

// ---- SMTP replies -------------------------------------------------------------------------------------------------

const REPLY_BYTES = 4096;
const ORDINARY_REPLY = fill(
  '550-5.7.1 [192.0.2.1] The IP you are using to send mail is not authorized to send email directly to our servers. Please use the SMTP relay at your service provider instead. For more information, visit https://support.example.com/mail/answer/10336\r\n',
  REPLY_BYTES,
);
const HOSTILE_REPLY = `550 ${fill(HOSTILE_DIAGNOSTIC, REPLY_BYTES - 4)}`;
// the words that open the address rules' bounded gaps ("user ... unknown", "account ... disabled"), one after another
// and never closed: each is tried against every verdict up to its gap's end
const NOUN_REPLY = `550 ${fill('user account mailbox address recipient name alias ', REPLY_BYTES - 4)}`;
// ... and the same nouns joined in CamelCase, which matches nothing as written and is read a second time split
const JOINED_NOUN_REPLY = `550 ${fill('UserAccount MailboxAddress RecipientName Alias ', REPLY_BYTES - 4)}`;

// ---- HTML rewrite -------------------------------------------------------------------------------------------------

const ORDINARY_HTML_UNIT =
  '<tr><td style="padding:8px;font-family:Arial,sans-serif;font-size:14px;color:#333333">\n' +
  '  <p>Your order <b>#4711</b> has shipped. <a href="https://shop.example.com/orders/4711?utm_source=mail">Track it here</a>.</p>\n' +
  '  <img src="https://cdn.example.com/img/logo.png" width="120" height="40" alt="Shop">\n</td></tr>\n';

function htmlInput(name: string, html: string, maxLineLength?: number): Input {
  return {
    name,
    bytes: html.length,
    run: () =>
      rewriteHtml(html, {
        pixelUrl: 'https://t.example/t/o/x',
        clickUrl: (_u, i) => `https://t.example/t/c/${i}`,
        ...(maxLineLength ? { maxLineLength, newline: '\r\n' } : {}),
      }),
  };
}

/** A report whose one part, of `contentType`, is sent in base64. */
function base64Report(contentType: string, text: Buffer): Buffer {
  const encoded = text.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    `Content-Type: multipart/report; boundary="r"\r\n\r\n--r\r\nContent-Type: ${contentType}\r\nContent-Transfer-Encoding: base64\r\n\r\n${encoded}\r\n--r--\r\n`,
    'latin1',
  );
}

function mimeMessage(html: string): Buffer {
  return Buffer.from(
    `From: a@example.com\r\nTo: b@dest.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="alt"\r\n\r\n--alt\r\nContent-Type: text/plain\r\n\r\nHello\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}\r\n--alt--\r\n`,
    'latin1',
  );
}

/** The header block of a message built by the header generators, without the blank line that ends it. */
function headerBlockOf(raw: Buffer): string {
  return raw.toString('latin1', 0, headerBlockEnd(raw)).replace(/\r?\n$/, '');
}

/** A message whose one HTML part has `head` (CRLF-ended fields) after its Content-Type. */
function htmlPartWithHeader(head: string): Buffer {
  return Buffer.from(
    `From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="alt"\r\n\r\n--alt\r\nContent-Type: text/html\r\n${head}\r\n<a href="https://x.example/">x</a>\r\n--alt--\r\n`,
    'latin1',
  );
}

async function benchDkimKey(): Promise<DkimKey> {
  const key = await generateDkimKey(new Date());
  return { domain: 'example.com', selector: key.selector, privateKey: crypto.createPrivateKey(key.privateKeyPem) };
}

const copyOptions = {
  messageId: 'm1',
  recipient: 'b@dest.test',
  opens: true,
  clicks: true,
  publicUrl: 'https://t.example',
  secret: 'bench-secret-bench-secret',
};

// ---- the table ----------------------------------------------------------------------------------------------------

async function worstOf(inputs: Input[]): Promise<{ name: string; ms: number }> {
  let worst = { name: '', ms: -1 };
  for (const i of inputs) {
    const ms = await msPerMiB(i);
    console.log(`P     ${i.name}: ${ms.toFixed(1)} ms/MiB`);
    if (ms > worst.ms) worst = { name: i.name, ms };
  }
  return worst;
}

export async function measureParsers(): Promise<ParserFigure[]> {
  const figures: ParserFigure[] = [];
  const row = async (parser: string, ordinary: Input, worstInputs: Input[]): Promise<void> => {
    console.log(`P   ${parser}`);
    const o = await msPerMiB(ordinary);
    console.log(`P     ordinary, ${ordinary.name}: ${o.toFixed(1)} ms/MiB`);
    const w = await worstOf(worstInputs);
    figures.push({
      parser,
      ordinary: ordinary.name,
      ordinaryMsPerMiB: o,
      worst: w.name,
      worstMsPerMiB: w.ms,
      ratio: w.ms / o,
      inputBytes: worstInputs[0]!.bytes,
    });
  };

  const [ordinaryHeader, ...hostileHeaders] = headerInputs;
  const headerRun = (h: (typeof headerInputs)[number]): Input => {
    const raw = h.build(MiB);
    return { name: h.name, bytes: raw.length, run: () => parseHeaderBlock(raw) };
  };
  await row('header block (parseHeaderBlock)', headerRun(ordinaryHeader!), hostileHeaders.map(headerRun));

  await row(
    'DSN classification (classifyRawBounce)',
    corpusInput(),
    hostileBounces(MiB).map((b) => ({ name: b.name, bytes: b.raw.length, run: () => classifyRawBounce(b.raw) })),
  );

  await row(
    'SMTP reply classification (classifySmtpReply, 4 KiB)',
    {
      name: 'multi-line 5.7.1 reply',
      bytes: ORDINARY_REPLY.length,
      run: () => classifySmtpReply(550, null, ORDINARY_REPLY),
    },
    [
      {
        name: 'gap-pattern prefixes repeated',
        bytes: HOSTILE_REPLY.length,
        run: () => classifySmtpReply(550, null, HOSTILE_REPLY),
      },
      {
        name: 'address nouns repeated',
        bytes: NOUN_REPLY.length,
        run: () => classifySmtpReply(550, null, NOUN_REPLY),
      },
      {
        name: 'address nouns joined in CamelCase',
        bytes: JOINED_NOUN_REPLY.length,
        run: () => classifySmtpReply(550, null, JOINED_NOUN_REPLY),
      },
    ],
  );

  const ordinaryHtml = fill(ORDINARY_HTML_UNIT, MiB);
  await row('HTML rewrite (rewriteHtml)', htmlInput('newsletter markup, a link per 300 bytes', ordinaryHtml, 998), [
    htmlInput('one line of links, line-length check on', fill('<a href="https://x.example/">x</a>', MiB), 998),
    htmlInput('unclosed tags', fill('<a href="https://x.example/" ', MiB)),
    htmlInput('attribute storm in one tag', `<a ${fill('x=1 ', MiB)}href="https://x.example/">`),
    htmlInput('entities in a link', `<a href="https://x.example/${fill('&amp;', MiB)}">x</a>`),
  ]);

  const ordinaryMime = mimeMessage(ordinaryHtml);
  const walkWorst = [
    {
      name: 'many tiny parts',
      raw: Buffer.from(
        `Content-Type: multipart/mixed; boundary="b"\r\n\r\n${fill('--b\r\nContent-Type: text/html\r\n\r\n<a href="https://x.example/">x</a>\r\n', MiB)}--b--\r\n`,
        'latin1',
      ),
    },
    { name: 'html part of line breaks', raw: mimeMessage(`x${'\r\n'.repeat(MiB / 2)}y`) },
    // decoded parts have their line breaks normalised as the message's own are; UTF-16 text once decoded
    {
      name: 'base64 report part of line breaks',
      raw: base64Report('message/delivery-status', Buffer.from('\r\n'.repeat((MiB * 3) / 8))),
    },
    {
      name: 'UTF-16 part of line breaks',
      raw: base64Report('text/plain; charset=utf-16le', Buffer.from('\r\n'.repeat((MiB * 3) / 16), 'utf16le')),
    },
    {
      name: 'nested message/rfc822',
      raw: Buffer.from(fill('Content-Type: message/rfc822\r\n\r\n', MiB / 4) + 'x\r\n', 'latin1'),
    },
  ];
  await row(
    'MIME walk, bounce side (parseBounceMime)',
    {
      name: 'multipart/alternative with a 1 MiB html part',
      bytes: ordinaryMime.length,
      run: () => parseBounceMime(ordinaryMime),
    },
    walkWorst.map((w) => ({ name: w.name, bytes: w.raw.length, run: () => parseBounceMime(w.raw) })),
  );
  // A part's header lies in the body, which the ingress does not check: the hostile header blocks as an HTML part's
  // header, kept under the walk's 1 MiB header limit so that the part is read, not refused.
  const partHeaders = [
    ...hostileHeaders.map((h) => ({ name: `part header: ${h.name}`, head: headerBlockOf(h.build(0.9 * MiB)) })),
    {
      name: 'part header: a run of "(" in Content-Transfer-Encoding',
      head: `Content-Transfer-Encoding: 7bit ${fill('(', 0.9 * MiB)}\r\n`,
    },
  ];
  await row(
    'MIME walk + rewrite, per-recipient copy (personalizeCopy)',
    {
      name: 'multipart/alternative with a 1 MiB html part',
      bytes: ordinaryMime.length,
      run: () => personalizeCopy(ordinaryMime, copyOptions),
    },
    // mailsplit refuses some of these outright (EMAXLEN: too many child nodes): a refusal is timed like an answer
    [...walkWorst, ...partHeaders.map((p) => ({ name: p.name, raw: htmlPartWithHeader(p.head) }))].map((w) => ({
      name: w.name,
      bytes: w.raw.length,
      run: () => personalizeCopy(w.raw, copyOptions).catch((err: unknown) => err),
    })),
  );

  // Every recipient's copy is signed: the header blocks the ingress accepts, each as a whole message's header
  const dkimKey = await benchDkimKey();
  const signRun = (name: string, raw: Buffer): Input => ({
    name,
    bytes: raw.length,
    run: () => dkimSignCopy(raw, dkimKey, new Date()),
  });
  await row(
    'DKIM signing of a copy (dkimSignCopy)',
    signRun('ordinary header block of 1 MiB', ordinaryHeader!.build(MiB)),
    hostileHeaders
      .map((h) => ({ name: h.name, raw: h.build(MiB) }))
      .filter((h) => parseHeaderBlock(h.raw).ok)
      .map((h) => signRun(h.name, h.raw)),
  );
  // ... and its body is hashed: line ends and whitespace are what the canonicalization rewrites
  const withBody = (unit: string): Buffer =>
    Buffer.from(`From: a@example.com\r\nTo: b@dest.test\r\nSubject: x\r\n\r\n${fill(unit, MiB)}`, 'latin1');
  await row(
    'DKIM body hash of a copy (dkimSignCopy)',
    signRun('1 MiB of prose lines', withBody('Your invoice 2026-118 of 10 EUR is attached; thank you.\r\n')),
    [
      ['empty lines of bare LFs', '\n'],
      ['blank lines (a space, CRLF)', ' \r\n'],
      ['one-letter lines ending in bare LFs', 'x\n'],
      ['one-letter lines ending in bare CRs', 'x\r'],
      ['bare CRs', '\r'],
      ['tabs and spaces between letters', 'x\t \t'],
      ['spaces, no line end', ' '],
    ].map(([name, unit]) => signRun(name!, withBody(unit!))),
  );
  // DATA as our SMTP servers read it (smtp-server with the escape-dot patch), as sent (dot-stuffed), in 64 KiB chunks
  applyDataDotsPatch();
  const dataIn = (name: string, unit: string): Input => {
    const bytes = Buffer.from(`Subject: x\r\n\r\n${fill(unit, MiB)}\r\n.\r\n`, 'latin1');
    return { name, bytes: bytes.length, run: () => readData(bytes) };
  };
  await row(
    'SMTP DATA reader (smtp-server, escape dots patched)',
    dataIn('1 MiB of prose lines', 'Your invoice 2026-118 of 10 EUR is attached; thank you.\r\n'),
    [
      dataIn('lines of a single dot (on the wire "..")', '..\r\n'),
      dataIn('lines beginning with a dot (on the wire "..x")', '..x\r\n'),
      dataIn('bare LFs', '\n'),
      dataIn('bare CRs and dots', '\r.'),
    ],
  );
  return figures;
}

/** Feeds `bytes` (a DATA payload with its terminator) to a fresh SMTPStream in 64 KiB chunks; resolves at its end. */
function readData(bytes: Buffer): Promise<void> {
  const stream = new SMTPStream();
  const data = stream.startDataMode();
  data.resume();
  const ended = new Promise<void>((resolve) => data.on('end', () => resolve()));
  for (let at = 0; at < bytes.length; at += 64 * 1024) stream.write(bytes.subarray(at, at + 64 * 1024));
  return ended;
}

export function renderParsersTable(figures: readonly ParserFigure[]): string {
  const lines = [
    '| parser | ordinary input | ms/MiB | worst input known | ms/MiB | worst / ordinary |',
    '|---|---|---:|---|---:|---:|',
  ];
  for (const f of figures)
    lines.push(
      `| ${f.parser} | ${f.ordinary} | ${f.ordinaryMsPerMiB.toFixed(1)} | ${f.worst} | ${f.worstMsPerMiB.toFixed(1)} | ${f.ratio.toFixed(2)}${f.ratio > 2 ? ' (over 2)' : ''} |`,
    );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('bench/parsers.ts')) {
  const figures = await measureParsers();
  console.log(renderParsersTable(figures));
  console.log(`R ${JSON.stringify(figures)}`);
}
