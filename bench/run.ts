// `npm run bench`: acceptance and end-to-end throughput of our service against a private Postfix instance on the same
// machine in the same run, driven by the same load generators and delivering to the same sink; and the Mail
// Distribution Engine's figures, each against a reference measured side by side in the same run. Prints
// tables and writes docs/benchmarks.md. Everything listens on loopback; everything started here is stopped at the end.
//
// Sections, in the order they run (BENCH_ONLY=<comma-separated list> runs only those; default all of them):
//   routing  routing decision cost, 1,000 rules / 200 IPs vs 1 rule / 2 IPs (bench/routing.ts, own process; also
//            through the snapshot loader on PostgreSQL unless BENCH_ROUTING_DB=0)
//   accept   1a/1a'. accepted msg/s, smtp-source, plaintext, ours vs Postfix
//   tls      1b. accepted msg/s over STARTTLS + AUTH (ours)
//   e2e      2. end-to-end throughput and latency at 10 sessions, ours (2 relays) vs Postfix
//   floor    2f. the Temporal floor: a minimal workflow per message (bench/floor.ts, own process, same dev server),
//            10 starters; workflows/s and CPU per workflow, and "ours / floor" against the e2e figures of this run
//   single   2s. one message at a time over one STARTTLS+AUTH connection at 20 msg/s offered: our DATA 250 → sink
//   e2e3     3. end to end with three relays (RELAY_COUNT=3) on a fresh stack, next to a fresh two-relay stack under
//            the same load, the two-relay figure of e2e, and Postfix (if e2e is not selected, its two-relay and
//            Postfix runs are made here, sized by the 1a' runs, which are made here too if needed)
//   latency  4. time from the destination's 250 to `delivered` in the API, push on vs push off at a short poll interval
//   parsers  parsers of outside input, ordinary vs worst known input, ms per MiB and the ratio (bench/parsers.ts, own
//            process; printed only, not written to docs/benchmarks.md)
//   dkim     end-to-end msg/s with DKIM signing on vs off, alternating rounds on one stack (bench/dkim-e2e.ts, own
//            process; printed only)
// e.g. `BENCH_ONLY=routing,e2e3,latency npm run bench`. A full run rewrites docs/benchmarks.md (keeping the sections
// it does not write: hand-written ones, the bounce classification); a partial run replaces only the routing /
// latency / three-relay sections it measured in the existing document (the accept/tls/e2e figures share the summary
// table, so only a full run writes them).
//
// Environment: BENCH_SECONDS (target length of one measured run, default 10), BENCH_PROFILE=1 (CPU-profile our
// process during its end-to-end run, write the .cpuprofile to the current directory and print the top functions),
// LOG_LEVEL (the service's log level during the run, default warn), BENCH_ROUTING_DB=0 (routing: skip the PostgreSQL
// measurement), BENCH_LATENCY_COUNT / BENCH_LATENCY_RATE / BENCH_LATENCY_POLL_INTERVAL (latency: messages per mode,
// default 100; send rate in msg/s, default 8; RELAY_POLL_INTERVAL of the push-off run, default 5s),
// BENCH_FLOOR_COUNT (floor: workflows measured, default 500), BENCH_SINGLE_COUNT / BENCH_SINGLE_RATE (single: messages,
// default 200; offered msg/s, default 20), BENCH_TEMPORAL_DB (the Temporal dev server's storage: `memory`, default;
// `file`, a SQLite file with the CLI's settings; `file-wal`, a SQLite file with the settings of `npm start`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../src/infra/free-port.js';
import { createLogger } from '../src/log.js';
import { postfixAvailable, startPostfix, type PostfixInstance } from './postfix.js';
import { startInfra, startService, type Infra, type Service, type ServiceOptions } from './service.js';
import { startCpuProfile, summarizeProfile } from './profile.js';
import { measureCpu, postmasterPid, type Roots } from './cpu-usage.js';
import {
  clamp,
  elapsedSeconds,
  percentile,
  progress,
  rate,
  runChild,
  sleep,
  smtpLoad,
  startSink,
  stopSink,
  type SinkProc,
} from './harness.js';
import { measureStatusLatency } from './status-latency.js';
import {
  floorRows,
  floorSection,
  singleRows,
  singleSection,
  textRows,
  type FloorResult,
  type SingleResult,
} from './floor-report.js';
import { measureFloor, measureSingle } from './floor-sections.js';
import {
  newSections,
  renderMarkdown,
  renderTable,
  keepOtherSections,
  spliceSections,
  type AcceptFigure,
  type E2eFigure,
  type LatencyFigure,
  type LatencyResult,
  type Results,
  type RoutingResult,
  type SectionStamp,
  type ThreeRelayResult,
} from './report.js';

