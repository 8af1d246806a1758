import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  REPUTATION_ACTOR,
  decideScanActions,
  type IpStatus,
  type ListedWithoutStandbyPolicy,
  type OpenIncident,
  type ScanAction,
  type ScanState,
} from '../../src/domain/reputation/decide-scan-actions.js';
import { judgeSignals } from '../../src/domain/reputation/own-signals.js';
import type { LookupBatchResult, LookupResult, SubjectSignals } from '../../src/domain/reputation/scan-types.js';

// The reputation scan's decisions as a table: state before the scan + the scan's answers → the actions. Every branch
// of decideScanActions has a row: warnings, listings opened / kept / counted clean / resolved, degraded incidents,
// swaps, no-standby policies, AUTO_SWAP off, returns to standby, and each subject's scan state.

const A = '192.0.2.1'; // active
const B = '192.0.2.2'; // active (second)
const S = '192.0.2.9'; // standby
const ZEN = 'zen.spamhaus.org';
const BARRACUDA = 'b.barracudacentral.org';
const DBL = 'dbl.spamhaus.org';
const SCAN = 'scan-7';

const listed = (subject: string, txt: string[] = []): LookupResult => ({
  subject,
  queryName: `q.${subject}`,
  outcome: { kind: 'answer', addresses: ['127.0.0.2'], txt },
  verdict: { status: 'listed', codes: ['127.0.0.2'], meanings: ['SBL: Spamhaus spam source'], txt },
});
const clean = (subject: string): LookupResult => ({
  subject,
  queryName: `q.${subject}`,
  outcome: { kind: 'nxdomain' },
  verdict: { status: 'clean' },
});
const timeout = (subject: string): LookupResult => ({
  subject,
  queryName: `q.${subject}`,
  outcome: { kind: 'timeout' },
  verdict: { status: 'unknown', why: 'lookup timed out' },
});
const refused = (subject: string, code: string): LookupResult => ({
  subject,
  queryName: `q.${subject}`,
  outcome: { kind: 'answer', addresses: [code] },
  verdict: { status: 'refused', codes: [code], why: 'query via a public/open resolver (refused)' },
});
const ipBatch = (zone: string, ...results: LookupResult[]): LookupBatchResult => ({ zone, kind: 'ip', results });
const domainBatch = (zone: string, ...results: LookupResult[]): LookupBatchResult => ({
  zone,
  kind: 'domain',
  results,
});

const listing = (id: string, subject: string, zone: string, o: Partial<OpenIncident> = {}): OpenIncident => ({
  id,
  kind: 'listed',
  subject,
  subjectKind: 'ip',
  zone,
  cleanScans: 0,
  lastScanId: 'scan-6',
  ...o,
});
const degradedIncident = (id: string, subject: string): OpenIncident => ({
  id,
  kind: 'degraded',
  subject,
  subjectKind: 'ip',
  zone: 'own-signals',
  cleanScans: 0,
  lastScanId: 'scan-6',
});

const ip = (address: string, state: IpStatus['state'], o: Partial<IpStatus> = {}): IpStatus => ({
  ip: address,
  pool: 'default',
  state,
  ...o,
});
const byScan = { actor: REPUTATION_ACTOR, toState: 'quarantined' };
const byOperator = { actor: 'key_ops', toState: 'quarantined' };

const thresholds = { minVolume: 3, bounceRate: 0.5, deferralRate: 0.9, complaintRate: 0.1, blockReplies: 3 };
const signal = (subject: string, bounced: number): SubjectSignals => ({
  subject,
  kind: 'ip',
  sampleReplies: bounced > 0 ? ['554 blocked'] : [],
  judgement: judgeSignals(
    { delivered: 1, bounced, failed: 0, deferred: 0, complaints: 0, blockReplies: 0, sampleReplies: [] },
    thresholds,
  ),
});

const state = (
  o: Partial<Omit<ScanState, 'poolPolicies'>> & { policies?: Record<string, ListedWithoutStandbyPolicy> } = {},
): ScanState => ({
  scanId: SCAN,
  lookups: [],
  signals: [],
  openIncidents: [],
  ips: [],
  settings: { autoSwap: true, delistConfirmScans: 3, signalWindowMs: 3_600_000 },
  ...o,
  poolPolicies: new Map(Object.entries(o.policies ?? {})),
});

