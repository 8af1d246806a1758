// `npm run bench`: acceptance and end-to-end throughput of our service against a private Postfix instance on the same
// machine in the same run, driven by the same load generators and delivering to the same sink. Prints a table and
// writes docs/benchmarks.md. Everything listens on loopback; everything started here is stopped at the end.
//
// Environment: BENCH_SECONDS (target length of one measured run, default 10), BENCH_PROFILE=1 (CPU-profile our
// process during its end-to-end run, write the .cpuprofile to the current directory and print the top functions),
// LOG_LEVEL (the service's log level during the run, default warn).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { freePort } from '../src/infra/free-port.js';
import { createLogger } from '../src/log.js';
import { postfixAvailable, startPostfix, type PostfixInstance } from './postfix.js';
import { startInfra, startService, type Infra, type Service } from './service.js';
import { startCpuProfile, summarizeProfile } from './profile.js';
import { measureCpu, postmasterPid, type Roots } from './cpu-usage.js';
import { renderMarkdown, renderTable, type Results } from './report.js';

process.env.LOG_LEVEL ??= 'warn';
const TARGET_S = Number(process.env.BENCH_SECONDS ?? 10);
const DRAIN_TIMEOUT_MS = 45_000;
/** A measured run is also shortened so that its delivery backlog drains in about this long (our e2e rate is low). */
const DRAIN_BUDGET_S = 25;
const SESSIONS = [1, 10, 50];
const t0 = Date.now();
const loadAtStart = os.loadavg();
const progress = (msg: string): void => {
  const s = Math.round((Date.now() - t0) / 1000);
  process.stdout.write(`[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg}\n`);
};
const rate = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

// ---- the sink (child process) ----------------------------------------------------------------------------------

interface SinkProc { port: number; total: number; arrivals: Map<string, number>; lastArrival: number; child: ChildProcess; waitForTotal(n: number, timeoutMs: number): Promise<boolean> }

function tsChild(entry: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
}

async function startSink(): Promise<SinkProc> {
  const child = tsChild('bench/sink.ts', []);
  const sink: SinkProc = {
    port: 0, total: 0, arrivals: new Map(), lastArrival: 0, child,
    async waitForTotal(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (sink.total < n) {
        if (Date.now() > deadline || child.exitCode !== null) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
      return true;
    },
  };
  const lines = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
    lines.on('line', (line) => {
      const [kind, a, b] = line.split(' ');
      if (kind === 'READY') { sink.port = Number(a); resolve(); }
      if (kind === 'A') {
        sink.total++;
        const at = Number(b);
        sink.lastArrival = Math.max(sink.lastArrival, at);
        if (a && a !== '-') sink.arrivals.set(a, at);
      }
    });
  });
  return sink;
}

function runChild(cmd: string, args: string[], opts: { ts?: boolean; timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = opts.ts
      ? spawn(process.execPath, ['--import', 'tsx', cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } })
      : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); if (stderr.length > 20_000) stderr = stderr.slice(-5000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - start });
    });
  });
}

// ---- one acceptance run with smtp-source -----------------------------------------------------------------------

interface AcceptRun { sessions: number; count: number; ms: number; perSec: number; completeMs?: number; reuse?: boolean; error?: string }

/** Messages for a run of about TARGET_S seconds whose backlog drains in about DRAIN_BUDGET_S, from a calibration run. */
function sizeRun(probe: { count: number; perSec: number; completeMs?: number }, sessions: number): number {
  const e2ePerSec = probe.completeMs ? rate(probe.count, probe.completeMs) : Infinity;
  return Math.round(clamp(Math.min(probe.perSec * TARGET_S, e2ePerSec * DRAIN_BUDGET_S), sessions * 5, 20_000));
}

