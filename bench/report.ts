// Renders the benchmark results: a plain-text table for the terminal and docs/benchmarks.md.

export interface AcceptFigure { sessions: number; count: number; ms: number; perSec: number; completeMs?: number; reuse?: boolean; error?: string }
export interface E2eFigure { sessions: number; count: number; delivered: number; acceptPerSec: number; e2ePerSec: number; p50Ms: number; p99Ms: number; maxMs: number; cpuSeconds: Record<string, number>; wallSeconds: number; error?: string }
export interface Results {
  date: string;
  machine: { nproc: number; cpuModel: string; memoryGiB: number; os: string; node: string; postfix: string; loadAverage: number[] };
  targetSeconds: number;
  accept: Array<{ sessions: number; ours: AcceptFigure; postfix: AcceptFigure }>;
  /** smtp-source -d: messages back to back over one connection per session. */
  acceptReuse: Array<{ sessions: number; ours: AcceptFigure; postfix: AcceptFigure }>;
  tls: AcceptFigure[];
  e2e: Array<{ ours: E2eFigure; postfix: E2eFigure }>;
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const ratio = (a: number, b: number): string => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : 'n/a');
const flag = (e?: string): string => (e ? ' (!)' : '');

function rows(r: Results): string[][] {
  const out: string[][] = [['Scenario', 'Ours', 'Postfix', 'Ours / Postfix']];
  for (const a of r.accept) {
    out.push([`Accepted msg/s, plaintext trusted, ${a.sessions} session(s)`, f1(a.ours.perSec) + flag(a.ours.error), f1(a.postfix.perSec) + flag(a.postfix.error), ratio(a.ours.perSec, a.postfix.perSec)]);
  }
  for (const a of r.acceptReuse) {
    out.push([`  same, ${a.sessions} sessions, connection reused (-d)`, f1(a.ours.perSec) + flag(a.ours.error), f1(a.postfix.perSec) + flag(a.postfix.error), ratio(a.ours.perSec, a.postfix.perSec)]);
  }
  for (const t of r.tls) {
    const pf = r.accept.find((a) => a.sessions === t.sessions)?.postfix.perSec ?? NaN;
    out.push([`Accepted msg/s, STARTTLS+AUTH, ${t.sessions} session(s)`, f1(t.perSec) + flag(t.error), `(${f1(pf)} plaintext)`, ratio(t.perSec, pf)]);
  }
  for (const e of r.e2e) {
    out.push([`End-to-end msg/s, ${e.ours.sessions} sessions`, f1(e.ours.e2ePerSec) + flag(e.ours.error), f1(e.postfix.e2ePerSec) + flag(e.postfix.error), ratio(e.ours.e2ePerSec, e.postfix.e2ePerSec)]);
    out.push(['Latency DATA-accepted → sink, p50 (ms)', String(e.ours.p50Ms), String(e.postfix.p50Ms), ratio(e.ours.p50Ms, e.postfix.p50Ms)]);
    out.push(['Latency DATA-accepted → sink, p99 (ms)', String(e.ours.p99Ms), String(e.postfix.p99Ms), ratio(e.ours.p99Ms, e.postfix.p99Ms)]);
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
  return list;
}

export function renderTable(r: Results): string {
  const table = rows(r);
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]): string => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)];
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
    for (const [who, x] of [['ours', a.ours], ['postfix', a.postfix]] as const) {
      detail.push(`| ${who} | plaintext${x.reuse ? ', -d' : ''} | ${a.sessions} | ${x.count} | ${(x.ms / 1000).toFixed(2)} | ${f1(x.perSec)} | ${x.completeMs ? (x.completeMs / 1000).toFixed(2) : 'n/a'} |`);
    }
  }
  for (const t of r.tls) detail.push(`| ours | STARTTLS+AUTH | ${t.sessions} | ${t.count} | ${(t.ms / 1000).toFixed(2)} | ${f1(t.perSec)} | ${t.completeMs ? (t.completeMs / 1000).toFixed(2) : 'n/a'} |`);
  const e2eDetail: string[] = [];
  for (const e of r.e2e) {
    for (const [who, x] of [['ours', e.ours], ['postfix', e.postfix]] as const) {
      e2eDetail.push(`| ${who} | ${x.sessions} | ${x.count} | ${x.delivered} | ${f1(x.acceptPerSec)} | ${f1(x.e2ePerSec)} | ${x.p50Ms} | ${x.p99Ms} | ${x.maxMs} |`);
    }
  }
  const cpu: string[] = [];
  for (const e of r.e2e) {
    for (const [who, x] of [['ours', e.ours], ['postfix', e.postfix]] as const) {
      const parts = Object.entries(x.cpuSeconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ');
      const perMsg = Object.entries(x.cpuSeconds).filter(([k]) => k !== 'sink').reduce((s, [, v]) => s + v, 0) * 1000 / Math.max(1, x.delivered);
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
    'Machines are noisy: read the **ratios** (our service / Postfix, measured in the same run, same generator, same sink) first.',
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
    'CPU time used during the end-to-end runs (from /proc, attributed by process ancestry; short-lived processes that exited before the end of the run are not counted; the machine has ' + `${m.nproc} CPUs, so at most ${m.nproc} CPU-seconds per wall second):`,
    '',
    '| Target | Wall s | CPU seconds by component | CPU ms per delivered message (excl. sink) |',
    '| --- | --- | --- | --- |',
    ...cpu,
    '',
    ...(errs.length ? ['## Problems during this run', '', ...errs.map((e) => `- ${e}`), ''] : []),
    notes.trim(),
    '',
  ].join('\n');
}