/** One line per action: what it is and whom it concerns (exact texts are checked in the tests below the table). */
function brief(a: ScanAction): string {
  switch (a.type) {
    case 'warn-refused':
      return `warn ${a.zone} ${a.codes.join('+')} [${a.subjects.join(' ')}]`;
    case 'open-listing':
      return `open listed ${a.subject} ${a.zone} pool=${a.pool ?? '-'}`;
    case 'still-listed':
      return `still listed ${a.incidentId}`;
    case 'count-clean-scan':
      return `clean ${a.incidentId} ${a.cleanScans}${a.resolve ? ' resolve' : ''}`;
    case 'open-degraded':
      return `open degraded ${a.subject}`;
    case 'resolve-degraded':
      return `resolve ${a.incidentId}`;
    case 'quarantine-standby':
      return `quarantine standby ${a.ip}`;
    case 'swap':
      return `swap ${a.ip} -> ${a.standby}`;
    case 'alert-only':
      return `alert only ${a.ip}`;
    case 'keep-sending':
      return `keep sending ${a.ip}`;
    case 'stop':
      return `stop ${a.ip}${a.othersActive ? ' (others active)' : ''}`;
    case 'return-to-standby':
      return `standby again ${a.ip}`;
    case 'save-subject-scan':
      return `${a.subject} ${a.state}`;
  }
}