process.env.LOG_LEVEL ??= 'warn';
const TARGET_S = Number(process.env.BENCH_SECONDS ?? 10);
const DRAIN_TIMEOUT_MS = 45_000;
/** A measured run is also shortened so that its delivery backlog drains in about this long (our e2e rate is low). */
const DRAIN_BUDGET_S = 25;
const SESSIONS = [1, 10, 50];
const LATENCY = {
  count: Number(process.env.BENCH_LATENCY_COUNT ?? 100),
  rate: Number(process.env.BENCH_LATENCY_RATE ?? 8),
  pollInterval: process.env.BENCH_LATENCY_POLL_INTERVAL ?? '5s',
  sessions: 2,
  warmup: 10,
  pollEveryMs: 50,
};
const loadAtStart = os.loadavg();

const ALL_SECTIONS = [
  'routing',
  'accept',
  'tls',
  'e2e',
  'floor',
  'single',
  'e2e3',
  'latency',
  'parsers',
  'dkim',
] as const;
type Section = (typeof ALL_SECTIONS)[number];
function selectedSections(value: string | undefined): Section[] {
  if (!value?.trim()) return [...ALL_SECTIONS];
  const asked = value
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const unknown = asked.filter((x) => !(ALL_SECTIONS as readonly string[]).includes(x));
  if (unknown.length)
    throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; known: ${ALL_SECTIONS.join(', ')}`);
  return ALL_SECTIONS.filter((x) => asked.includes(x));
}
const sections = selectedSections(process.env.BENCH_ONLY);
const fullRun = sections.length === ALL_SECTIONS.length;
const wants = (x: Section): boolean => sections.includes(x);
const stampNow = (): SectionStamp => ({
  at: new Date().toISOString(),
  loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
});

// ---- one acceptance run with smtp-source -----------------------------------------------------------------------

/** One acceptance run: the figure the report renders. */
type AcceptRun = AcceptFigure;

/** Messages for a run of about TARGET_S seconds whose backlog drains in about DRAIN_BUDGET_S, from a calibration run. */
function sizeRun(probe: { count: number; perSec: number; completeMs?: number }, sessions: number): number {
  const e2ePerSec = probe.completeMs ? rate(probe.count, probe.completeMs) : Infinity;
  return Math.round(clamp(Math.min(probe.perSec * TARGET_S, e2ePerSec * DRAIN_BUDGET_S), sessions * 5, 20_000));
}

async function smtpSource(
  port: number,
  sessions: number,
  count: number,
  sink: SinkProc,
  reuse = false,
): Promise<AcceptRun> {
  const before = sink.total;
  const start = Date.now();
  const r = await runChild('smtp-source', [
    ...(reuse ? ['-d'] : []),
    '-s',
    String(sessions),
    '-m',
    String(count),
    '-l',
    '5120',
    '-f',
    'from@example.com',
    '-t',
    'to@dest.test',
    `127.0.0.1:${port}`,
  ]);
  const run: AcceptRun = { sessions, count, ms: r.ms, perSec: rate(count, r.ms), reuse };
  if (r.code !== 0) run.error = `smtp-source exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`;
  // Drain before the next run so its backlog does not compete; the time to the last arrival is a completion figure.
  const drained = await sink.waitForTotal(before + count, DRAIN_TIMEOUT_MS);
  if (drained) run.completeMs = sink.lastArrival - start;
  else
    run.error =
      (run.error ? run.error + '; ' : '') +
      `only ${sink.total - before}/${count} reached the sink within ${DRAIN_TIMEOUT_MS / 1000} s of the end`;
  return run;
}

/** A short calibration run (also the warm-up), then a run sized to last about TARGET_S seconds. */
async function measureAccept(
  label: string,
  port: number,
  sessions: number,
  sink: SinkProc,
  reuse = false,
): Promise<AcceptRun> {
  const probeCount = Math.max(20, sessions * 2);
  const name = `${label} s=${sessions}${reuse ? ' -d' : ''}`;
  const probe = await smtpSource(port, sessions, probeCount, sink, reuse);
  if (probe.error) {
    progress(`  ${name}: calibration failed: ${probe.error}`);
    return probe;
  }
  const count = sizeRun(probe, sessions);
  progress(`  ${name}: calibration ${probe.perSec.toFixed(0)} msg/s → measuring ${count} messages`);
  const run = await smtpSource(port, sessions, count, sink, reuse);
  progress(
    `  ${name}: ${run.perSec.toFixed(1)} msg/s accepted (${count} in ${(run.ms / 1000).toFixed(1)} s)` +
      (run.completeMs ? `, all at the sink after ${(run.completeMs / 1000).toFixed(1)} s` : '') +
      (run.error ? `  ERROR ${run.error}` : ''),
  );
  return run;
}

// ---- TLS + AUTH with nodemailer ----------------------------------------------------------------------------------

interface TlsRun {
  sessions: number;
  count: number;
  ms: number;
  perSec: number;
  completeMs?: number;
  error?: string;
}

async function nodemailerRun(svc: Service, sessions: number, count: number, sink: SinkProc): Promise<TlsRun> {
  const before = sink.total;
  const start = Date.now();
  const r = await runChild(
    'bench/tls-load.ts',
    [String(svc.submissionPort), String(sessions), String(count), svc.account.username, svc.account.password],
    { ts: true },
  );
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as {
    startMs?: number;
    endMs?: number;
    ok?: number;
    errors?: string[];
    errorCount?: number;
  };
  const ms = (out.endMs ?? 0) - (out.startMs ?? 0);
  const run: TlsRun = { sessions, count, ms, perSec: rate(out.ok ?? 0, ms) };
  if (r.code !== 0 || (out.errorCount ?? 0) > 0 || out.ok !== count)
    run.error = `exit ${r.code}, ${out.ok ?? 0}/${count} ok, ${out.errorCount ?? '?'} errors: ${(out.errors ?? []).join(' | ') || r.stderr.slice(-300)}`;
  if (await sink.waitForTotal(before + (out.ok ?? 0), DRAIN_TIMEOUT_MS)) run.completeMs = sink.lastArrival - start;
  else
    run.error =
      (run.error ? run.error + '; ' : '') +
      `only ${sink.total - before}/${out.ok ?? 0} reached the sink within ${DRAIN_TIMEOUT_MS / 1000} s of the end`;
  return run;
}

async function measureTls(svc: Service, sessions: number, sink: SinkProc): Promise<TlsRun> {
  const probe = await nodemailerRun(svc, sessions, Math.max(20, sessions * 2), sink);
  if (probe.error) {
    progress(`  ours TLS s=${sessions}: calibration failed: ${probe.error}`);
    return probe;
  }
  const count = sizeRun(probe, sessions);
  progress(`  ours TLS+AUTH s=${sessions}: calibration ${probe.perSec.toFixed(0)} msg/s → measuring ${count} messages`);
  const run = await nodemailerRun(svc, sessions, count, sink);
  progress(
    `  ours TLS+AUTH s=${sessions}: ${run.perSec.toFixed(1)} msg/s accepted (${count} in ${(run.ms / 1000).toFixed(1)} s)${run.error ? `  ERROR ${run.error}` : ''}`,
  );
  return run;
}

// ---- end to end -------------------------------------------------------------------------------------------------

type E2eRun = E2eFigure;

async function measureE2e(
  label: string,
  port: number,
  sessions: number,
  count: number,
  sink: SinkProc,
  cpuRoots: () => Roots,
): Promise<E2eRun> {
  const tag = `${label}-${Date.now().toString(36)}`;
  progress(`  ${label} e2e s=${sessions}: sending ${count} messages`);
  const cpu = measureCpu(cpuRoots);
  const out = await smtpLoad({ port, sessions, count, tag });
  const accepted = out.accepted;
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const arrivedCount = (): number => accepted.filter(([id]) => sink.arrivals.has(id)).length;
  while (arrivedCount() < accepted.length && Date.now() < deadline) await sleep(100);
  const cpuSeconds = cpu.stop();
  const latencies: number[] = [];
  const bySource: Record<string, number> = {};
  let last = 0;
  for (const [id, at] of accepted) {
    const arrived = sink.arrivals.get(id);
    if (arrived === undefined) continue;
    latencies.push(arrived - at);
    last = Math.max(last, arrived);
    const from = sink.sources.get(id) ?? '?';
    bySource[from] = (bySource[from] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const run: E2eRun = {
    sessions,
    count,
    delivered: latencies.length,
    acceptPerSec: rate(accepted.length, out.endMs - out.startMs),
    e2ePerSec: rate(latencies.length, last - out.startMs),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    cpuSeconds,
    wallSeconds: Math.round((Math.max(last, out.endMs) - out.startMs) / 100) / 10,
    bySource,
  };
  const problems: string[] = [];
  if (out.errorCount) problems.push(`${out.errorCount} SMTP errors: ${out.errors.join(' | ')}`);
  if (latencies.length < accepted.length)
    problems.push(
      `${accepted.length - latencies.length}/${accepted.length} not at the sink within ${DRAIN_TIMEOUT_MS / 1000} s`,
    );
  if (problems.length) run.error = problems.join('; ');
  progress(
    `  ${label} e2e s=${sessions}: ${run.e2ePerSec.toFixed(1)} msg/s end to end, latency p50 ${run.p50Ms} ms p99 ${run.p99Ms} ms; CPU s ${JSON.stringify(cpuSeconds)}${run.error ? `  ERROR ${run.error}` : ''}`,
  );
  return run;
}

// ---- routing decision cost (child process) ----------------------------------------------------------------------

async function measureRouting(): Promise<RoutingResult & SectionStamp> {
  const stamp = stampNow();
  const withDb = process.env.BENCH_ROUTING_DB !== '0';
  progress(
    `0. routing decision cost: 1,000 rules / 200 IPs vs 1 rule / 2 IPs, pure${withDb ? ' and through the snapshot loader on PostgreSQL' : ''} (own process)`,
  );
  let result: RoutingResult | undefined;
  const r = await runChild('bench/routing.ts', withDb ? ['--db'] : [], {
    ts: true,
    timeoutMs: 300_000,
    onLine: (line) => {
      if (line.startsWith('P ')) progress(line.slice(2));
      if (line.startsWith('R ')) result = JSON.parse(line.slice(2)) as RoutingResult;
    },
  });
  await sleep(50); // the last line event may trail the exit
  if (!result) {
    const error = `bench/routing.ts exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    progress(`  routing FAILED: ${error}`);
    const none = { decisionsPerSec: NaN, rounds: [] };
    return {
      ...stamp,
      error,
      ruleCount: 1000,
      ipCount: 200,
      poolCount: 0,
      relayCount: 0,
      requestCount: 0,
      recipientsPerMessage: NaN,
      domainsPerMessage: NaN,
      matchedPosition: { mean: NaN, p50: NaN, p90: NaN, catchAllShare: NaN },
      roundMs: 0,
      rounds: 0,
      pure: { large: none, reference: none, ratio: NaN },
    };
  }
  return { ...stamp, ...result };
}

