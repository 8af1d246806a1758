// Renders the benchmark results: a plain-text table for the terminal and docs/benchmarks.md. A run of only some
// sections (BENCH_ONLY) replaces just those sections of the existing document (spliceSections).

export interface AcceptFigure {
  sessions: number;
  count: number;
  ms: number;
  perSec: number;
  completeMs?: number;
  reuse?: boolean;
  error?: string;
}
export interface E2eFigure {
  sessions: number;
  count: number;
  delivered: number;
  acceptPerSec: number;
  e2ePerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  cpuSeconds: Record<string, number>;
  wallSeconds: number;
  bySource?: Record<string, number>;
  error?: string;
}

/** When a section was measured, and how busy the machine was as it started. */
export interface SectionStamp {
  at: string;
  loadAverage: number[];
}

export interface RoutingFigure {
  decisionsPerSec: number;
  rounds: number[];
}
export interface RoutingComparison {
  large: RoutingFigure;
  reference: RoutingFigure;
  ratio: number;
}
export interface RoutingResult {
  ruleCount: number;
  ipCount: number;
  poolCount: number;
  relayCount: number;
  ipStates?: Record<string, number>;
  requestCount: number;
  recipientsPerMessage: number;
  domainsPerMessage: number;
  /** 1-based position of the matching rule in evaluation order, per recipient domain; the catch-all is last. */
  matchedPosition: { mean: number; p50: number; p90: number; catchAllShare: number };
  roundMs: number;
  rounds: number;
  /** (a) vs (b): routeRecipients alone. */
  pure: RoutingComparison;
  /** (c): createRoutingSnapshotLoader() against PostgreSQL + routeRecipients, one decision at a time. */
  db?: RoutingComparison;
  dbError?: string;
  checksum?: number;
  error?: string;
}
export interface LatencyFigure {
  push: boolean;
  pollInterval: string;
  rate: number;
  sessions: number;
  pollEveryMs: number;
  warmup: number;
  sent: number;
  accepted: number;
  measured: number;
  verified: number;
  minMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  within2s: number;
  pollRequests: number;
  pollAvgMs: number;
  error?: string;
}
export interface LatencyResult {
  push: LatencyFigure;
  poll: LatencyFigure;
}
export interface ThreeRelayResult {
  /** Fresh stacks, one after the other, same load and warm-up: RELAY_COUNT=3 and RELAY_COUNT=2. */
  three: E2eFigure;
  twoFresh: E2eFigure;
  /** The two-relay (main stack) and Postfix figures of the end-to-end section. */
  two: E2eFigure;
  postfix: E2eFigure;
  /** The two-relay and Postfix figures are those of the end-to-end section of this run (else measured here). */
  reused: boolean;
  routingSetup: string;
}

export interface Results {
  date: string;
  machine: {
    nproc: number;
    cpuModel: string;
    memoryGiB: number;
    os: string;
    node: string;
    postfix: string;
    loadAverage: number[];
  };
  targetSeconds: number;
  /** The sections this run measured (BENCH_ONLY, default all). */
  sections: string[];
  accept: Array<{ sessions: number; ours: AcceptFigure; postfix: AcceptFigure }>;
  /** smtp-source -d: messages back to back over one connection per session. */
  acceptReuse: Array<{ sessions: number; ours: AcceptFigure; postfix: AcceptFigure }>;
  tls: AcceptFigure[];
  e2e: Array<{ ours: E2eFigure; postfix: E2eFigure }>;
  routing?: RoutingResult & SectionStamp;
  latency?: LatencyResult & SectionStamp;
  threeRelays?: ThreeRelayResult & SectionStamp;
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : 'n/a');
const flag = (e?: string): string => (e ? ' (!)' : '');

