import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import { escapeAttribute, pixelTag } from '../../src/domain/tracking/rewrite-html.js';
import { personalizeCopy } from '../../src/tracking/personalize-copy.js';
import { trackingKeys, verifyToken, type TrackingToken } from '../../src/tracking/tokens.js';
import { mimeChunks } from './mime-parts.js';
import { mutateMessage } from '../helpers/mutate-message.js';
import { seededRandom } from '../helpers/seeded-random.js';

// personalizeCopy on real MIME built by nodemailer: only the HTML changes, each recipient gets its own tokens, and
// every other byte (headers, boundaries, text part, attachments) is identical to the input.

const secret = 'master-secret-for-tests';
const keys = trackingKeys(secret);
const publicUrl = 'https://track.example.net';
const attachment = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256));
const html =
  '<!DOCTYPE html><html><head><title>Hi</title></head><body style="margin:0">\n' +
  '<p>Caf\u00e9 news &amp; more</p>\n' +
  '<p><a href="https://example.com/one?a=1&amp;b=2">One</a> <a href="http://example.com/two">Two</a>\n' +
  '<a href="https://example.com/three" data-relay-notrack>Three (not tracked)</a> <a href="mailto:sales@example.com">Mail</a>\n' +
  '<a href="#top">Top</a> <a href="tel:+15550100">Call</a></p>\n</body></html>\n';
const text = 'Caf\u00e9 news & more\nOne: https://example.com/one?a=1&b=2\n';

async function compose(o: Mail.Options): Promise<Buffer> {
  return new MailComposer({
    from: 'news@example.com',
    to: 'ann@dest.test, bob@dest.test',
    subject: 'News',
    messageId: '<fixed@example.com>',
    date: new Date('2026-01-01T00:00:00Z'),
    ...o,
  })
    .compile()
    .build();
}

const trackingRe = /https:\/\/track\.example\.net\/t\/([oc])\/([A-Za-z0-9_-]+)/g;

/** The tokens in a decoded HTML body, verified. */
function tokensIn(decodedHtml: string): TrackingToken[] {
  return [...decodedHtml.matchAll(trackingRe)].map((m) => {
    const t = verifyToken(keys, m[2]!);
    assert.ok(t, `token ${m[2]} verifies`);
    assert.equal(t.kind, m[1] === 'o' ? 'open' : 'click');
    return t;
  });
}

/** Undoes the rewrite on a decoded HTML body: must give back the original HTML exactly. */
function undo(decodedHtml: string): string {
  let out = decodedHtml;
  for (const m of decodedHtml.matchAll(trackingRe)) {
    const t = verifyToken(keys, m[2]!)!;
    out = t.kind === 'open' ? out.replace(pixelTag(m[0]), '') : out.replace(`"${m[0]}"`, `"${escapeAttribute(t.url)}"`);
  }
  return out;
}

/** Asserts that everything but the bodies of text/html parts is byte-identical, and returns the HTML bodies. */
async function assertOnlyHtmlChanged(input: Buffer, output: Buffer): Promise<Array<{ before: Buffer; after: Buffer }>> {
  const a = await mimeChunks(input);
  const b = await mimeChunks(output);
  assert.equal(b.length, a.length, 'same MIME structure');
  const html: Array<{ before: Buffer; after: Buffer }> = [];
  a.forEach((chunk, i) => {
    const other = b[i]!;
    assert.equal(other.kind, chunk.kind);
    if (chunk.kind === 'body' && chunk.contentType === 'text/html')
      html.push({ before: chunk.bytes, after: other.bytes });
    else
      assert.ok(
        other.bytes.equals(chunk.bytes),
        `chunk ${i} (${chunk.kind} of ${chunk.contentType || 'boundary'}) is byte-identical`,
      );
  });
  return html;
}