const table: Array<[string, ScanState, string[]]> = [
  ['nothing scanned, nothing to do', state({ ips: [ip(A, 'active')] }), []],
  [
    'a zone refusing queries: one warning per zone (distinct codes), never a listing',
    state({
      lookups: [ipBatch(BARRACUDA, refused(A, '127.255.255.254'), refused(B, '127.255.255.254'))],
      ips: [ip(A, 'active'), ip(B, 'active')],
    }),
    [`warn ${BARRACUDA} 127.255.255.254 [${A} ${B}]`, `${A} unknown`, `${B} unknown`],
  ],
  [
    'a timeout is unknown: no incident, no change',
    state({ lookups: [ipBatch(ZEN, timeout(A))], ips: [ip(A, 'active'), ip(S, 'standby')] }),
    [`${A} unknown`],
  ],
  [
    'a clean answer without a listing: only the subject state',
    state({ lookups: [ipBatch(ZEN, clean(A))], ips: [ip(A, 'active')] }),
    [`${A} clean`],
  ],
  [
    'a listed domain: incident without a pool, no IP change',
    state({ lookups: [domainBatch(DBL, listed('bad.test'))], ips: [ip(A, 'active'), ip(S, 'standby')] }),
    [`open listed bad.test ${DBL} pool=-`, 'bad.test listed'],
  ],
  [
    'a newly listed active IP: incident opened and the clean standby of its pool swapped in, in the same scan',
    state({
      lookups: [ipBatch(ZEN, listed(A), clean(S))],
      ips: [ip(A, 'active'), ip(S, 'standby')],
    }),
    [`open listed ${A} ${ZEN} pool=default`, `swap ${A} -> ${S}`, `${A} listed`, `${S} clean`],
  ],
  [
    'still listed since an earlier scan: the clean count starts over; the quarantined IP stays',
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      openIncidents: [listing('inc_a', A, ZEN, { cleanScans: 2 })],
      ips: [ip(A, 'quarantined', { lastChange: byScan }), ip(S, 'active')],
    }),
    ['still listed inc_a', `${A} listed`],
  ],
  [
    'a retried scan (already counted under this scan id) repeats nothing',
    state({
      lookups: [ipBatch(ZEN, listed(A)), ipBatch(BARRACUDA, clean(A))],
      openIncidents: [
        listing('inc_a', A, ZEN, { lastScanId: SCAN }),
        listing('inc_b', A, BARRACUDA, { lastScanId: SCAN, cleanScans: 1 }),
      ],
      ips: [ip(A, 'quarantined', { lastChange: byScan }), ip(S, 'active')],
    }),
    [`${A} listed`],
  ],
  [
    'a clean answer below DELIST_CONFIRM_SCANS counts; the IP stays quarantined',
    state({
      lookups: [ipBatch(ZEN, clean(A))],
      openIncidents: [listing('inc_a', A, ZEN, { cleanScans: 1 })],
      ips: [ip(A, 'quarantined', { lastChange: byScan }), ip(S, 'active')],
    }),
    ['clean inc_a 2', `${A} clean`],
  ],
  [
    'the clean answer reaching DELIST_CONFIRM_SCANS resolves the listing and returns the IP to standby in the same scan',
    state({
      lookups: [ipBatch(ZEN, clean(A))],
      openIncidents: [listing('inc_a', A, ZEN, { cleanScans: 2 })],
      ips: [ip(A, 'quarantined', { lastChange: byScan }), ip(S, 'active')],
    }),
    ['clean inc_a 3 resolve', `standby again ${A}`, `${A} clean`],
  ],
  [
    "an operator's quarantine stays when the listing resolves",
    state({
      lookups: [ipBatch(ZEN, clean(A))],
      openIncidents: [listing('inc_a', A, ZEN, { cleanScans: 2 })],
      ips: [ip(A, 'quarantined', { lastChange: byOperator }), ip(S, 'active')],
    }),
    ['clean inc_a 3 resolve', `${A} clean`],
  ],
  [
    'resolved on one zone but still listed on another: stays quarantined',
    state({
      lookups: [ipBatch(ZEN, clean(A))],
      openIncidents: [listing('inc_a', A, ZEN, { cleanScans: 2 }), listing('inc_b', A, BARRACUDA)],
      ips: [ip(A, 'quarantined', { lastChange: byScan }), ip(S, 'active')],
    }),
    ['clean inc_a 3 resolve', `${A} clean`],
  ],
  ['a quarantined IP without a listing and with no audited change stays', state({ ips: [ip(A, 'quarantined')] }), []],
  [
    'a listed standby is quarantined so it is never swapped in',
    state({
      lookups: [ipBatch(ZEN, listed(S))],
      ips: [ip(A, 'active'), ip(S, 'standby')],
    }),
    [`open listed ${S} ${ZEN} pool=default`, `quarantine standby ${S}`, `${S} listed`],
  ],
  [
    'the only standby listed too: it is quarantined, the active IP keeps sending (loud alert)',
    state({
      lookups: [ipBatch(ZEN, listed(A), listed(S))],
      openIncidents: [listing('inc_a', A, ZEN, { lastScanId: SCAN })],
      ips: [ip(A, 'active'), ip(S, 'standby')],
    }),
    [
      `open listed ${S} ${ZEN} pool=default`,
      `keep sending ${A}`,
      `quarantine standby ${S}`,
      `${A} listed`,
      `${S} listed`,
    ],
  ],
  [
    'a standby of another pool is not used',
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      ips: [ip(A, 'active'), ip(S, 'standby', { pool: 'bulk' })],
    }),
    [`open listed ${A} ${ZEN} pool=default`, `keep sending ${A}`, `${A} listed`],
  ],
  [
    'no standby, pool set to stop, no other active IP: quarantined, the pool stops',
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      ips: [ip(A, 'active', { pool: 'strict' })],
      policies: { strict: 'stop' },
    }),
    [`open listed ${A} ${ZEN} pool=strict`, `stop ${A}`, `${A} listed`],
  ],
  [
    'no standby, pool set to stop, another active IP: quarantined, the pool sends from the other',
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      ips: [ip(A, 'active', { pool: 'strict' }), ip(B, 'active', { pool: 'strict' })],
      policies: { strict: 'stop' },
    }),
    [`open listed ${A} ${ZEN} pool=strict`, `stop ${A} (others active)`, `${A} listed`],
  ],
  [
    'two listed active IPs, one standby: the first by address takes it, the second keeps sending',
    state({
      lookups: [ipBatch(ZEN, listed(A), listed(B))],
      ips: [ip(A, 'active'), ip(B, 'active'), ip(S, 'standby')],
    }),
    [
      `open listed ${A} ${ZEN} pool=default`,
      `open listed ${B} ${ZEN} pool=default`,
      `swap ${A} -> ${S}`,
      `keep sending ${B}`,
      `${A} listed`,
      `${B} listed`,
    ],
  ],
  [
    'stop pool, two listed active IPs, one standby: the second stops, and the swapped-in standby still sends',
    state({
      lookups: [ipBatch(ZEN, listed(A), listed(B))],
      ips: [
        ip(A, 'active', { pool: 'strict' }),
        ip(B, 'active', { pool: 'strict' }),
        ip(S, 'standby', { pool: 'strict' }),
      ],
      policies: { strict: 'stop' },
    }),
    [
      `open listed ${A} ${ZEN} pool=strict`,
      `open listed ${B} ${ZEN} pool=strict`,
      `swap ${A} -> ${S}`,
      `stop ${B} (others active)`,
      `${A} listed`,
      `${B} listed`,
    ],
  ],
  [
    'AUTO_SWAP off: the listed active IP is left as it is (alert only); a listed standby is still kept out',
    state({
      lookups: [ipBatch(ZEN, listed(A), listed(S))],
      ips: [ip(A, 'active', { pool: 'strict' }), ip(S, 'standby', { pool: 'strict' })],
      policies: { strict: 'stop' },
      settings: { autoSwap: false, delistConfirmScans: 3, signalWindowMs: 1 },
    }),
    [
      `open listed ${A} ${ZEN} pool=strict`,
      `open listed ${S} ${ZEN} pool=strict`,
      `alert only ${A}`,
      `quarantine standby ${S}`,
      `${A} listed`,
      `${S} listed`,
    ],
  ],
  [
    'listed quarantined and retired IPs: nothing changes',
    state({
      lookups: [ipBatch(ZEN, listed(A), listed(B))],
      openIncidents: [listing('inc_a', A, ZEN), listing('inc_b', B, ZEN)],
      ips: [ip(A, 'quarantined', { lastChange: byScan }), ip(B, 'retired'), ip(S, 'standby')],
    }),
    ['still listed inc_a', 'still listed inc_b', `${A} listed`, `${B} listed`],
  ],
  [
    'own signals: a new degradation opens, an open one stays, one back to normal resolves, a healthy subject does nothing',
    state({
      signals: [signal(A, 3), signal(B, 3), signal(S, 0)],
      openIncidents: [degradedIncident('inc_b', B), degradedIncident('inc_s', S)],
      ips: [ip(A, 'active'), ip(B, 'active'), ip(S, 'standby')],
    }),
    [`open degraded ${A}`, 'resolve inc_s', `${A} degraded`, `${B} degraded`],
  ],
  [
    'subject state: listed beats degraded beats clean; no definite answer is unknown',
    state({
      lookups: [ipBatch(ZEN, clean(A), listed(B), timeout(S)), ipBatch(BARRACUDA, clean(A), clean(B), timeout(S))],
      signals: [signal(A, 3), signal(B, 3)],
      openIncidents: [
        degradedIncident('inc_a', A),
        degradedIncident('inc_b', B),
        listing('inc_bz', B, ZEN, { lastScanId: SCAN }),
      ],
      ips: [ip(A, 'active'), ip(B, 'quarantined', { lastChange: byScan }), ip(S, 'active')],
    }),
    [`${A} degraded`, `${B} listed`, `${S} unknown`],
  ],
];