function rows(r: Results): string[][] {
  const out: string[][] = [['Scenario', 'Ours', 'Postfix', 'Ours / Postfix']];
  for (const a of r.accept) {
    out.push([
      `Accepted msg/s, plaintext trusted, ${a.sessions} session(s)`,
      f1(a.ours.perSec) + flag(a.ours.error),
      f1(a.postfix.perSec) + flag(a.postfix.error),
      ratio(a.ours.perSec, a.postfix.perSec),
    ]);
  }
  for (const a of r.acceptReuse) {
    out.push([
      `  same, ${a.sessions} sessions, connection reused (-d)`,
      f1(a.ours.perSec) + flag(a.ours.error),
      f1(a.postfix.perSec) + flag(a.postfix.error),
      ratio(a.ours.perSec, a.postfix.perSec),
    ]);
  }
  for (const t of r.tls) {
    const pf = r.accept.find((a) => a.sessions === t.sessions)?.postfix.perSec ?? NaN;
    out.push([
      `Accepted msg/s, STARTTLS+AUTH, ${t.sessions} session(s)`,
      f1(t.perSec) + flag(t.error),
      `(${f1(pf)} plaintext)`,
      ratio(t.perSec, pf),
    ]);
  }
  for (const e of r.e2e) {
    out.push([
      `End-to-end msg/s, ${e.ours.sessions} sessions`,
      f1(e.ours.e2ePerSec) + flag(e.ours.error),
      f1(e.postfix.e2ePerSec) + flag(e.postfix.error),
      ratio(e.ours.e2ePerSec, e.postfix.e2ePerSec),
    ]);
    out.push([
      'Latency DATA-accepted → sink, p50 (ms)',
      String(e.ours.p50Ms),
      String(e.postfix.p50Ms),
      ratio(e.ours.p50Ms, e.postfix.p50Ms),
    ]);
    out.push([
      'Latency DATA-accepted → sink, p99 (ms)',
      String(e.ours.p99Ms),
      String(e.postfix.p99Ms),
      ratio(e.ours.p99Ms, e.postfix.p99Ms),
    ]);
  }
  return out;
}

function errors(r: Results): string[] {
  const list: string[] = [];
  for (const a of [...r.accept, ...r.acceptReuse]) {
    if (a.ours.error) list.push(`ours, ${a.sessions} session(s): ${a.ours.error}`);
    if (a.postfix.error) list.push(`postfix, ${a.sessions} session(s): ${a.postfix.error}`);
  }
  for (const t of r.tls) if (t.error) list.push(`ours TLS, ${t.sessions} session(s): ${t.error}`);
  for (const e of r.e2e) {
    if (e.ours.error) list.push(`ours end to end: ${e.ours.error}`);
    if (e.postfix.error) list.push(`postfix end to end: ${e.postfix.error}`);
  }
  list.push(...routingProblems(r.routing), ...latencyProblems(r.latency), ...threeRelayProblems(r.threeRelays));
  return list;
}

function textTable(table: string[][]): string[] {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]): string =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)];
}

export function renderTable(r: Results): string {
  const out: string[] = [];
  const table = rows(r);
  if (table.length > 1) out.push(...textTable(table));
  for (const t of [routingRows(r.routing), latencyRows(r.latency), threeRelayRows(r.threeRelays)]) {
    if (t) out.push(...(out.length ? [''] : []), ...textTable(t));
  }
  const errs = errors(r);
  if (errs.length) out.push('', '(!) problems during the run:', ...errs.map((e) => `  - ${e}`));
  return out.join('\n');
}