for (const encoding of ['quoted-printable', 'base64'] as const) {
  test(`HTML+text alternative with an attachment (${encoding}): per-recipient tokens, everything else byte-identical`, async () => {
    const raw = await compose({
      text,
      html,
      textEncoding: encoding,
      attachments: [{ filename: 'report.bin', content: attachment }],
    });
    const parsedIn = await simpleParser(raw);
    const copies = new Map<string, Buffer>();
    for (const recipient of ['ann@dest.test', 'bob@dest.test']) {
      const out = await personalizeCopy(raw, {
        messageId: 'msg1',
        recipient,
        opens: true,
        clicks: true,
        publicUrl,
        secret,
      });
      copies.set(recipient, out);
      const parts = await assertOnlyHtmlChanged(raw, out);
      assert.equal(parts.length, 1);
      const parsed = await simpleParser(out);
      assert.equal(parsed.text, parsedIn.text, 'text part');
      assert.equal(parsed.attachments.length, 1);
      assert.ok(parsed.attachments[0]!.content.equals(attachment), 'attachment bytes');
      // The HTML part keeps its transfer encoding.
      assert.match(
        out.toString('latin1'),
        new RegExp(`Content-Type: text/html; charset=utf-8\\r\\nContent-Transfer-Encoding: ${encoding}`),
      );
      const outHtml = parsed.html as string;
      const tokens = tokensIn(outHtml);
      assert.deepEqual(tokens, [
        { kind: 'click', messageId: 'msg1', recipient, url: 'https://example.com/one?a=1&b=2' },
        { kind: 'click', messageId: 'msg1', recipient, url: 'http://example.com/two' },
        { kind: 'open', messageId: 'msg1', recipient },
      ]);
      assert.match(
        outHtml,
        /<img src="https:\/\/track\.example\.net\/t\/o\/[A-Za-z0-9_-]+" width="1" height="1" alt="" style="[^"]*" \/><\/body><\/html>/,
      );
      assert.equal(undo(outHtml), parsedIn.html, 'the rest of the HTML is as written');
    }
    assert.notEqual(copies.get('ann@dest.test')!.toString(), copies.get('bob@dest.test')!.toString());
  });
}

test('nested multipart/mixed > multipart/alternative, with inline image and a second attachment', async () => {
  const raw = await compose({
    text,
    html: html.replace('</p>', '<img src="cid:logo@x"></p>'),
    attachments: [
      { filename: 'logo.png', content: Buffer.from('89504e470d0a1a0a0000', 'hex'), cid: 'logo@x' },
      { filename: 'a.txt', content: 'plain attachment with https://example.com/not-a-link\n' },
      {
        filename: 'page.html',
        content: '<a href="https://example.com/attached">attached page</a>',
        contentType: 'text/html',
      },
    ],
  });
  const tree = await simpleParser(raw);
  assert.equal(tree.attachments.length, 3);
  const out = await personalizeCopy(raw, {
    messageId: 'msg2',
    recipient: 'ann@dest.test',
    opens: true,
    clicks: true,
    publicUrl,
    secret,
  });
  const parts = await assertOnlyHtmlChanged(raw, out);
  // Two text/html bodies: the message's HTML (rewritten) and the attached page (left alone: an attachment).
  assert.equal(parts.length, 2);
  assert.ok(!parts[0]!.after.equals(parts[0]!.before));
  assert.ok(parts[1]!.after.equals(parts[1]!.before), 'an attached HTML file is not rewritten');
  const parsed = await simpleParser(out);
  assert.equal(tokensIn(parsed.html as string).length, 3);
  for (const [i, a] of parsed.attachments.entries()) assert.ok(a.content.equals(tree.attachments[i]!.content));
});

/** Quoted-printable by hand (lines are short here, so no soft breaks are needed). */
const qp = (bytes: Buffer): string =>
  [...bytes]
    .map((b) =>
      b >= 0x80 || b === 0x3d ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b),
    )
    .join('');

