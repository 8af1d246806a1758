import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  HINT_LIMITS,
  hintsFromHeaderMap,
  isControlHeader,
  isInternalHeader,
  priorityRank,
  takeRelayHeaders,
} from '../../src/domain/mime/relay-headers.js';

// Control headers (ours and the providers' aliases): read into hints, removed from the message, body untouched.
const body = 'Hello\r\n\r\nX-Relay-Tag: in-body-stays\r\n';
const message = (headers: string[]): Buffer =>
  Buffer.from(
    `From: a@example.com\r\nTo: b@dest.test\r\n${headers.join('\r\n')}${headers.length ? '\r\n' : ''}Subject: hi\r\n\r\n${body}`,
  );
const clean = Buffer.from(`From: a@example.com\r\nTo: b@dest.test\r\nSubject: hi\r\n\r\n${body}`);

function take(headers: string[]) {
  const out = takeRelayHeaders(message(headers));
  assert.equal(out.raw.toString(), clean.toString(), 'every control header is removed, the rest kept byte for byte');
  return out.hints;
}

test('X-Relay-*: repeatable comma-listed tags, priority, metadata, track', () => {
  const hints = take([
    'X-Relay-Tag: welcome, onboarding',
    'X-Relay-Tag: welcome',
    'X-Relay-Priority: High',
    'X-Relay-Metadata-UserId: 42',
    'X-Relay-Metadata-plan: pro',
    'X-Relay-Track: opens',
    'X-Relay-Other: ignored',
  ]);
  assert.deepEqual(hints, {
    tags: ['welcome', 'onboarding'],
    priority: 'high',
    metadata: { userid: '42', plan: 'pro' },
    track: { opens: true, clicks: false },
  });
  assert.deepEqual(take(['X-Relay-Track: none']).track, { opens: false, clicks: false });
  assert.deepEqual(take(['X-Relay-Track: opens, clicks']).track, { opens: true, clicks: true });
  assert.deepEqual(take(['X-Relay-Track: sometimes']).track, {}, 'an unknown word leaves the account default');
  assert.deepEqual(take([]), { tags: [], metadata: {}, track: {} });
});

test('SendGrid X-SMTPAPI: category string or array → tags, unique_args → metadata; folded JSON is read', () => {
  const hints = take([
    'X-SMTPAPI: {"category": ["newsletter", "weekly"],',
    '  "unique_args": {"customer": "c-1", "n": 7, "nested": {"a": 1}}}',
  ]);
  assert.deepEqual(hints.tags, ['newsletter', 'weekly']);
  assert.deepEqual(hints.metadata, { customer: 'c-1', n: '7', nested: '{"a":1}' });
  assert.deepEqual(take(['X-SMTPAPI: {"category": "receipts"}']).tags, ['receipts']);
});

test('RFC 2047 encoded values (as nodemailer writes JSON and non-ASCII headers) are decoded', () => {
  const hints = take([
    'X-SMTPAPI: =?UTF-8?Q?=7B=22unique=5Fargs=22=3A_=7B=22Campaign?=',
    ' =?UTF-8?Q?=22=3A_=22Spring=22=7D=7D?=',
    'X-Relay-Tag: =?UTF-8?Q?caf=C3=A9?=',
  ]);
  assert.deepEqual(hints, { tags: ['café'], metadata: { Campaign: 'Spring' }, track: {} });
});

test('bad JSON in X-SMTPAPI or X-Mailgun-Variables is ignored, and the header still stripped', () => {
  assert.deepEqual(take(['X-SMTPAPI: {"category": ["a"', 'X-Relay-Tag: kept']), {
    tags: ['kept'],
    metadata: {},
    track: {},
  });
  assert.deepEqual(take(['X-Mailgun-Variables: not json']).metadata, {});
  assert.deepEqual(take(['X-Mailgun-Variables: ["an", "array"]']).metadata, {});
});

test('Postmark: X-PM-Tag, X-PM-Metadata-*, X-PM-TrackOpens, X-PM-TrackLinks', () => {
  const hints = take([
    'X-PM-Tag: invoice',
    'X-PM-Metadata-Order-Id: 9001',
    'X-PM-TrackOpens: true',
    'X-PM-TrackLinks: HtmlAndText',
  ]);
  assert.deepEqual(hints, {
    tags: ['invoice'],
    metadata: { 'order-id': '9001' },
    track: { opens: true, clicks: true },
  });
  assert.deepEqual(take(['X-PM-TrackOpens: false', 'X-PM-TrackLinks: None']).track, { opens: false, clicks: false });
  assert.deepEqual(take(['X-PM-TrackLinks: HtmlOnly']).track, { clicks: true });
});