export function renderMarkdown(r: Results, notes: string): string {
  const table = rows(r);
  const md = (row: string[]): string => `| ${row.join(' | ')} |`;
  const m = r.machine;
  const detail: string[] = [];
  for (const a of [...r.accept, ...r.acceptReuse]) {
    for (const [who, x] of [
      ['ours', a.ours],
      ['postfix', a.postfix],
    ] as const) {
      detail.push(
        `| ${who} | plaintext${x.reuse ? ', -d' : ''} | ${a.sessions} | ${x.count} | ${(x.ms / 1000).toFixed(2)} | ${f1(x.perSec)} | ${x.completeMs ? (x.completeMs / 1000).toFixed(2) : 'n/a'} |`,
      );
    }
  }
  for (const t of r.tls)
    detail.push(
      `| ours | STARTTLS+AUTH | ${t.sessions} | ${t.count} | ${(t.ms / 1000).toFixed(2)} | ${f1(t.perSec)} | ${t.completeMs ? (t.completeMs / 1000).toFixed(2) : 'n/a'} |`,
    );
  const e2eDetail: string[] = [];
  for (const e of r.e2e) {
    for (const [who, x] of [
      ['ours', e.ours],
      ['postfix', e.postfix],
    ] as const) {
      e2eDetail.push(
        `| ${who} | ${x.sessions} | ${x.count} | ${x.delivered} | ${f1(x.acceptPerSec)} | ${f1(x.e2ePerSec)} | ${x.p50Ms} | ${x.p99Ms} | ${x.maxMs} |`,
      );
    }
  }
  const cpu: string[] = [];
  for (const e of r.e2e) {
    for (const [who, x] of [
      ['ours', e.ours],
      ['postfix', e.postfix],
    ] as const) {
      const parts = Object.entries(x.cpuSeconds)
        .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
        .join(', ');
      const perMsg =
        (Object.entries(x.cpuSeconds)
          .filter(([k]) => k !== 'sink')
          .reduce((s, [, v]) => s + v, 0) *
          1000) /
        Math.max(1, x.delivered);
      cpu.push(`| ${who} | ${x.wallSeconds.toFixed(1)} | ${parts} | ${perMsg.toFixed(1)} |`);
    }
  }
  const errs = errors(r);
  return [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` (bench/run.ts); the notes at the end come from bench/notes.md. -->',
    '',
    `Run on ${r.date.slice(0, 10)} (${r.date}). Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, Postfix ${m.postfix}. Load average when the run started: ${m.loadAverage.join(' / ')} (1/5/15 min; anything well above 0 means something else was using the CPUs).`,
    `Each measured run was sized to last about ${r.targetSeconds} s after a short calibration run (which is also the warm-up).`,
    '',
    'Machines are noisy: read the **ratios** (our service / Postfix, measured in the same run, same generator, same sink) first. The MDE sections further down (routing decision cost, status latency, three relays) each compare against their own reference measured side by side.',
    '',
    '## Summary',
    '',
    md(table[0]!),
    md(table[0]!.map(() => '---')),
    ...table.slice(1).map(md),
    '',
    '## Acceptance runs',
    '',
    'Load generator: `smtp-source -s <sessions> -m <count> -l 5120 -f from@example.com -t to@dest.test 127.0.0.1:<port>` (a new connection per message, one recipient, 5 KB body; smtp-source adds From/To/Date/Message-Id headers) for both targets, and once more with `-d` (back to back over one connection per session); STARTTLS+AUTH: nodemailer with `pool: true, maxConnections: <sessions>`. "All at sink" is the time from the start of the run until the last message of that run reached the sink (each run drains before the next one).',
    '',
    '| Target | Path | Sessions | Messages | Seconds | Accepted msg/s | All at sink (s) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...detail,
    '',
    '## End to end',
    '',
    'Load generator: bench/smtp-load.ts (plain SMTP, one connection per session, messages sent back to back on it, an `X-Bench-Id` header per message), the same for both. End-to-end msg/s = delivered / (last arrival at the sink − start of the first session). Latency = arrival time recorded by the sink − time the generator read the 250 reply to the end of DATA (same clock).',
    '',
    '| Target | Sessions | Sent | At sink | Accepted msg/s | End-to-end msg/s | p50 ms | p99 ms | max ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...e2eDetail,
    '',
    'CPU time used during the end-to-end runs (from /proc, attributed by process ancestry; short-lived processes that exited before the end of the run are not counted; the machine has ' +
      `${m.nproc} CPUs, so at most ${m.nproc} CPU-seconds per wall second):`,
    '',
    '| Target | Wall s | CPU seconds by component | CPU ms per delivered message (excl. sink) |',
    '| --- | --- | --- | --- |',
    ...cpu,
    '',
    ...newSections(r).map((sec) => sec.trimEnd() + '\n'),
    ...(errs.length ? ['## Problems during this run', '', ...errs.map((e) => `- ${e}`), ''] : []),
    notes.trim(),
    '',
  ].join('\n');
}

// ---- the MDE sections: each one a `## ` section of its own, dated, with its reference and ratio ---------

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ms = (n: number): string => (Number.isFinite(n) ? String(Math.round(n)) : 'n/a');
const times = (n: number | null): string =>
  typeof n === 'number' && Number.isFinite(n) ? `${n.toPrecision(3)}×` : 'n/a';
const ratio3 = (a: number, b: number): string => (b > 0 && Number.isFinite(a) ? `${(a / b).toPrecision(3)}×` : 'n/a');
const stamp = (s: SectionStamp): string =>
  `Measured ${s.at.replace('T', ' ').slice(0, 19)} UTC; load average as the section started ${s.loadAverage.join(' / ')} (1/5/15 min).`;

function routingRows(x?: RoutingResult): string[][] | undefined {
  if (!x) return undefined;
  const out = [
    [
      'Routing decision',
      `${int(x.ruleCount)} rules, ${x.ipCount} IPs (decisions/s)`,
      'Reference: 1 rule, 2 IPs (decisions/s)',
      `${int(x.ruleCount)} rules / reference`,
    ],
  ];
  out.push([
    '(a)/(b) routeRecipients alone, in-process',
    int(x.pure.large.decisionsPerSec),
    int(x.pure.reference.decisionsPerSec),
    times(x.pure.ratio),
  ]);
  if (x.db)
    out.push([
      '(c) snapshot loader on PostgreSQL + routeRecipients',
      int(x.db.large.decisionsPerSec),
      int(x.db.reference.decisionsPerSec),
      times(x.db.ratio),
    ]);
  else if (x.dbError) out.push(['(c) snapshot loader on PostgreSQL + routeRecipients', 'failed (!)', '', '']);
  return out;
}
function routingProblems(x?: RoutingResult): string[] {
  return [x?.error && `routing: ${x.error}`, x?.dbError && `routing with PostgreSQL: ${x.dbError}`].filter(
    (e): e is string => !!e,
  );
}

function latencyRows(x?: LatencyResult): string[][] | undefined {
  if (!x) return undefined;
  const { push: a, poll: b } = x;
  return [
    [
      '250 at the destination → delivered in GET /v1/messages',
      `Push on (poll every ${a.pollInterval})`,
      `Push off (poll every ${b.pollInterval})`,
      'Push on / push off',
    ],
    ['p50 (ms)', ms(a.p50Ms) + flag(a.error), ms(b.p50Ms) + flag(b.error), ratio3(a.p50Ms, b.p50Ms)],
    ['p99 (ms)', ms(a.p99Ms), ms(b.p99Ms), ratio3(a.p99Ms, b.p99Ms)],
    ['max (ms)', ms(a.maxMs), ms(b.maxMs), ratio3(a.maxMs, b.maxMs)],
    ['mean (ms)', ms(a.meanMs), ms(b.meanMs), ratio3(a.meanMs, b.meanMs)],
    ['within 2 s', `${a.within2s}/${a.measured}`, `${b.within2s}/${b.measured}`, ''],
    ['measured / sent', `${a.measured}/${a.sent}`, `${b.measured}/${b.sent}`, ''],
  ];
}
function latencyProblems(x?: LatencyResult): string[] {
  return x
    ? [
        x.push.error && `status latency, push on: ${x.push.error}`,
        x.poll.error && `status latency, push off: ${x.poll.error}`,
      ].filter((e): e is string => !!e)
    : [];
}

const sources = (e: E2eFigure): string =>
  e.bySource
    ? Object.entries(e.bySource)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([ip, n]) => `${ip}: ${n}`)
        .join(', ')
    : 'n/a';