async function smtpSource(port: number, sessions: number, count: number, sink: SinkProc, reuse = false): Promise<AcceptRun> {
  const before = sink.total;
  const start = Date.now();
  const r = await runChild('smtp-source', [...(reuse ? ['-d'] : []), '-s', String(sessions), '-m', String(count), '-l', '5120', '-f', 'from@example.com', '-t', 'to@dest.test', `127.0.0.1:${port}`]);
  const run: AcceptRun = { sessions, count, ms: r.ms, perSec: rate(count, r.ms), reuse };
  if (r.code !== 0) run.error = `smtp-source exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`;
  // Drain before the next run so its backlog does not compete; the time to the last arrival is a completion figure.
  const drained = await sink.waitForTotal(before + count, DRAIN_TIMEOUT_MS);
  if (drained) run.completeMs = sink.lastArrival - start;
  else run.error = (run.error ? run.error + '; ' : '') + `only ${sink.total - before}/${count} reached the sink within ${DRAIN_TIMEOUT_MS / 1000} s of the end`;
  return run;
}

/** A short calibration run (also the warm-up), then a run sized to last about TARGET_S seconds. */
async function measureAccept(label: string, port: number, sessions: number, sink: SinkProc, reuse = false): Promise<AcceptRun> {
  const probeCount = Math.max(20, sessions * 2);
  const name = `${label} s=${sessions}${reuse ? ' -d' : ''}`;
  const probe = await smtpSource(port, sessions, probeCount, sink, reuse);
  if (probe.error) { progress(`  ${name}: calibration failed: ${probe.error}`); return probe; }
  const count = sizeRun(probe, sessions);
  progress(`  ${name}: calibration ${probe.perSec.toFixed(0)} msg/s → measuring ${count} messages`);
  const run = await smtpSource(port, sessions, count, sink, reuse);
  progress(`  ${name}: ${run.perSec.toFixed(1)} msg/s accepted (${count} in ${(run.ms / 1000).toFixed(1)} s)` +
    (run.completeMs ? `, all at the sink after ${(run.completeMs / 1000).toFixed(1)} s` : '') + (run.error ? `  ERROR ${run.error}` : ''));
  return run;
}

// ---- TLS + AUTH with nodemailer ----------------------------------------------------------------------------------

interface TlsRun { sessions: number; count: number; ms: number; perSec: number; completeMs?: number; error?: string }

async function nodemailerRun(svc: Service, sessions: number, count: number, sink: SinkProc): Promise<TlsRun> {
  const before = sink.total;
  const start = Date.now();
  const r = await runChild('bench/tls-load.ts', [String(svc.submissionPort), String(sessions), String(count), svc.account.username, svc.account.password], { ts: true });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as { startMs?: number; endMs?: number; ok?: number; errors?: string[]; errorCount?: number };
  const ms = (out.endMs ?? 0) - (out.startMs ?? 0);
  const run: TlsRun = { sessions, count, ms, perSec: rate(out.ok ?? 0, ms) };
  if (r.code !== 0 || (out.errorCount ?? 0) > 0 || out.ok !== count) run.error = `exit ${r.code}, ${out.ok ?? 0}/${count} ok, ${out.errorCount ?? '?'} errors: ${(out.errors ?? []).join(' | ') || r.stderr.slice(-300)}`;
  if (await sink.waitForTotal(before + (out.ok ?? 0), DRAIN_TIMEOUT_MS)) run.completeMs = sink.lastArrival - start;
  else run.error = (run.error ? run.error + '; ' : '') + `only ${sink.total - before}/${out.ok ?? 0} reached the sink within ${DRAIN_TIMEOUT_MS / 1000} s of the end`;
  return run;
}

async function measureTls(svc: Service, sessions: number, sink: SinkProc): Promise<TlsRun> {
  const probe = await nodemailerRun(svc, sessions, Math.max(20, sessions * 2), sink);
  if (probe.error) { progress(`  ours TLS s=${sessions}: calibration failed: ${probe.error}`); return probe; }
  const count = sizeRun(probe, sessions);
  progress(`  ours TLS+AUTH s=${sessions}: calibration ${probe.perSec.toFixed(0)} msg/s → measuring ${count} messages`);
  const run = await nodemailerRun(svc, sessions, count, sink);
  progress(`  ours TLS+AUTH s=${sessions}: ${run.perSec.toFixed(1)} msg/s accepted (${count} in ${(run.ms / 1000).toFixed(1)} s)${run.error ? `  ERROR ${run.error}` : ''}`);
  return run;
}

// ---- end to end -------------------------------------------------------------------------------------------------

