// Sections `floor` and `single` of `npm run bench` (bench/run.ts): measuring them. The figures and their rendering
// are in bench/floor-report.ts.
import os from 'node:os';
import { percentile, progress, runChild, sleep, type SinkProc } from './harness.js';
import type { FloorResult, SingleResult } from './floor-report.js';
import type { SectionStamp } from './report.js';
import type { Service } from './service.js';

const stampNow = (): SectionStamp => ({
  at: new Date().toISOString(),
  loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
});

/** The minimal workflow per message on the given dev server (bench/floor.ts in its own process). */
export async function measureFloor(
  temporal: { address: string; pid: number },
  count: number,
  rate?: number,
): Promise<FloorResult & SectionStamp> {
  const stamp = stampNow();
  const starters = 10;
  progress(
    rate === undefined
      ? `2f. Temporal floor: ${count} minimal workflows, ${starters} starters, same dev server (bench/floor.ts, own process)`
      : `  floor at ${rate}/s offered: ${count} minimal workflows, one paced starter (bench/floor.ts, own process)`,
  );
  let result: FloorResult | undefined;
  const r = await runChild(
    'bench/floor.ts',
    [temporal.address, String(temporal.pid), String(count), String(starters), ...(rate ? [String(rate)] : [])],
    {
      ts: true,
      timeoutMs: 300_000,
      onLine: (line) => {
        if (line.startsWith('P ')) progress(`  ${line.slice(2)}`);
        if (line.startsWith('R ')) result = JSON.parse(line.slice(2)) as FloorResult;
      },
    },
  );
  await sleep(50); // the last line event may trail the exit
  if (!result) {
    const error = `bench/floor.ts exit ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`;
    progress(`  floor FAILED: ${error}`);
    return { ...stamp, count, starters, completed: 0, seconds: 0, perSec: NaN, cpuSeconds: {}, error };
  }
  progress(
    `  floor: ${result.paced ? `p50 ${result.paced.p50Ms} ms, p99 ${result.paced.p99Ms} ms; ` : ''}${result.perSec.toFixed(1)} workflows/s; CPU s ${JSON.stringify(result.cpuSeconds)}${result.error ? `  ERROR ${result.error}` : ''}`,
  );
  return { ...stamp, ...result };
}

/**
 * One message at a time over one STARTTLS + AUTH connection at `rate` msg/s offered (after 20 to warm up): our DATA
 * 250 → the sink's 250, and the submission round trip.
 */
export async function measureSingle(
  s: Service,
  sink: SinkProc,
  o: { count: number; rate: number; drainTimeoutMs: number },
): Promise<SingleResult & SectionStamp> {
  const stamp = stampNow();
  progress(`2s. single-message latency: ${o.count} messages at ${o.rate} msg/s over one STARTTLS+AUTH connection`);
  const send = async (n: number, tag: string) => {
    const r = await runChild(
      'bench/submission-latency.ts',
      [String(s.submissionPort), s.account.username, s.account.password, String(n), String(o.rate), tag],
      { ts: true, timeoutMs: (n / o.rate) * 1000 + 120_000 },
    );
    const out = JSON.parse(r.stdout.trim().split('\n').pop() || '{}') as {
      accepted?: Array<[string, number, number]>;
      errors?: string[];
      errorCount?: number;
    };
    const accepted = out.accepted ?? [];
    const deadline = Date.now() + o.drainTimeoutMs;
    while (accepted.some(([id]) => !sink.arrivals.has(id)) && Date.now() < deadline) await sleep(100);
    const problems = [
      ...(r.code !== 0 ? [`exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`] : []),
      ...(out.errorCount ? [`${out.errorCount} submission errors: ${(out.errors ?? []).join(' | ')}`] : []),
    ];
    return { accepted, problems };
  };
  const tag = `single-${Date.now().toString(36)}`;
  await send(20, `${tag}-warm`);
  const { accepted, problems } = await send(o.count, tag);
  const latencies: number[] = [];
  for (const [id, , ackMs] of accepted) {
    const at = sink.arrivals.get(id);
    if (at !== undefined) latencies.push(at - ackMs);
  }
  if (latencies.length < accepted.length)
    problems.push(
      `${accepted.length - latencies.length} accepted but not at the sink within ${o.drainTimeoutMs / 1000} s`,
    );
  if (accepted.length < o.count) problems.push(`${o.count - accepted.length}/${o.count} not accepted`);
  latencies.sort((a, b) => a - b);
  const submits = accepted.map(([, handed, ack]) => ack - handed).sort((a, b) => a - b);
  const fig: SingleResult & SectionStamp = {
    ...stamp,
    rate: o.rate,
    count: o.count,
    accepted: accepted.length,
    measured: latencies.length,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    submitP50Ms: percentile(submits, 50),
    submitP99Ms: percentile(submits, 99),
    ...(problems.length ? { error: problems.join('; ') } : {}),
  };
  progress(
    `  single: DATA 250 → sink p50 ${fig.p50Ms} ms, p99 ${fig.p99Ms} ms; submission p50 ${fig.submitP50Ms} ms${fig.error ? `  ERROR ${fig.error}` : ''}`,
  );
  return fig;
}