function threeRelayRows(x?: ThreeRelayResult): string[][] | undefined {
  if (!x) return undefined;
  const { three, twoFresh, two, postfix } = x;
  return [
    [
      'End to end, 10 sessions',
      'Ours, 3 relays',
      'Ours, 2 relays (fresh)',
      'Ours, 2 relays (e2e section)',
      'Postfix',
      '3 relays / 2 relays (fresh)',
      '3 relays / Postfix',
    ],
    [
      'msg/s end to end',
      f1(three.e2ePerSec) + flag(three.error),
      f1(twoFresh.e2ePerSec) + flag(twoFresh.error),
      f1(two.e2ePerSec) + flag(two.error),
      f1(postfix.e2ePerSec) + flag(postfix.error),
      ratio(three.e2ePerSec, twoFresh.e2ePerSec),
      ratio(three.e2ePerSec, postfix.e2ePerSec),
    ],
    [
      'latency DATA-accepted → sink p50 (ms)',
      ms(three.p50Ms),
      ms(twoFresh.p50Ms),
      ms(two.p50Ms),
      ms(postfix.p50Ms),
      ratio(three.p50Ms, twoFresh.p50Ms),
      ratio(three.p50Ms, postfix.p50Ms),
    ],
    [
      'latency DATA-accepted → sink p99 (ms)',
      ms(three.p99Ms),
      ms(twoFresh.p99Ms),
      ms(two.p99Ms),
      ms(postfix.p99Ms),
      ratio(three.p99Ms, twoFresh.p99Ms),
      ratio(three.p99Ms, postfix.p99Ms),
    ],
  ];
}
function threeRelayProblems(x?: ThreeRelayResult): string[] {
  if (!x) return [];
  return [
    x.three.error && `ours, 3 relays, end to end: ${x.three.error}`,
    x.twoFresh.error && `ours, 2 relays (fresh stack), end to end: ${x.twoFresh.error}`,
    !x.reused && x.two.error && `ours, 2 relays, end to end (reference): ${x.two.error}`,
    !x.reused && x.postfix.error && `postfix end to end (reference): ${x.postfix.error}`,
  ].filter((e): e is string => !!e);
}