interface E2eRun { sessions: number; count: number; delivered: number; acceptPerSec: number; e2ePerSec: number; p50Ms: number; p99Ms: number; maxMs: number; cpuSeconds: Record<string, number>; wallSeconds: number; error?: string }

const percentile = (sorted: number[], p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);

async function measureE2e(label: string, port: number, sessions: number, count: number, sink: SinkProc, cpuRoots: () => Roots): Promise<E2eRun> {
  const tag = `${label}-${Date.now().toString(36)}`;
  progress(`  ${label} e2e s=${sessions}: sending ${count} messages`);
  const cpu = measureCpu(cpuRoots);
  const r = await runChild('bench/smtp-load.ts', ['--port', String(port), '--sessions', String(sessions), '--count', String(count), '--tag', tag], { ts: true });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as { startMs: number; endMs: number; accepted: Array<[string, number]>; errors: string[]; errorCount: number };
  const accepted = out.accepted ?? [];
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const arrivedCount = (): number => accepted.filter(([id]) => sink.arrivals.has(id)).length;
  while (arrivedCount() < accepted.length && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  const cpuSeconds = cpu.stop();
  const latencies: number[] = [];
  let last = 0;
  for (const [id, at] of accepted) {
    const arrived = sink.arrivals.get(id);
    if (arrived === undefined) continue;
    latencies.push(arrived - at);
    last = Math.max(last, arrived);
  }
  latencies.sort((a, b) => a - b);
  const run: E2eRun = {
    sessions, count, delivered: latencies.length,
    acceptPerSec: rate(accepted.length, out.endMs - out.startMs),
    e2ePerSec: rate(latencies.length, last - out.startMs),
    p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: latencies[latencies.length - 1] ?? NaN,
    cpuSeconds, wallSeconds: Math.round((Math.max(last, out.endMs) - out.startMs) / 100) / 10,
  };
  const problems: string[] = [];
  if (out.errorCount) problems.push(`${out.errorCount} SMTP errors: ${out.errors.join(' | ')}`);
  if (latencies.length < accepted.length) problems.push(`${accepted.length - latencies.length}/${accepted.length} not at the sink within ${DRAIN_TIMEOUT_MS / 1000} s`);
  if (problems.length) run.error = problems.join('; ');
  progress(`  ${label} e2e s=${sessions}: ${run.e2ePerSec.toFixed(1)} msg/s end to end, latency p50 ${run.p50Ms} ms p99 ${run.p99Ms} ms; CPU s ${JSON.stringify(cpuSeconds)}${run.error ? `  ERROR ${run.error}` : ''}`);
  return run;
}

// ---- main ---------------------------------------------------------------------------------------------------------

const workDir = path.resolve('.bench-data', String(process.pid));
fs.mkdirSync(workDir, { recursive: true });
const log = createLogger({ component: 'bench' });
let sink: SinkProc | undefined;
let postfix: PostfixInstance | undefined;
let infra: Infra | undefined;
let svc: Service | undefined;
let exitCode = 0;

async function cleanup(): Promise<void> {
  progress('stopping everything');
  await postfix?.stop().catch((e: unknown) => progress(`postfix stop failed: ${String(e)}`));
  await svc?.close().catch((e: unknown) => progress(`service close failed: ${String(e)}`));
  await infra?.stop().catch((e: unknown) => progress(`infra stop failed: ${String(e)}`));
  if (sink && sink.child.exitCode === null) {
    const exited = new Promise((r) => sink!.child.once('exit', r));
    sink.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (sink.child.exitCode === null) sink.child.kill('SIGKILL');
  }
  fs.rmSync(workDir, { recursive: true, force: true });
  try { fs.rmdirSync(path.dirname(workDir)); } catch { /* another run's data is still there */ }
}
let interrupted = false;
process.once('SIGINT', () => { interrupted = true; progress('interrupted'); void cleanup().then(() => process.exit(130)); });

try {
  if (!(await postfixAvailable())) throw new Error('Postfix is not installed: apt-get install -y postfix (it provides smtp-source too)');
  progress(`work dir ${workDir}; target ${TARGET_S} s per measured run`);
  sink = await startSink();
  progress(`sink listening on 127.0.0.1:${sink.port} (own process)`);
  postfix = await startPostfix(path.join(workDir, 'postfix'), await freePort(), sink.port);
  progress(`postfix ${postfix.version} listening on 127.0.0.1:${postfix.port} (config ${postfix.configDir})`);
  progress('starting PostgreSQL and Temporal dev server');
  infra = await startInfra(workDir, log);
  svc = await startService(sink.port);
  progress(`service: plain port ${svc.plainPort}, submission port ${svc.submissionPort}, relays 127.0.0.2/127.0.0.3 → sink`);

  const results: Results = { date: new Date().toISOString(), machine: machineInfo(postfix.version), targetSeconds: TARGET_S, accept: [], acceptReuse: [], tls: [], e2e: [] };

  progress('1a. accepted msg/s, smtp-source, 5 KB, plaintext trusted network (a new connection per message)');
  for (const s of SESSIONS) {
    const pf = await measureAccept('postfix', postfix.port, s, sink);
    const ours = await measureAccept('ours', svc.plainPort, s, sink);
    results.accept.push({ sessions: s, ours, postfix: pf });
  }
  progress('1a\'. the same at 10 sessions with smtp-source -d (messages back to back over one connection per session)');
  {
    const pf = await measureAccept('postfix', postfix.port, 10, sink, true);
    const ours = await measureAccept('ours', svc.plainPort, 10, sink, true);
    results.acceptReuse.push({ sessions: 10, ours, postfix: pf });
  }

  progress('1b. accepted msg/s, our submission port, STARTTLS + AUTH PLAIN, nodemailer pool');
  for (const s of SESSIONS) results.tls.push(await measureTls(svc, s, sink));

  progress('2. end to end at 10 sessions: first DATA → last arrival at the sink');
  const ten = results.acceptReuse[0];
  const sized = (r?: AcceptRun): number => Math.round(clamp(r?.completeMs ? rate(r.count, r.completeMs) * TARGET_S * 1.5 : 100, 100, 20_000));
  const pfMaster = postfix.masterPid();
  const pfE2e = await measureE2e('postfix', postfix.port, 10, sized(ten?.postfix), sink, () => ({ postfix: pfMaster ? [pfMaster] : [], sink: [sink!.child.pid!] }));
  const pgPid = postmasterPid(path.join(workDir, 'pg', 'data'));
  let profile: Awaited<ReturnType<typeof startCpuProfile>> | undefined;
  if (process.env.BENCH_PROFILE) profile = await startCpuProfile();
  const ourE2e = await measureE2e('ours', svc.plainPort, 10, sized(ten?.ours), sink, () => ({
    'node (ingress+worker+api+relays)': [process.pid], temporal: [infra!.temporal.process.pid!], postgres: pgPid ? [pgPid] : [], sink: [sink!.child.pid!],
  }));
  if (profile) {
    const file = path.resolve(`bench-ours-e2e-${Date.now()}.cpuprofile`);
    const prof = await profile.stop(file);
    progress(`  CPU profile of our process during the end-to-end run written to ${file}; self time:`);
    for (const l of summarizeProfile(prof, 20)) progress(`    ${l}`);
  }
  results.e2e.push({ ours: ourE2e, postfix: pfE2e });

  process.stdout.write('\n' + renderTable(results) + '\n');
  const doc = renderMarkdown(results, fs.existsSync('bench/notes.md') ? fs.readFileSync('bench/notes.md', 'utf8') : '');
  fs.mkdirSync('docs', { recursive: true });
  // Sections other tools own (the bounce classifier's accuracy, which its ratchet test reads) are kept as they are.
  const previous = fs.existsSync('docs/benchmarks.md') ? fs.readFileSync('docs/benchmarks.md', 'utf8') : '';
  const kept = previous.indexOf('\n## Bounce classification');
  fs.writeFileSync('docs/benchmarks.md', kept >= 0 ? `${doc.trimEnd()}\n${previous.slice(kept)}` : doc);
  progress(`wrote docs/benchmarks.md (${Math.round((Date.now() - t0) / 1000)} s in all)`);
} catch (err) {
  exitCode = 1;
  progress(`FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
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