for (const [name, s, expected] of table) {
  test(`decideScanActions: ${name}`, () => {
    assert.deepEqual(decideScanActions(s).map(brief), expected);
  });
}

test('a swap quarantines and activates together, with the reasons audited and the note the alert quotes', () => {
  const actions = decideScanActions(
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      openIncidents: [listing('inc_a', A, BARRACUDA)],
      ips: [ip(A, 'active'), ip(S, 'standby')],
    }),
  );
  assert.deepEqual(
    actions.find((a) => a.type === 'swap'),
    {
      type: 'swap',
      ip: A,
      standby: S,
      pool: 'default',
      quarantineReason: `listed on ${BARRACUDA}, ${ZEN}; replaced by standby ${S}`,
      activateReason: `replaces ${A} (listed on ${BARRACUDA}, ${ZEN})`,
      note: `${A} quarantined; standby ${S} of pool default made active`,
    },
  );
});

test('the texts of the no-standby, stop, standby, AUTO_SWAP-off and return-to-standby actions', () => {
  const keep = decideScanActions(state({ lookups: [ipBatch(ZEN, listed(A))], ips: [ip(A, 'active')] }));
  assert.deepEqual(
    keep.find((a) => a.type === 'keep-sending'),
    {
      type: 'keep-sending',
      ip: A,
      pool: 'default',
      note: `NO STANDBY IP in pool default: ${A} stays ACTIVE and keeps sending while listed`,
    },
  );
  const stop = decideScanActions(
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      ips: [ip(A, 'active', { pool: 'strict' })],
      policies: { strict: 'stop' },
    }),
  );
  assert.deepEqual(
    stop.find((a) => a.type === 'stop'),
    {
      type: 'stop',
      ip: A,
      pool: 'strict',
      othersActive: false,
      reason: `listed on ${ZEN}; no standby in pool strict, which is configured to stop`,
      note: `NO STANDBY IP in pool strict: ${A} quarantined and pool strict STOPPED sending (onListedWithoutStandby=stop)`,
    },
  );
  const standby = decideScanActions(state({ lookups: [ipBatch(ZEN, listed(S))], ips: [ip(S, 'standby')] }));
  assert.deepEqual(
    standby.find((a) => a.type === 'quarantine-standby'),
    {
      type: 'quarantine-standby',
      ip: S,
      reason: `listed on ${ZEN}: kept out of the standby pool`,
      note: `standby IP ${S} quarantined (listed) so it is not swapped in`,
    },
  );
  const off = decideScanActions(
    state({
      lookups: [ipBatch(ZEN, listed(A))],
      ips: [ip(A, 'active')],
      settings: { autoSwap: false, delistConfirmScans: 3, signalWindowMs: 1 },
    }),
  );
  assert.deepEqual(
    off.find((a) => a.type === 'alert-only'),
    { type: 'alert-only', ip: A, note: `AUTO_SWAP is off: ${A} left active, no automatic change` },
  );
  const back = decideScanActions(
    state({
      lookups: [ipBatch(ZEN, clean(A))],
      openIncidents: [listing('inc_a', A, ZEN, { cleanScans: 2 })],
      ips: [ip(A, 'quarantined', { lastChange: byScan })],
    }),
  );
  assert.deepEqual(
    back.find((a) => a.type === 'return-to-standby'),
    { type: 'return-to-standby', ip: A, reason: 'clean for 3 scans in a row: back to standby' },
  );
});