const mdTable = (t: string[][]): string[] => [
  `| ${t[0]!.join(' | ')} |`,
  `| ${t[0]!.map(() => '---').join(' | ')} |`,
  ...t.slice(1).map((row) => `| ${row.join(' | ')} |`),
];
const problemLines = (list: string[]): string[] =>
  list.length ? ['', '**Problems in this section:**', '', ...list.map((e) => `- ${e}`)] : [];

export function routingSection(x: RoutingResult & SectionStamp): string {
  const states = x.ipStates
    ? Object.entries(x.ipStates)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')
    : 'mixed states';
  const rounds = (c: RoutingComparison): string =>
    `${c.large.rounds.map(int).join(', ')} vs ${c.reference.rounds.map(int).join(', ')}`;
  return [
    '## Routing decision cost (MDE)',
    '',
    stamp(x),
    '',
    ...mdTable(routingRows(x)!),
    '',
    `Method: bench/routing.ts in a process of its own, run before any of our service stacks starts (PostgreSQL, and in a full run Temporal, Postfix and the sink, are up but idle). One decision = routing one message (all of its recipient domains) as the route activity does. (a) \`routeRecipients\` (src/domain/mde/routing-rules.ts) called back to back over ${int(x.requestCount)} generated messages with ${int(x.ruleCount)} rules and ${x.ipCount} IPs; (b) the same messages with 1 catch-all rule and 2 IPs. The two alternate in rounds of ${x.roundMs / 1000} s (${x.rounds} rounds each after a half-length warm-up round); the figures are medians of the rounds, the ratio the median of the per-round ratios. ` +
      (x.db
        ? `(c) \`createRoutingSnapshotLoader()\` (src/mde/routing-snapshot.ts) against our PostgreSQL holding the same rules, groups, pools, IPs and relays (migration 002 tables), then \`routeRecipients\`, one decision at a time, alternating with the same on a database with 1 rule and 2 IPs (${x.db.large.rounds.length} rounds): per decision the loader reads the config counter and the ${x.ipCount} IP rows (rules and groups come from its cache); not included are the route activity's other reads and writes (message row, recorded route, \`routed\` event).`
        : x.dbError
          ? `(c) failed: ${x.dbError}.`
          : '(c), the loader against PostgreSQL, was not measured in this run.'),
    '',
    `Per-round decisions/s, ${int(x.ruleCount)} rules vs reference: (a)/(b) ${rounds(x.pure)}${x.db ? `; (c) ${rounds(x.db)}` : ''}.`,
    '',
    `The generated set (bench/routing-fixture.ts, seeded, the same every run): ${int(x.ruleCount - 1)} rules rotating over ten kinds — accountId; sender domain exact; recipient domain exact, \`*.\` wildcard, or \`group:\` (40 groups of 5 domains); accountId + group; sender wildcard + recipient exact; tag; tag + priority; accountId + tag + priority — with increasing priorities (some ties, ordered by id) and pools drawn from ${x.poolCount - 1}, then a catch-all → \`default\` last. ${x.ipCount} IPs over ${x.poolCount} pools and ${x.relayCount} relays (2 unhealthy): ${states}. Messages: ${x.recipientsPerMessage.toFixed(1)} recipients over ${x.domainsPerMessage.toFixed(1)} domains on average (1–5 recipients, 1–3 domains); each aims at a rule drawn uniformly from the list, so the matching rule per recipient domain sits at position mean ${int(x.matchedPosition.mean)}, p50 ${x.matchedPosition.p50}, p90 ${x.matchedPosition.p90} of ${int(x.ruleCount)}; ${(100 * x.matchedPosition.catchAllShare).toFixed(0)}% of the domains (those no rule names) reach the catch-all.`,
    ...problemLines(routingProblems(x)),
    '',
  ].join('\n');
}

