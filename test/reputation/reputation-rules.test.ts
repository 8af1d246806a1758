import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alertDue,
  composeAlert,
  lookupToRepeat,
  type AlertIncident,
  type AlertLog,
} from '../../src/domain/reputation/alerts.js';
import { judgeSignals, namesBlock, type SignalCounts } from '../../src/domain/reputation/own-signals.js';

// The pure rules behind reputation monitoring: when an alert is due, what it says, and when own signals mean "degraded".

const H = 3600_000;
const fresh: AlertLog = { openedSent: false, lastSentAt: null, reminders: 0, resolvedSent: false };
const open = { resolvedAt: null };

test('alertDue: one alert per incident, a reminder at most every interval, one resolved email', () => {
  const t0 = Date.UTC(2026, 0, 1);
  const rows: Array<[string, Pick<AlertIncident, 'resolvedAt'>, AlertLog, number, ReturnType<typeof alertDue>]> = [
    ['new incident', open, fresh, t0, { kind: 'opened', seq: 0 }],
    ['alerted just now', open, { ...fresh, openedSent: true, lastSentAt: new Date(t0) }, t0 + 1, undefined],
    ['5h59m later', open, { ...fresh, openedSent: true, lastSentAt: new Date(t0) }, t0 + 6 * H - 60_000, undefined],
    [
      '6h later',
      open,
      { ...fresh, openedSent: true, lastSentAt: new Date(t0) },
      t0 + 6 * H,
      { kind: 'reminder', seq: 1 },
    ],
    [
      'after a reminder',
      open,
      { ...fresh, openedSent: true, lastSentAt: new Date(t0 + 6 * H), reminders: 1 },
      t0 + 12 * H,
      { kind: 'reminder', seq: 2 },
    ],
    [
      'resolved',
      { resolvedAt: new Date(t0) },
      { ...fresh, openedSent: true, lastSentAt: new Date(t0) },
      t0,
      { kind: 'resolved', seq: 0 },
    ],
    [
      'resolved, email sent',
      { resolvedAt: new Date(t0) },
      { ...fresh, openedSent: true, resolvedSent: true, lastSentAt: new Date(t0) },
      t0 + 99 * H,
      undefined,
    ],
    ['resolved before any alert went', { resolvedAt: new Date(t0) }, fresh, t0, undefined],
  ];
  for (const [name, incident, log, now, expected] of rows)
    assert.deepEqual(alertDue(incident, log, now, 6 * H), expected, name);
});

const incident: AlertIncident = {
  id: 'inc_1',
  kind: 'listed',
  subject: '192.0.2.5',
  subjectKind: 'ip',
  zone: 'zen.spamhaus.org',
  reason: 'SBL: Spamhaus spam source — see SBL1',
  evidence: { codes: ['127.0.0.2'] },
  action: null,
  pool: 'default',
  openedAt: new Date('2026-01-01T00:00:00Z'),
  resolvedAt: null,
};

test('an alert says what is listed where, since when, what was done, and the lookup to repeat', () => {
  assert.equal(
    lookupToRepeat(incident),
    'dig +short 5.2.0.192.zen.spamhaus.org A; dig +short 5.2.0.192.zen.spamhaus.org TXT',
  );
  const a = composeAlert(
    { ...incident, action: '192.0.2.5 quarantined; standby 192.0.2.6 of pool default made active' },
    { kind: 'opened', seq: 0 },
    new Date(),
  );
  assert.match(a.subject, /ALERT.*192\.0\.2\.5 is listed on zen\.spamhaus\.org/);
  for (const part of [
    /zen\.spamhaus\.org/,
    /SBL1/,
    /2026-01-01T00:00:00\.000Z/,
    /standby 192\.0\.2\.6/,
    /dig \+short 5\.2\.0\.192\.zen\.spamhaus\.org/,
  ])
    assert.match(a.text, part);
  const loud = composeAlert(
    { ...incident, action: 'NO STANDBY IP in pool default: 192.0.2.5 stays ACTIVE and keeps sending while listed' },
    { kind: 'opened', seq: 0 },
    new Date(),
  );
  assert.match(loud.subject, /NO STANDBY IP, STILL SENDING/);
  assert.match(loud.text, /!!! Pool default has NO standby IP/);
  const resolved = composeAlert(
    { ...incident, resolvedAt: new Date('2026-01-02T00:00:00Z') },
    { kind: 'resolved', seq: 0 },
    new Date(),
  );
  assert.match(resolved.subject, /RESOLVED.*no longer listed on zen\.spamhaus\.org/);
});

const counts = (c: Partial<SignalCounts>): SignalCounts => ({
  delivered: 0,
  bounced: 0,
  failed: 0,
  deferred: 0,
  complaints: 0,
  blockReplies: 0,
  sampleReplies: [],
  ...c,
});
const thresholds = { minVolume: 20, bounceRate: 0.1, deferralRate: 0.3, complaintRate: 0.003, blockReplies: 5 };

test('own signals: rates judged from a minimum volume on, block replies whatever the volume', () => {
  assert.equal(
    judgeSignals(counts({ delivered: 5, bounced: 5 }), thresholds).degraded,
    false,
    'too little traffic to judge a rate',
  );
  const bounce = judgeSignals(counts({ delivered: 80, bounced: 20 }), thresholds);
  assert.equal(bounce.degraded, true);
  assert.match(bounce.breaches[0]!, /bounce rate 20\.0 %/);
  assert.equal(judgeSignals(counts({ delivered: 95, bounced: 5 }), thresholds).degraded, false);
  assert.match(
    judgeSignals(counts({ delivered: 60, deferred: 40 }), thresholds).breaches.join(),
    /deferral rate 40\.0 %/,
  );
  assert.match(judgeSignals(counts({ delivered: 1000, complaints: 4 }), thresholds).breaches.join(), /complaint rate/);
  assert.match(judgeSignals(counts({ delivered: 2, blockReplies: 5 }), thresholds).breaches.join(), /name a block/);
});

test('replies naming a block are recognised, other failures are not', () => {
  for (const r of [
    '554 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org',
    '421 4.7.0 IP not in whitelist, listed on RBL',
    '550 5.7.1 Our system has detected that this message is likely unsolicited mail; poor reputation',
    '554 Blacklisted by Barracuda',
  ])
    assert.ok(namesBlock(r), r);
  for (const r of ['550 5.1.1 No such user', '452 4.2.2 Mailbox full', '250 ok', null])
    assert.ok(!namesBlock(r), String(r));
});