test('a new listing carries its reason (meanings and TXT), evidence with the lookup to repeat, and its pool', () => {
  const [open] = decideScanActions(
    state({
      lookups: [ipBatch(ZEN, listed(A, ['see https://check.spamhaus.org/sbl/query/SBL1']))],
      ips: [ip(A, 'retired', { pool: 'bulk' })],
    }),
  );
  assert.deepEqual(open, {
    type: 'open-listing',
    subject: A,
    subjectKind: 'ip',
    zone: ZEN,
    pool: 'bulk',
    reason: 'SBL: Spamhaus spam source — see https://check.spamhaus.org/sbl/query/SBL1',
    evidence: {
      queryName: `q.${A}`,
      codes: ['127.0.0.2'],
      meanings: ['SBL: Spamhaus spam source'],
      txt: ['see https://check.spamhaus.org/sbl/query/SBL1'],
      lookup: `dig +short 1.2.0.192.${ZEN} A; dig +short 1.2.0.192.${ZEN} TXT`,
    },
  });
});

test('a degraded incident carries the breaches as its reason and the metrics, samples and window as evidence', () => {
  const sig = signal(A, 3);
  const [open] = decideScanActions(state({ signals: [sig], ips: [ip(A, 'active')] }));
  assert.deepEqual(open, {
    type: 'open-degraded',
    subject: A,
    subjectKind: 'ip',
    pool: 'default',
    reason: sig.judgement.breaches.join('; '),
    evidence: {
      metrics: sig.judgement.metrics,
      breaches: sig.judgement.breaches,
      sampleReplies: ['554 blocked'],
      windowMs: 3_600_000,
    },
  });
  assert.match(open.type === 'open-degraded' ? open.reason : '', /bounce rate 75\.0 %/);
});

test('the same state decides the same actions, and the input is not changed', () => {
  const s = state({
    lookups: [ipBatch(ZEN, listed(A), listed(B))],
    ips: [ip(A, 'active'), ip(B, 'active', { pool: 'strict' }), ip(S, 'standby')],
    policies: { strict: 'stop' },
  });
  const copy = structuredClone(s);
  assert.deepEqual(decideScanActions(s), decideScanActions(s));
  assert.deepEqual(s, copy);
});