export function latencySection(x: LatencyResult & SectionStamp): string {
  const a = x.push;
  return [
    '## Status latency: destination 250 → `delivered` in the API',
    '',
    stamp(x),
    '',
    ...mdTable(latencyRows(x)!),
    '',
    `Method: for each mode a fresh stack (worker + ingress + api, 2 in-process relays, its own database), ${a.sent} messages (1 recipient, 5 KB) sent at ${a.rate} msg/s over ${a.sessions} plain SMTP sessions (bench/smtp-load.ts --rate) after a ${a.warmup}-message warm-up. Push on: \`RELAY_PUSH=on\` (relays post each outcome to \`POST /v1/relay-reports\`) with the poll schedule at ${a.pollInterval}; push off: \`RELAY_PUSH=off\` with \`RELAY_POLL_INTERVAL=${x.poll.pollInterval}\`, status by the poll only. The 250 instant is taken in the sink process as it answers the end of DATA; the visibility instant is when the response of the bench's poller first listed the message as delivered — one \`GET /v1/messages?status=delivered&limit=500\` every ${a.pollEveryMs} ms for all messages of the stack (${a.pollRequests} + ${x.poll.pollRequests} requests, ${a.pollAvgMs} / ${x.poll.pollAvgMs} ms each on average), so a figure is late by at most one poll period plus one request. At the end every message is read once with \`GET /v1/messages/:id\`: ${a.verified}/${a.accepted} and ${x.poll.verified}/${x.poll.accepted} show \`delivered\`. The poller runs in the bench process, which also hosts the service.`,
    ...problemLines(latencyProblems(x)),
    '',
  ].join('\n');
}