test('Mailgun: X-Mailgun-Tag, X-Mailgun-Variables, X-Mailgun-Track*', () => {
  const hints = take([
    'X-Mailgun-Tag: alerts',
    'X-Mailgun-Tag: ops',
    'X-Mailgun-Variables: {"ticket": "T-1", "ok": true}',
    'X-Mailgun-Track: no',
  ]);
  assert.deepEqual(hints, {
    tags: ['alerts', 'ops'],
    metadata: { ticket: 'T-1', ok: 'true' },
    track: { opens: false, clicks: false },
  });
  assert.deepEqual(take(['X-Mailgun-Track-Opens: yes', 'X-Mailgun-Track-Clicks: htmlonly']).track, {
    opens: true,
    clicks: true,
  });
  assert.deepEqual(take(['X-Mailgun-Track-Clicks: no']).track, { clicks: false });
});

test('Amazon SES X-SES-MESSAGE-TAGS → metadata; Postal X-Postal-Tag → tag', () => {
  assert.deepEqual(take(['X-SES-MESSAGE-TAGS: campaign=spring, variant=b']).metadata, {
    campaign: 'spring',
    variant: 'b',
  });
  assert.deepEqual(take(['X-Postal-Tag: password-reset']).tags, ['password-reset']);
});

test('our X-Relay-* headers win over aliases; tags merge, ours first', () => {
  const hints = take([
    'X-PM-Tag: alias',
    'X-PM-Metadata-k: alias',
    'X-PM-TrackOpens: false',
    'X-Relay-Tag: ours',
    'X-Relay-Metadata-k: ours',
    'X-Relay-Track: opens,clicks',
  ]);
  assert.deepEqual(hints, { tags: ['ours', 'alias'], metadata: { k: 'ours' }, track: { opens: true, clicks: true } });
});

test('limits: tag count and length, metadata key count, key and value length', () => {
  const many = Array.from({ length: HINT_LIMITS.maxTags + 5 }, (_, i) => `t${i}`).join(',');
  assert.equal(take([`X-Relay-Tag: ${many}`]).tags.length, HINT_LIMITS.maxTags);
  assert.deepEqual(take([`X-Relay-Tag: ${'x'.repeat(HINT_LIMITS.maxTagLength + 1)}, short`]).tags, ['short']);
  const keys = Object.fromEntries(Array.from({ length: HINT_LIMITS.maxMetadataKeys + 3 }, (_, i) => [`k${i}`, 'v']));
  assert.equal(
    Object.keys(take([`X-Mailgun-Variables: ${JSON.stringify(keys)}`]).metadata).length,
    HINT_LIMITS.maxMetadataKeys,
  );
  const long = take([`X-Relay-Metadata-big: ${'v'.repeat(HINT_LIMITS.maxMetadataValueLength + 10)}`]).metadata.big;
  assert.equal(long?.length, HINT_LIMITS.maxMetadataValueLength);
});

test('a message without control headers comes back as the same buffer; LF-only messages keep LF', () => {
  const raw = Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n');
  assert.equal(takeRelayHeaders(raw).raw, raw);
  const lf = takeRelayHeaders(Buffer.from('From: a@example.com\nX-PM-Tag: t\nSubject: x\n\nbody\n'));
  assert.equal(lf.raw.toString(), 'From: a@example.com\nSubject: x\n\nbody\n');
  assert.deepEqual(lf.hints.tags, ['t']);
});

test('hintsFromHeaderMap (explain API) reads the same headers; priorityRank orders priorities', () => {
  assert.deepEqual(
    hintsFromHeaderMap({ 'X-Relay-Tag': ['a', 'b'], 'X-Relay-Priority': 'HIGH', 'X-Mailgun-Tag': 'c' }),
    { tags: ['a', 'b', 'c'], priority: 'high', metadata: {}, track: {} },
  );
  assert.deepEqual(hintsFromHeaderMap(undefined), { tags: [], metadata: {}, track: {} });
  assert.ok(priorityRank('high') > priorityRank(undefined) && priorityRank(undefined) > priorityRank('bulk'));
  assert.ok(
    isControlHeader('X-SES-MESSAGE-TAGS') && isControlHeader('x-pm-metadata-a') && !isControlHeader('X-Mailer'),
  );
});

test('internal headers (X-Mde-*, X-Reputation-Incident) a customer wrote are removed with the control headers', () => {
  const out = takeRelayHeaders(
    message([
      'X-Mde-Source-Ip: 127.0.0.3',
      'X-MDE-Priority: 1000000',
      'x-mde-anything:',
      ' folded',
      'X-Reputation-Incident: inc_1',
      'X-Relay-Tag: t',
    ]),
  );
  assert.equal(out.raw.toString(), clean.toString());
  assert.deepEqual(out.hints, { tags: ['t'], metadata: {}, track: {} });
  assert.ok(
    isInternalHeader('X-Mde-Source-Ip') &&
      isInternalHeader('x-reputation-incident') &&
      !isInternalHeader('X-Mailer') &&
      !isControlHeader('X-Mde-Priority'),
  );
});
