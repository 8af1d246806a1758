import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorHeadersOf, parseMessageHeaders } from '../../src/domain/mime/message-headers.js';
import { parseHeaderBlock } from '../../src/domain/mime/header-fields.js';
import { classifyRecipients } from '../../src/domain/mime/recipient-kinds.js';
import { canTransition, deriveMessageStatus } from '../../src/domain/status.js';

const raw = Buffer.from(
  [
    'From: "Billing" <billing@example.com>',
    'To: Alice <alice@dest.test>, bob@dest.test',
    'Cc: Team: carol@dest.test, Dan <dan@dest.test>;',
    'Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz?=',
    'Message-ID: <abc.123@example.com>',
    '',
    'To: not-a-header@dest.test',
    '',
  ].join('\r\n'),
);

test('header facts are read from the header block only, with groups and encoded words', () => {
  const h = parseMessageHeaders(raw);
  assert.equal(h.from, 'billing@example.com');
  assert.deepEqual(h.to, ['alice@dest.test', 'bob@dest.test']);
  assert.deepEqual(h.cc, ['carol@dest.test', 'dan@dest.test']);
  assert.equal(h.subject, 'Rechnung für März');
  assert.equal(h.messageId, 'abc.123@example.com');
});

test('envelope recipients absent from To and Cc are Bcc', () => {
  const h = parseMessageHeaders(raw);
  const kinds = classifyRecipients(['ALICE@dest.test', 'carol@dest.test', 'eve@dest.test', 'eve@dest.test'], h);
  assert.deepEqual(kinds, [
    { address: 'ALICE@dest.test', kind: 'to' },
    { address: 'carol@dest.test', kind: 'cc' },
    { address: 'eve@dest.test', kind: 'bcc' },
  ]);
});

test('message status follows its recipients', () => {
  assert.equal(deriveMessageStatus(['delivered', 'delivered']), 'delivered');
  assert.equal(deriveMessageStatus(['delivered', 'bounced']), 'partial');
  assert.equal(deriveMessageStatus(['delivered', 'deferred']), 'deferred');
  assert.equal(deriveMessageStatus(['relayed', 'pending']), 'pending');
  assert.equal(canTransition('deferred', 'delivered'), true);
  assert.equal(canTransition('delivered', 'deferred'), false);
  assert.equal(canTransition('deferred', 'relayed'), false);
});

test('author headers: every From and Sender field is counted; addresses are read when there is exactly one', () => {
  const block = (s: string) => {
    const r = Buffer.from(s);
    const p = parseHeaderBlock(r);
    assert.ok(p.ok);
    return authorHeadersOf(r, p.fields);
  };
  assert.deepEqual(block('From: me@own.test, Team: a@own.test, ceo@victim.test;\r\nSender: <ops@own.test>\r\n\r\n'), {
    fromFields: 1,
    senderFields: 1,
    from: ['me@own.test', 'a@own.test', 'ceo@victim.test'],
    sender: ['ops@own.test'],
  });
  assert.deepEqual(block('From: me@own.test\r\nFROM : ceo@victim.test\r\n\r\n'), {
    fromFields: 2,
    senderFields: 0,
    from: [],
    sender: [],
  });
  // The lenient reading keeps the first From for the record (the strict check at ingress refused the rest).
  assert.equal(
    parseMessageHeaders(Buffer.from('From: me@own.test\r\nFrom: ceo@victim.test\r\n\r\n')).from,
    'me@own.test',
  );
});

test('the lenient reading of a long colon-less block finds no fields in it and keeps the facts around it', () => {
  const raw = Buffer.from(`Subject: s\r\n${`${'a'.repeat(70)}\r\n`.repeat(20_000)}From: me@own.test\r\n\r\nbody\r\n`);
  const h = parseMessageHeaders(raw);
  assert.equal(h.subject, 's');
  assert.equal(h.from, 'me@own.test');
});