// ---- main ---------------------------------------------------------------------------------------------------------

const workDir = path.resolve('.bench-data', String(process.pid));
fs.mkdirSync(workDir, { recursive: true });
const log = createLogger({ component: 'bench' });
let sink: SinkProc | undefined;
let postfix: PostfixInstance | undefined;
let infra: Infra | undefined;
let svc: Service | undefined;
/** Stacks started by a section for itself (three relays, latency), closed by the section or at cleanup. */
const extraServices = new Set<Service>();
let exitCode = 0;

async function cleanup(): Promise<void> {
  progress('stopping everything');
  await postfix?.stop().catch((e: unknown) => progress(`postfix stop failed: ${String(e)}`));
  await svc?.close().catch((e: unknown) => progress(`service close failed: ${String(e)}`));
  for (const s of extraServices) await s.close().catch((e: unknown) => progress(`service close failed: ${String(e)}`));
  await infra?.stop().catch((e: unknown) => progress(`infra stop failed: ${String(e)}`));
  if (sink) await stopSink(sink);
  fs.rmSync(workDir, { recursive: true, force: true });
  try {
    fs.rmdirSync(path.dirname(workDir));
  } catch {
    /* another run's data is still there */
  }
}
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  progress('interrupted');
  void cleanup().then(() => process.exit(130));
});

