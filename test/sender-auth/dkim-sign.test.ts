import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { authenticate, type MailauthResolver } from 'mailauth';
import nodemailer from 'nodemailer';
import { dkimSignCopy } from '../../src/sender-auth/dkim-sign.js';
import { generateDkimKey } from '../../src/sender-auth/dkim-keys.js';
import { messageForData } from '../../src/smtp/message-for-data.js';
import { startDestinationSink } from '../helpers/destination-sink.js';

// The signer alone, checked by mailauth's verifier with an in-memory resolver: relaxed/relaxed passes through
// re-folding and trailing whitespace changes, fails for a changed body or header, and catches an added From; a body
// with bare line ends verifies as it arrives over SMTP.

const key = await generateDkimKey(new Date('2026-12-03T06:00:00Z'));
const resolver: MailauthResolver = async (name, type) => {
  if (type === 'TXT' && name === `${key.selector}._domainkey.shop.test`)
    return [[`v=DKIM1; k=rsa; p=${key.publicKey}`]];
  throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
};
const raw = Buffer.from(
  [
    'From: Shop <billing@shop.test>',
    'To: alice@dest.test',
    'Subject: Your invoice',
    'Date: Thu, 03 Dec 2026 06:00:00 +0000',
    'Message-ID: <1@shop.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'X-Unsigned: anything',
    '',
    'Amount due:  10 EUR  ',
    '',
    '',
  ].join('\r\n'),
);
const signed = await dkimSignCopy(
  raw,
  { domain: 'shop.test', selector: key.selector, privateKey: crypto.createPrivateKey(key.privateKeyPem) },
  new Date(),
);
const dkim = async (b: Buffer | string) =>
  (await authenticate(Buffer.from(b), { ip: '127.0.0.2', sender: 'x@shop.test', mta: 'mx', resolver })).dkim.results[0]
    ?.status.result;

test('the signature verifies, and relaxed canonicalization tolerates whitespace and folding changes', async () => {
  assert.equal(await dkim(signed), 'pass');
  const s = signed.toString('latin1');
  assert.equal(await dkim(s.replace('Subject: Your invoice', 'Subject:   Your\r\n  invoice')), 'pass');
  assert.equal(await dkim(s.replace('Amount due:  10 EUR  ', 'Amount due: 10 EUR')), 'pass');
  assert.equal(
    await dkim(s.replace('X-Unsigned: anything', 'X-Unsigned: changed')),
    'pass',
    'unsigned fields may change',
  );
  assert.equal(await dkim(`Received: from relay\r\n${s}`), 'pass', 'trace fields added on top');
});

test('a changed body, a changed signed field or an added From fails', async () => {
  const s = signed.toString('latin1');
  assert.notEqual(await dkim(s.replace('10 EUR', '99 EUR')), 'pass');
  assert.equal(await dkim(s.replace('Subject: Your invoice', 'Subject: Your refund')), 'fail');
  assert.equal(await dkim(`From: ceo@shop.test\r\n${s}`), 'fail');
});

test('folded signed fields, and a field of many continuation lines, sign as they are written', async () => {
  const folded = Buffer.from(
    [
      'From: Shop\r\n <billing@shop.test>',
      'To: alice@dest.test,\r\n\tbob@dest.test,\r\n carol@dest.test',
      'Subject: Your\r\n invoice',
      `X-Trace: a${'\r\n b'.repeat(20_000)}`,
      'Content-Type: text/plain;\r\n charset=utf-8',
      '',
      'Amount due: 10 EUR',
      '',
    ].join('\r\n'),
  );
  const key2 = { domain: 'shop.test', selector: key.selector, privateKey: crypto.createPrivateKey(key.privateKeyPem) };
  const copy = await dkimSignCopy(folded, key2, new Date());
  assert.match(copy.toString('latin1', 0, 400), /h=Content-Type: Subject: To: From: From;/);
  assert.equal(await dkim(copy), 'pass');
  const s = copy.toString('latin1');
  assert.equal(await dkim(s.replace('\tbob@dest.test', '\tmallory@dest.test')), 'fail', 'a folded line is signed');
});

test('bodies with bare CRs, bare LFs and whitespace at line ends verify as the receiver gets them over SMTP', async () => {
  // The copy is sent as the MDE and the relays send it; the sink receives what a destination would.
  const sink = await startDestinationSink({ starttls: false });
  const transport = nodemailer.createTransport({ host: sink.host, port: sink.port, ignoreTLS: true });
  try {
    const bodies = {
      'CRLF lines, whitespace in and at the end of them': 'Amount  due: \t10 EUR \r\n\r\nThanks\r\n',
      'bare LFs': 'Amount due:\n10 EUR \n\n Thanks\n',
      'bare CRs': 'Amount due:\r10 EUR \r\rThanks\r\n',
      'whitespace around a bare CR': 'Amount due: \r 10 EUR\r\n',
    };
    for (const [n, [name, body]] of Object.entries(bodies).entries()) {
      const copy = await dkimSignCopy(
        Buffer.from(`From: billing@shop.test\r\nTo: alice@dest.test\r\nSubject: Invoice\r\n\r\n${body}`, 'latin1'),
        { domain: 'shop.test', selector: key.selector, privateKey: crypto.createPrivateKey(key.privateKeyPem) },
        new Date(),
      );
      await transport.sendMail({
        envelope: { from: 'billing@shop.test', to: ['alice@dest.test'] },
        raw: messageForData(copy),
      });
      const arrived = await sink.waitForMessages(n + 1);
      assert.equal(await dkim(arrived[n]?.raw ?? ''), 'pass', name);
    }
  } finally {
    transport.close();
    await sink.close();
  }
});
