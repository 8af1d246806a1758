import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessageHeaders } from '../../src/domain/mime/message-headers.js';
import { classifyRecipients } from '../../src/domain/mime/recipient-kinds.js';
import { canTransition, deriveMessageStatus } from '../../src/domain/status.js';
import { selectRelay } from '../../src/domain/mde/select-relay.js';

const raw = Buffer.from([
  'From: "Billing" <billing@example.com>',
  'To: Alice <alice@dest.test>, bob@dest.test',
  'Cc: Team: carol@dest.test, Dan <dan@dest.test>;',
  'Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz?=',
  'Message-ID: <abc.123@example.com>',
  '',
  'To: not-a-header@dest.test',
  '',
].join('\r\n'));

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

test('relay selection is deterministic, skips unhealthy and failed relays, and explains itself', () => {
  const relays = [
    { id: 'relay-1', sourceIp: '127.0.0.2', healthy: true },
    { id: 'relay-2', sourceIp: '127.0.0.3', healthy: true },
    { id: 'relay-3', sourceIp: '127.0.0.4', healthy: false },
  ];
  const first = selectRelay('m1', relays);
  assert.equal(selectRelay('m1', [...relays].reverse()).chosen?.id, first.chosen?.id);
  assert.notEqual(first.chosen?.id, 'relay-3');
  const other = selectRelay('m1', relays, [first.chosen!.id]);
  assert.ok(other.chosen && other.chosen.id !== first.chosen?.id && other.chosen.id !== 'relay-3');
  assert.deepEqual(other.rejected.map((r) => r.id).sort(), [first.chosen!.id, 'relay-3'].sort());
  assert.equal(selectRelay('m1', relays, ['relay-1', 'relay-2']).chosen, undefined);
  // Spread: over many messages both healthy relays get work.
  const counts = new Map<string, number>();
  for (let i = 0; i < 200; i++) { const id = selectRelay(`msg-${i}`, relays).chosen!.id; counts.set(id, (counts.get(id) ?? 0) + 1); }
  assert.ok((counts.get('relay-1') ?? 0) > 50 && (counts.get('relay-2') ?? 0) > 50, JSON.stringify([...counts]));
});