test('a non-UTF-8 charset (ISO-8859-1, quoted-printable) stays in its charset', async () => {
  const latin1Html =
    '<html><body><p>Ol\u00e9, se\u00f1or: <a href="https://example.com/\u00e9t\u00e9">\u00e9t\u00e9</a></p></body></html>';
  const raw = Buffer.from(
    [
      'From: news@example.com',
      'To: bob@dest.test',
      'Subject: =?iso-8859-1?Q?Ol=E9?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=iso-8859-1',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      qp(Buffer.from('Ol\u00e9, se\u00f1or', 'latin1')),
      '--b1',
      'Content-Type: text/html; charset="ISO-8859-1"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      qp(Buffer.from(latin1Html, 'latin1')),
      '--b1--',
      '',
    ].join('\r\n'),
    'latin1',
  );
  const out = await personalizeCopy(raw, {
    messageId: 'msg3',
    recipient: 'bob@dest.test',
    opens: true,
    clicks: true,
    publicUrl,
    secret,
  });
  await assertOnlyHtmlChanged(raw, out);
  assert.match(
    out.toString('latin1'),
    /Content-Type: text\/html; charset="ISO-8859-1"\r\nContent-Transfer-Encoding: quoted-printable\r\n/,
  );
  assert.match(out.toString('latin1'), /<p>Ol=E9, se=F1or: /, 'still ISO-8859-1 bytes, quoted-printable');
  const parsed = await simpleParser(out);
  assert.equal(parsed.text, 'Ol\u00e9, se\u00f1or');
  const tokens = tokensIn(parsed.html as string);
  assert.deepEqual(tokens[0], {
    kind: 'click',
    messageId: 'msg3',
    recipient: 'bob@dest.test',
    url: 'https://example.com/\u00e9t\u00e9',
  });
  assert.equal(undo(parsed.html as string), latin1Html);
});

