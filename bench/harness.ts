// Shared pieces of the benchmark run: progress lines, child processes, the sink process and its arrival records.
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

const t0 = Date.now();
export const progress = (msg: string): void => {
  const s = Math.round((Date.now() - t0) / 1000);
  process.stdout.write(
    `[bench ${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}] ${msg}\n`,
  );
};
export const elapsedSeconds = (): number => Math.round((Date.now() - t0) / 1000);
export const rate = (n: number, ms: number): number => (ms > 0 ? (n * 1000) / ms : 0);
export const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
export const percentile = (sorted: number[], p: number): number =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;

// ---- the sink (child process) ----------------------------------------------------------------------------------

export interface SinkProc {
  port: number;
  total: number;
  /** bench id (X-Bench-Id) → the moment the sink answered 250 to the end of DATA (epoch ms). */
  arrivals: Map<string, number>;
  /** bench id → the delivering client's address (our relays' source IPs, or Postfix's 127.0.0.1). */
  sources: Map<string, string>;
  lastArrival: number;
  child: ChildProcess;
  waitForTotal(n: number, timeoutMs: number): Promise<boolean>;
}

function tsChild(entry: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
}

export async function startSink(): Promise<SinkProc> {
  const child = tsChild('bench/sink.ts', []);
  const sink: SinkProc = {
    port: 0,
    total: 0,
    arrivals: new Map(),
    sources: new Map(),
    lastArrival: 0,
    child,
    async waitForTotal(n, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (sink.total < n) {
        if (Date.now() > deadline || child.exitCode !== null) return false;
        await sleep(50);
      }
      return true;
    },
  };
  const lines = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sink exited (${code})`)));
    lines.on('line', (line) => {
      const [kind, a, b, c] = line.split(' ');
      if (kind === 'READY') {
        sink.port = Number(a);
        resolve();
      }
      if (kind === 'A') {
        sink.total++;
        const at = Number(b);
        sink.lastArrival = Math.max(sink.lastArrival, at);
        if (a && a !== '-') {
          sink.arrivals.set(a, at);
          if (c) sink.sources.set(a, c);
        }
      }
    });
  });
  return sink;
}

export async function stopSink(sink: SinkProc): Promise<void> {
  if (sink.child.exitCode !== null) return;
  const exited = new Promise((r) => sink.child.once('exit', r));
  sink.child.kill('SIGTERM');
  await Promise.race([exited, sleep(3000)]);
  if (sink.child.exitCode === null) sink.child.kill('SIGKILL');
}

// ---- other child processes ----------------------------------------------------------------------------------------

export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command (or, with ts, a TypeScript entry under tsx) to its end; onLine sees each stdout line as it comes. */
export function runChild(
  cmd: string,
  args: string[],
  opts: { ts?: boolean; timeoutMs?: number; onLine?: (line: string) => void } = {},
): Promise<ChildResult> {
  return new Promise((resolve) => {
    const start = Date.now();
    const child = opts.ts
      ? spawn(process.execPath, ['--import', 'tsx', cmd, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, LOG_LEVEL: 'silent' },
        })
      : spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    if (opts.onLine) readline.createInterface({ input: child.stdout! }).on('line', opts.onLine);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-5000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 90_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - start });
    });
  });
}

/** The result line of bench/smtp-load.ts. accepted: [bench id, when the 250 to DATA was read, our queue id]. */
export interface LoadOutput {
  startMs: number;
  endMs: number;
  accepted: Array<[string, number, string?]>;
  errors: string[];
  errorCount: number;
}

export async function smtpLoad(o: {
  port: number;
  sessions: number;
  count: number;
  tag: string;
  rate?: number;
  timeoutMs?: number;
}): Promise<LoadOutput & { code: number; stderr: string }> {
  const args = ['--port', String(o.port), '--sessions', String(o.sessions), '--count', String(o.count), '--tag', o.tag];
  if (o.rate) args.push('--rate', String(o.rate));
  const r = await runChild('bench/smtp-load.ts', args, { ts: true, timeoutMs: o.timeoutMs });
  const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as Partial<LoadOutput>;
  return {
    startMs: out.startMs ?? 0,
    endMs: out.endMs ?? 0,
    accepted: out.accepted ?? [],
    errors: out.errors ?? (r.code ? [r.stderr.slice(-300)] : []),
    errorCount: out.errorCount ?? (r.code ? 1 : 0),
    code: r.code,
    stderr: r.stderr,
  };
}