export function threeRelaySection(x: ThreeRelayResult & SectionStamp): string {
  const row = (who: string, relays: string, e: E2eFigure): string =>
    `| ${who} | ${relays} | ${e.count} | ${e.delivered} | ${f1(e.acceptPerSec)} | ${f1(e.e2ePerSec)} | ${ms(e.p50Ms)} | ${ms(e.p99Ms)} | ${sources(e)} |`;
  return [
    '## End to end with three relays',
    '',
    stamp(x),
    '',
    ...mdTable(threeRelayRows(x)!),
    '',
    '| Target | Relays | Sent | At sink | Accepted msg/s | End-to-end msg/s | p50 ms | p99 ms | Delivered from (source address: messages) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    row('ours, fresh stack', '3', x.three),
    row('ours, fresh stack', '2', x.twoFresh),
    row('ours, e2e section', '2', x.two),
    row('postfix', '–', x.postfix),
    '',
    `Method: the end-to-end run (bench/smtp-load.ts, 10 sessions, back to back, the same message count as the two-relay end-to-end run) against a fresh stack started with \`RELAY_COUNT=3\` — relays relay-1…relay-3 sending from 127.0.0.2…127.0.0.4, status by the poll every 1 s as in the two-relay runs; routing setup: ${x.routingSetup} — and, just before it, against a fresh \`RELAY_COUNT=2\` stack in exactly the same way (20-message warm-up each; the main stack stopped before either starts), so "3 relays / 2 relays" compares like with like. ${x.reused ? 'The "e2e section" and Postfix figures are those of the end-to-end section of this same run (that stack had served the acceptance runs before).' : 'The "e2e section" and Postfix figures were measured in this section just before, on the main two-relay stack, with the same generator and sink.'} "Delivered from" is the client address the sink saw: every relay took part.`,
    ...problemLines(threeRelayProblems(x)),
    '',
  ].join('\n');
}

/** The MDE sections this run measured, in document order. */
export function newSections(r: Results): string[] {
  return [
    r.routing && routingSection(r.routing),
    r.latency && latencySection(r.latency),
    r.threeRelays && threeRelaySection(r.threeRelays),
  ].filter((s): s is string => !!s);
}

/**
 * For a full run: the sections of the previous document whose heading the new one lacks (written by hand, or by a
 * tool of its own such as the bounce classifier's accuracy, which its ratchet test reads) follow the new document,
 * in their previous order, so a full run replaces what it measures and nothing else.
 */
export function keepOtherSections(doc: string, previous: string): string {
  const sections = `\n${previous}`.split('\n## ').slice(1);
  const kept = sections.filter((section) => {
    const heading = `## ${section.slice(0, section.indexOf('\n'))}`;
    return !doc.startsWith(heading + '\n') && !doc.includes(`\n${heading}\n`);
  });
  return kept.length ? `${doc.trimEnd()}\n\n${kept.map((x) => `## ${x.trimEnd()}\n`).join('\n')}` : doc;
}

/**
 * For a run of only some sections: each rendered section (starting with its `## ` heading) replaces the section of
 * the same heading in the previous document, or goes in before the problems / notes / bounce sections if new.
 */
export function spliceSections(previous: string, sections: string[]): string {
  let doc = previous;
  for (const section of sections) {
    const heading = section.slice(0, section.indexOf('\n'));
    const body = section.trimEnd() + '\n';
    const found = doc.startsWith(heading + '\n') ? 0 : doc.indexOf(`\n${heading}\n`);
    const at = found > 0 ? found + 1 : found;
    if (at >= 0) {
      const next = doc.indexOf('\n## ', at + heading.length);
      doc = doc.slice(0, at) + body + (next >= 0 ? doc.slice(next) : '');
      continue;
    }
    const anchors = ['\n## Problems during this run', '\n## How it is run', '\n## Bounce classification']
      .map((a) => doc.indexOf(a))
      .filter((i) => i >= 0);
    const insertAt = anchors.length ? Math.min(...anchors) + 1 : doc.length;
    doc =
      doc.slice(0, insertAt) +
      (insertAt === doc.length && !doc.endsWith('\n\n') ? '\n' : '') +
      body +
      '\n' +
      doc.slice(insertAt);
  }
  return doc;
}