test('a windows-1252 base64 part with LF line ends keeps its charset, encoding and line ends', async () => {
  // <p>“Quoted” €5 <a href="https://example.com/€">x</a></p></body> in windows-1252 bytes.
  const bytes = Buffer.concat([
    Buffer.from('<p>'),
    Buffer.from([0x93]),
    Buffer.from('Quoted'),
    Buffer.from([0x94, 0x20, 0x80]),
    Buffer.from('5 <a href="https://example.com/'),
    Buffer.from([0x80]),
    Buffer.from('">x</a></p>\n</body>'),
  ]);
  const b64 = bytes.toString('base64').replace(/.{1,20}/g, '$&\n');
  const raw = Buffer.from(
    `From: a@example.com\nTo: b@dest.test\nSubject: x\nMIME-Version: 1.0\nContent-Type: text/html; charset=windows-1252\nContent-Transfer-Encoding: base64\n\n${b64}`,
    'latin1',
  );
  const out = await personalizeCopy(raw, {
    messageId: 'msg6',
    recipient: 'b@dest.test',
    opens: true,
    clicks: true,
    publicUrl,
    secret,
  });
  await assertOnlyHtmlChanged(raw, out);
  const s = out.toString('latin1');
  assert.ok(!s.includes('\r'), 'LF line ends kept');
  assert.match(
    s,
    /Content-Type: text\/html; charset=windows-1252\nContent-Transfer-Encoding: base64\n\n([A-Za-z0-9+/=]+\n)+$/,
    'base64 body ending with its line break',
  );
  const body = Buffer.from(s.slice(s.indexOf('\n\n') + 2), 'base64').toString('latin1');
  assert.deepEqual(tokensIn(body), [
    { kind: 'click', messageId: 'msg6', recipient: 'b@dest.test', url: 'https://example.com/\u20ac' },
    { kind: 'open', messageId: 'msg6', recipient: 'b@dest.test' },
  ]);
  // Undo with the link's original bytes: the rest of the part is byte for byte what it was.
  const restored = body
    .replace(/"https:\/\/track\.example\.net\/t\/c\/[A-Za-z0-9_-]+"/, '"https://example.com/\x80"')
    .replace(/<img src="https:\/\/track[^>]+>/, '');
  assert.equal(restored, bytes.toString('latin1'));
});

test('a single-part 8bit HTML message without </body>: the pixel goes at the end', async () => {
  const head =
    'From: news@example.com\r\nTo: ann@dest.test\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n';
  const raw = Buffer.from(`${head}<p>Gr\u00fc\u00dfe <a href="https://example.com/">x</a></p>\r\n`, 'utf8');
  const out = await personalizeCopy(raw, {
    messageId: 'msg4',
    recipient: 'ann@dest.test',
    opens: true,
    clicks: false,
    publicUrl,
    secret,
  });
  const s = out.toString('utf8');
  assert.ok(s.startsWith(head), 'headers unchanged');
  assert.match(
    s,
    /<p>Gr\u00fc\u00dfe <a href="https:\/\/example\.com\/">x<\/a><\/p><img src="https:\/\/track\.example\.net\/t\/o\/[A-Za-z0-9_-]+"[^>]*\/>\r\n$/,
  );
});

test('opens and clicks both off return the input itself; a message without HTML comes back byte-identical', async () => {
  const raw = await compose({ text, html, attachments: [{ filename: 'r.bin', content: attachment }] });
  assert.equal(
    await personalizeCopy(raw, {
      messageId: 'm',
      recipient: 'a@x.test',
      opens: false,
      clicks: false,
      publicUrl,
      secret,
    }),
    raw,
  );
  const textOnly = await compose({ text, attachments: [{ filename: 'r.bin', content: attachment }] });
  const out = await personalizeCopy(textOnly, {
    messageId: 'm',
    recipient: 'a@x.test',
    opens: true,
    clicks: true,
    publicUrl,
    secret,
  });
  assert.ok(out.equals(textOnly));
});

test('clicks only: links rewritten, no pixel', async () => {
  const raw = await compose({ html });
  const out = await personalizeCopy(raw, {
    messageId: 'm5',
    recipient: 'a@x.test',
    opens: false,
    clicks: true,
    publicUrl,
    secret,
  });
  const tokens = tokensIn((await simpleParser(out)).html as string);
  assert.deepEqual(
    tokens.map((t) => t.kind),
    ['click', 'click'],
  );
});

test('a forwarded message (message/rfc822) inside is kept byte for byte, even its HTML', async () => {
  const inner = await compose({ html: '<a href="https://example.com/inner">inner</a>' });
  for (const disposition of ['attachment', 'inline'] as const) {
    const raw = await compose({
      html,
      attachments: [
        {
          filename: 'fwd.eml',
          content: inner,
          contentType: 'message/rfc822',
          contentDisposition: disposition,
          encoding: '8bit',
        } as Mail.Attachment,
      ],
    });
    const out = await personalizeCopy(raw, {
      messageId: 'm7',
      recipient: 'a@x.test',
      opens: true,
      clicks: true,
      publicUrl,
      secret,
    });
    const parts = await assertOnlyHtmlChanged(raw, out);
    assert.equal(parts.length, 1, 'only the outer HTML is a text/html part');
    assert.ok(out.includes(inner), `the ${disposition} forwarded message is intact`);
  }
});

test('hand-written MIME: transport padding after delimiters, an HTML part of line breaks, bytes around it kept', async () => {
  const head =
    'Content-Type: multipart/alternative; boundary="b"\r\n\r\npreamble\r\n--b  \r\nContent-Type: text/plain\r\n\r\nplain\r\n--b\t\r\nContent-Type: text/html\r\n\r\n';
  const tail = '\r\n--b-- \r\nepilogue\r\n';
  const raw = Buffer.from(head + '<a href="https://example.com/x">x</a>' + '\r\n'.repeat(5000) + tail, 'latin1');
  const out = await personalizeCopy(raw, {
    messageId: 'm8',
    recipient: 'a@x.test',
    opens: true,
    clicks: true,
    publicUrl,
    secret,
  });
  const s = out.toString('latin1');
  assert.ok(s.startsWith(head), 'headers, preamble, the text part and padded delimiters are kept');
  assert.ok(s.endsWith(tail), 'the close delimiter and epilogue are kept');
  assert.ok(!s.includes('href="https://example.com/x"'), 'the link is rewritten');
  assert.ok(s.includes(`${publicUrl}/t/o/`), 'the pixel is added');
});

test("past the walk's bounds (1,000 MIME parts, a part header of more fields than a message may have) a message is refused, then sent untracked", async () => {
  const multipart = (parts: string): Buffer =>
    Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${parts}--b--\r\n`, 'latin1');
  const htmlPart = '--b\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n';
  const manyParts = (n: number): Buffer =>
    multipart('--b\r\nContent-Type: text/plain\r\n\r\nx\r\n'.repeat(n) + htmlPart);
  const manyFields = (n: number): Buffer =>
    multipart(`--b\r\nContent-Type: text/html\r\n${'A: 1\r\n'.repeat(n)}\r\n<p>hi</p>\r\n`);
  const bounds: Array<[(n: number) => Buffer, number, number, RegExp]> = [
    [manyParts, 990, 1000, /child nodes/],
    [manyFields, 9_998, 10_000, /header fields/],
  ];
  const o = { messageId: 'm9', recipient: 'a@x.test', opens: true, clicks: false, publicUrl, secret };
  for (const [build, within, past, refusal] of bounds) {
    assert.ok((await personalizeCopy(build(within), o)).includes(`${publicUrl}/t/o/`));
    await assert.rejects(personalizeCopy(build(past), o), refusal);
  }
});

test("a part's header is read for its MIME fields only: crafted runs in it leave the HTML part tracked", async () => {
  // A part's header lies in the body, which the ingress never checks. No timing here: before, the first of these
  // took mailsplit's header parsing more than ten minutes (the test run's timeout is the bound).
  const headers = [
    // other fields, and a run of bare CRs inside one of them
    `X-Trace: a${'\r'.repeat(900 * 1024)}b\r\nContent-Type: text/html\r\n`,
    // the encoding's mechanism, after a comment, then a run of "(" that opens no comment anyone closes
    `Content-Type: text/html\r\nContent-Transfer-Encoding: (sent as is) 7bit ${'('.repeat(512 * 1024)}\r\n`,
    // the MIME fields folded, and a field of a thousand continuation lines
    `Content-Type:\r\n text/html;\r\n charset=utf-8\r\nX-Folded: a${'\r\n b'.repeat(1000)}\r\n`,
  ];
  const o = { messageId: 'm10', recipient: 'a@x.test', opens: true, clicks: true, publicUrl, secret };
  for (const header of headers) {
    const raw = Buffer.from(
      `Content-Type: multipart/alternative; boundary="b"\r\n\r\n--b\r\n${header}\r\n` +
        '<a href="https://example.com/x">x</a>\r\n--b--\r\n',
      'latin1',
    );
    const s = (await personalizeCopy(raw, o)).toString('latin1');
    assert.ok(s.includes(`--b\r\n${header}\r\n`), 'the part header is copied as it came');
    assert.ok(!s.includes('href="https://example.com/x"'), `the link is rewritten (${header.slice(0, 40)}...)`);
    assert.ok(s.includes(`${publicUrl}/t/o/`), 'the pixel is added');
  }
});

test('a damaged message is copied, or refused as the walk refuses (then sent untracked); without HTML it is kept', async () => {
  const seeds = [
    await compose({ text, html, textEncoding: 'quoted-printable' }),
    await compose({ html, textEncoding: 'base64', attachments: [{ filename: 'report.bin', content: attachment }] }),
    await compose({ text, html, alternatives: [{ contentType: 'text/html', content: html }] }),
    await compose({ text }),
  ];
  const random = seededRandom(20261207);
  const o = { messageId: 'm12', recipient: 'a@x.test', opens: true, clicks: true, publicUrl, secret };
  for (let i = 0; i < 1500; i++) {
    const raw = mutateMessage(seeds[Math.floor(random() * seeds.length)]!, seeds, random);
    const copy = await personalizeCopy(raw, o).catch((err: unknown) => err);
    if (copy instanceof Error) {
      assert.equal((copy as Error & { code?: string }).code, 'EMAXLEN', `message ${i}: ${copy.message}`);
      continue;
    }
    assert.ok(Buffer.isBuffer(copy), `message ${i}`);
    if (!/text\/html/i.test(raw.toString('latin1'))) assert.ok(copy.equals(raw), `message ${i}: no HTML, kept as is`);
  }
});