/** CPU attribution for our stacks: everything of ours runs in this process, plus Temporal and PostgreSQL. */
function ourCpuRoots(): Roots {
  const pgPid = postmasterPid(path.join(workDir, 'pg', 'data'));
  const temporalPid = infra?.temporal?.process.pid;
  return {
    'node (ingress+worker+api+relays)': [process.pid],
    temporal: temporalPid ? [temporalPid] : [],
    postgres: pgPid ? [pgPid] : [],
    sink: sink ? [sink.child.pid!] : [],
  };
}

async function withService<T>(o: ServiceOptions, fn: (s: Service) => Promise<T>): Promise<T> {
  const s = await startService(sink!.port, o);
  extraServices.add(s);
  try {
    return await fn(s);
  } finally {
    extraServices.delete(s);
    await s.close();
  }
}

const failedE2e = (error: string, count = 0): E2eFigure => ({
  sessions: 10,
  count,
  delivered: 0,
  acceptPerSec: NaN,
  e2ePerSec: NaN,
  p50Ms: NaN,
  p99Ms: NaN,
  maxMs: NaN,
  cpuSeconds: {},
  wallSeconds: 0,
  error,
});
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

try {
  const needPostfix = wants('accept') || wants('e2e') || wants('e2e3');
  const needSink = sections.some((x) => x !== 'routing' && x !== 'parsers' && x !== 'dkim');
  const needTemporal = needSink || wants('dkim');
  if (needPostfix && !(await postfixAvailable()))
    throw new Error('Postfix is not installed: apt-get install -y postfix (it provides smtp-source too)');
  progress(
    `sections: ${sections.join(', ')}${fullRun ? '' : ' (BENCH_ONLY)'}; work dir ${workDir}; target ${TARGET_S} s per measured run`,
  );
  if (needSink) {
    sink = await startSink();
    progress(`sink listening on 127.0.0.1:${sink.port} (own process)`);
  }
  if (needPostfix) {
    postfix = await startPostfix(path.join(workDir, 'postfix'), await freePort(), sink!.port);
    progress(`postfix ${postfix.version} listening on 127.0.0.1:${postfix.port} (config ${postfix.configDir})`);
  }
  progress(
    `starting PostgreSQL${needTemporal ? ` and Temporal dev server (storage: BENCH_TEMPORAL_DB=${process.env.BENCH_TEMPORAL_DB ?? 'memory'})` : ''}`,
  );
  infra = await startInfra(workDir, log, { temporal: needTemporal });

  const results: Results = {
    date: new Date().toISOString(),
    machine: machineInfo(postfix?.version ?? 'not run'),
    targetSeconds: TARGET_S,
    sections,
    accept: [],
    acceptReuse: [],
    tls: [],
    e2e: [],
  };

  // Routing first, while nothing else of ours runs on the machine.
  if (wants('routing')) results.routing = await measureRouting();
  if (wants('parsers')) {
    progress('5. parsers of outside input: ordinary vs worst known input, ms per MiB (bench/parsers.ts, own process)');
    const r = await runChild('bench/parsers.ts', [], {
      ts: true,
      timeoutMs: 600_000,
      onLine: (line) => {
        if (!line.startsWith('R ')) progress(line.startsWith('P ') ? line.slice(2) : line);
      },
    });
    if (r.code !== 0) {
      progress(`  parsers FAILED: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      exitCode = 1;
    }
  }

  if (wants('dkim')) {
    progress('6. DKIM signing on vs off, end to end, alternating rounds (bench/dkim-e2e.ts, own process)');
    const r = await runChild('bench/dkim-e2e.ts', [], {
      ts: true,
      timeoutMs: 1_800_000,
      onLine: (line) => {
        if (line.startsWith('P ')) progress(line.slice(2));
        if (line.startsWith('R ')) {
          const d = JSON.parse(line.slice(2)) as { onMedian: number; offMedian: number; ratio: number; count: number };
          progress(
            `  median of rounds of ${d.count}: on ${d.onMedian.toFixed(1)} msg/s, off ${d.offMedian.toFixed(1)} msg/s, on / off ${d.ratio.toFixed(2)}`,
          );
        }
      },
    });
    if (r.code !== 0) {
      progress(`  dkim FAILED: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      exitCode = 1;
    }
  }

  const mainService = async (): Promise<Service> => {
    if (!svc) {
      svc = await startService(sink!.port);
      progress(
        `service: plain port ${svc.plainPort}, submission port ${svc.submissionPort}, relays 127.0.0.2/127.0.0.3 → sink (RELAY_PUSH=off, poll every 1s); routing: ${svc.routingSetup}`,
      );
    }
    return svc;
  };

  if (wants('accept')) {
    const s = await mainService();
    progress('1a. accepted msg/s, smtp-source, 5 KB, plaintext trusted network (a new connection per message)');
    for (const n of SESSIONS) {
      const pf = await measureAccept('postfix', postfix!.port, n, sink!);
      const ours = await measureAccept('ours', s.plainPort, n, sink!);
      results.accept.push({ sessions: n, ours, postfix: pf });
    }
  }
  const acceptReuse = async (why = ''): Promise<void> => {
    const s = await mainService();
    progress(
      `1a'. the same at 10 sessions with smtp-source -d (messages back to back over one connection per session)${why}`,
    );
    const pf = await measureAccept('postfix', postfix!.port, 10, sink!, true);
    const ours = await measureAccept('ours', s.plainPort, 10, sink!, true);
    results.acceptReuse.push({ sessions: 10, ours, postfix: pf });
  };
  if (wants('accept')) await acceptReuse();

  if (wants('tls')) {
    const s = await mainService();
    progress('1b. accepted msg/s, our submission port, STARTTLS + AUTH PLAIN, nodemailer pool');
    for (const n of SESSIONS) results.tls.push(await measureTls(s, n, sink!));
  }

  const endToEnd = async (): Promise<{ ours: E2eFigure; postfix: E2eFigure }> => {
    const s = await mainService();
    if (!results.acceptReuse.length) await acceptReuse(' — to size the end-to-end runs');
    progress('2. end to end at 10 sessions: first DATA → last arrival at the sink');
    const ten = results.acceptReuse[0];
    const sized = (r?: AcceptRun): number =>
      Math.round(clamp(r?.completeMs ? rate(r.count, r.completeMs) * TARGET_S * 1.5 : 100, 100, 20_000));
    const pfMaster = postfix!.masterPid();
    const pfE2e = await measureE2e('postfix', postfix!.port, 10, sized(ten?.postfix), sink!, () => ({
      postfix: pfMaster ? [pfMaster] : [],
      sink: [sink!.child.pid!],
    }));
    let profile: Awaited<ReturnType<typeof startCpuProfile>> | undefined;
    if (process.env.BENCH_PROFILE) profile = await startCpuProfile();
    const ourE2e = await measureE2e('ours', s.plainPort, 10, sized(ten?.ours), sink!, ourCpuRoots);
    if (profile) {
      const file = path.resolve(`bench-ours-e2e-${Date.now()}.cpuprofile`);
      const prof = await profile.stop(file);
      progress(`  CPU profile of our process during the end-to-end run written to ${file}; self time:`);
      for (const l of summarizeProfile(prof, 20)) progress(`    ${l}`);
    }
    const pair = { ours: ourE2e, postfix: pfE2e };
    results.e2e.push(pair);
    return pair;
  };
  if (wants('e2e')) await endToEnd();

  // The floor and the single-message latency: sections of their own in docs/benchmarks.md, spliced in below.
  let floorResult: (FloorResult & SectionStamp) | undefined;
  let singleResult: (SingleResult & SectionStamp) | undefined;
  if (wants('floor')) {
    const t = infra.temporal!;
    floorResult = await measureFloor(
      { address: t.address, pid: t.process.pid! },
      Number(process.env.BENCH_FLOOR_COUNT ?? 500),
    );
    if (floorResult.error) exitCode = 1;
  }
  if (wants('single')) {
    const count = Number(process.env.BENCH_SINGLE_COUNT ?? 200);
    const rate = Number(process.env.BENCH_SINGLE_RATE ?? 20);
    singleResult = await measureSingle(await mainService(), sink!, { count, rate, drainTimeoutMs: DRAIN_TIMEOUT_MS });
    // The same offered rate for the minimal workflow per message on the same server: what the design itself gives.
    const t = infra.temporal!;
    const floor = await measureFloor({ address: t.address, pid: t.process.pid! }, count, rate);
    singleResult.floor = {
      ...(floor.paced ?? { p50Ms: NaN, p99Ms: NaN, maxMs: NaN }),
      ...(floor.error ? { error: floor.error } : {}),
    };
  }

  if (wants('e2e3')) {
    const stamp = stampNow();
    const reused = results.e2e.length > 0;
    const ref = results.e2e[0] ?? (await endToEnd());
    // The main stack stops first; then a fresh two-relay and a fresh three-relay stack run the same load one after
    // the other, each with the machine to itself and the same warm-up, so their ratio compares like with like.
    await svc?.close();
    svc = undefined;
    progress(
      `3. end to end with three relays: fresh stacks with RELAY_COUNT=2, then RELAY_COUNT=3 (relay-1…relay-3 on 127.0.0.2…127.0.0.4), ${ref.ours.count} messages each as in the two-relay run`,
    );
    let routingSetup = 'n/a';
    const fresh = async (relayCount: number): Promise<E2eFigure> => {
      try {
        const fig = await withService({ relayCount }, async (s) => {
          if (relayCount === 3) routingSetup = s.routingSetup;
          progress(
            `  service (RELAY_COUNT=${relayCount}): plain port ${s.plainPort}; routing: ${s.routingSetup}; warming up with 20 messages`,
          );
          const warm = await smtpSource(s.plainPort, 10, 20, sink!);
          if (warm.error) progress(`  warm-up: ${warm.error}`);
          return measureE2e(`ours-${relayCount}-relays`, s.plainPort, 10, ref.ours.count, sink!, ourCpuRoots);
        });
        const used = Object.keys(fig.bySource ?? {}).filter((ip) =>
          Array.from({ length: relayCount }, (_, i) => `127.0.0.${i + 2}`).includes(ip),
        );
        if (used.length < relayCount) {
          fig.error =
            (fig.error ? `${fig.error}; ` : '') +
            `only ${used.length} of the ${relayCount} relays delivered (${JSON.stringify(fig.bySource)})`;
          progress(`  RELAY_COUNT=${relayCount}: ERROR ${fig.error}`);
        }
        return fig;
      } catch (err) {
        progress(`  RELAY_COUNT=${relayCount}: the stack FAILED: ${message(err)}`);
        return failedE2e(`the RELAY_COUNT=${relayCount} stack failed: ${message(err)}`, ref.ours.count);
      }
    };
    const twoFresh = await fresh(2);
    const three = await fresh(3);
    results.threeRelays = {
      ...stamp,
      three,
      twoFresh,
      two: ref.ours,
      postfix: ref.postfix,
      reused,
      routingSetup,
    } satisfies ThreeRelayResult & SectionStamp;
  }

  if (wants('latency')) {
    const stamp = stampNow();
    progress(
      `4. time from the destination's 250 to delivered in the API: ${LATENCY.count} messages at ${LATENCY.rate} msg/s, push on vs push off (RELAY_POLL_INTERVAL=${LATENCY.pollInterval}), each on a fresh stack`,
    );
    const one = async (label: string, o: ServiceOptions): Promise<LatencyFigure> => {
      try {
        return await withService(o, (s) => {
          progress(
            `  ${label}: stack with RELAY_PUSH=${s.push ? 'on' : 'off'}, RELAY_POLL_INTERVAL=${s.pollInterval}; API polled every ${LATENCY.pollEveryMs} ms`,
          );
          return measureStatusLatency(label, s, sink!, LATENCY);
        });
      } catch (err) {
        progress(`  ${label}: FAILED ${message(err)}`);
        return {
          push: o.push ?? false,
          pollInterval: o.pollInterval ?? '',
          rate: LATENCY.rate,
          sessions: LATENCY.sessions,
          pollEveryMs: LATENCY.pollEveryMs,
          warmup: LATENCY.warmup,
          sent: LATENCY.count,
          accepted: 0,
          measured: 0,
          verified: 0,
          minMs: NaN,
          p50Ms: NaN,
          p99Ms: NaN,
          maxMs: NaN,
          meanMs: NaN,
          within2s: 0,
          pollRequests: 0,
          pollAvgMs: NaN,
          error: message(err),
        };
      }
    };
    const push = await one('push on', { push: true, pollInterval: '10m' });
    const poll = await one('push off', { push: false, pollInterval: LATENCY.pollInterval });
    results.latency = { ...stamp, push, poll } satisfies LatencyResult & SectionStamp;
  }

  process.stdout.write('\n' + renderTable(results) + '\n');
  if (floorResult) process.stdout.write('\n' + textRows(floorRows(floorResult, results.e2e[0]?.ours)) + '\n');
  if (singleResult) process.stdout.write('\n' + textRows(singleRows(singleResult)) + '\n');
  // Sections this run does not write (hand-written ones, the bounce classifier's accuracy) are kept as they are.
  const previous = fs.existsSync('docs/benchmarks.md') ? fs.readFileSync('docs/benchmarks.md', 'utf8') : '';
  fs.mkdirSync('docs', { recursive: true });
  if (fullRun || !previous) {
    const doc = renderMarkdown(
      results,
      fs.existsSync('bench/notes.md') ? fs.readFileSync('bench/notes.md', 'utf8') : '',
    );
    fs.writeFileSync('docs/benchmarks.md', keepOtherSections(doc, previous));
    progress(`wrote docs/benchmarks.md (${elapsedSeconds()} s in all)`);
  } else {
    const fresh = newSections(results);
    if (fresh.length) {
      fs.writeFileSync('docs/benchmarks.md', spliceSections(previous, fresh));
      progress(
        `updated ${fresh.map((x) => `"${x.slice(3, x.indexOf('\n'))}"`).join(', ')} in docs/benchmarks.md; the rest is as the last full run left it (${elapsedSeconds()} s in all)`,
      );
    } else {
      progress(
        `docs/benchmarks.md left as it is: the ${sections.join('/')} figures are written by a full run only (${elapsedSeconds()} s in all)`,
      );
    }
  }
  const mine = [
    floorResult && floorSection(floorResult, results.e2e[0]?.ours),
    singleResult && singleSection(singleResult),
  ].filter((x): x is string => !!x);
  if (mine.length) {
    fs.writeFileSync('docs/benchmarks.md', spliceSections(fs.readFileSync('docs/benchmarks.md', 'utf8'), mine));
    progress(`updated the floor / single-message sections of docs/benchmarks.md`);
  }
} catch (err) {
  exitCode = 1;
  progress(`FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  if (!interrupted) await cleanup();
}
process.exit(exitCode);

function machineInfo(postfixVersion: string): Results['machine'] {
  const cpus = os.cpus();
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postfix: postfixVersion,
    loadAverage: loadAtStart.map((l) => Math.round(l * 100) / 100),
  };
}
