// The Temporal floor (child process of bench/run.ts, section `floor`): a minimal workflow per message (bench/floor-
// workflow.ts: start → one activity that does nothing → wait for one signal → complete) on the same Temporal dev
// server as our service, with its own worker and task queue in this process. 10 starters (as our end-to-end run has 10
// SMTP sessions) each start a workflow and send it its signal, back to back, until `count` have been started; the
// figure is workflows completed per second from the first start to the last completion, and the CPU of the Temporal
// server and of this process (worker + starters) per workflow over the same interval.
//
// With a fifth argument, a rate, it runs paced instead, the floor of the single-message latency section: workflow n
// is started (and signalled) at start + n/rate by one starter without waiting for the previous one, and the figure is
// the time from asking for the start to the completion, p50/p99.
//
//   tsx bench/floor.ts <temporal address> <temporal server pid> <count> <starters> [rate]
// Prints "P <progress>" lines and one "R <json>" result line (FloorResult of bench/floor-report.ts).
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type InjectedSinks } from '@temporalio/worker';
import { measureCpu } from './cpu-usage.js';
import { percentile, sleep } from './harness.js';
import type { FloorResult } from './floor-report.js';
import { floorSignal, type FloorActivities, type FloorSinks } from './floor-workflow.js';

const [address, temporalPidArg, countArg, startersArg] = process.argv.slice(2);
if (!address || !countArg) throw new Error('usage: floor.ts <temporal address> <temporal pid> <count> <starters>');
const temporalPid = Number(temporalPidArg);
const count = Number(countArg);
const starters = Number(startersArg ?? 10);
const rate = process.argv[6] ? Number(process.argv[6]) : undefined;
const WARMUP = 50;
const say = (line: string): void => void process.stdout.write(`P ${line}\n`);

const taskQueue = `bench-floor-${crypto.randomBytes(4).toString('hex')}`;
const doneAt = new Map<string, number>();
const sinks: InjectedSinks<FloorSinks> = {
  floor: { done: { fn: (info) => void doneAt.set(info.workflowId, Date.now()), callDuringReplay: false } },
};
const activities: FloorActivities = { floorNoop: async () => undefined };

const nativeConnection = await NativeConnection.connect({ address });
// The worker options of ours (src/temporal/worker.ts) apart from the bundle: like for like.
const worker = await Worker.create({
  connection: nativeConnection,
  taskQueue,
  workflowBundle: await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  }),
  activities,
  sinks,
  maxConcurrentActivityTaskExecutions: 200,
});
const connection = await Connection.connect({ address });
const client = new Client({ connection });

/** One workflow started and sent its signal, as a message is accepted and then reported on. */
async function startAndSignal(id: string): Promise<void> {
  const handle = await client.workflow.start('floorWorkflow', { taskQueue, workflowId: id, args: [] });
  await handle.signal(floorSignal);
}

/** Until every one of `ids` has completed, or the deadline. */
async function completion(ids: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !doneAt.has(id)) && Date.now() < deadline) await sleep(20);
}

/** `n` workflows over `starters` concurrent starters; resolves when every one has completed (or at the deadline). */
async function drive(prefix: string, n: number, timeoutMs: number): Promise<{ startMs: number; ids: string[] }> {
  let next = 0;
  const ids: string[] = [];
  const startMs = Date.now();
  await Promise.all(
    Array.from({ length: starters }, async () => {
      while (next < n) {
        const id = `${prefix}-${next++}`;
        ids.push(id);
        await startAndSignal(id);
      }
    }),
  );
  await completion(ids, timeoutMs);
  return { startMs, ids };
}

/** `n` workflows, workflow i started at start + i/rate; resolves when every one has completed (or at the deadline). */
async function paced(prefix: string, n: number, perSec: number, timeoutMs: number): Promise<number[]> {
  const askedAt = new Map<string, number>();
  const sends: Array<Promise<void>> = [];
  const startMs = Date.now();
  for (let i = 0; i < n; i++) {
    const wait = startMs + (i * 1000) / perSec - Date.now();
    if (wait > 0) await sleep(wait);
    const id = `${prefix}-${i}`;
    askedAt.set(id, Date.now());
    sends.push(startAndSignal(id));
  }
  await Promise.all(sends);
  await completion([...askedAt.keys()], timeoutMs);
  return [...askedAt].flatMap(([id, at]) => {
    const done = doneAt.get(id);
    return done === undefined ? [] : [done - at];
  });
}

let result: FloorResult;
try {
  result = await worker.runUntil(async () => {
    await drive(`warm-${taskQueue}`, WARMUP, 60_000);
    if (rate !== undefined) {
      say(`floor: warm-up of ${WARMUP} workflows done; measuring ${count} started at ${rate}/s`);
      const cpu = measureCpu(() => ({ temporal: [temporalPid], 'node (floor worker+starters)': [process.pid] }));
      const startMs = Date.now();
      const latencies = (await paced(`paced-${taskQueue}`, count, rate, 120_000)).sort((a, b) => a - b);
      const seconds = (Date.now() - startMs) / 1000;
      return {
        count,
        starters: 1,
        completed: latencies.length,
        seconds: Math.round(seconds * 100) / 100,
        perSec: latencies.length / seconds,
        cpuSeconds: cpu.stop(),
        paced: {
          rate,
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          maxMs: latencies[latencies.length - 1] ?? NaN,
        },
        ...(latencies.length < count
          ? { error: `${count - latencies.length}/${count} did not complete within 120 s` }
          : {}),
      };
    }
    say(`floor: warm-up of ${WARMUP} workflows done; measuring ${count} with ${starters} starters`);
    const cpu = measureCpu(() => ({ temporal: [temporalPid], 'node (floor worker+starters)': [process.pid] }));
    const run = await drive(`floor-${taskQueue}`, count, 120_000);
    const cpuSeconds = cpu.stop();
    const done = run.ids.map((id) => doneAt.get(id)).filter((t): t is number => t !== undefined);
    const last = Math.max(...done);
    const seconds = (last - run.startMs) / 1000;
    return {
      count,
      starters,
      completed: done.length,
      seconds: Math.round(seconds * 100) / 100,
      perSec: done.length / seconds,
      cpuSeconds,
      ...(done.length < count ? { error: `${count - done.length}/${count} did not complete within 120 s` } : {}),
    };
  });
} finally {
  await connection.close();
  await nativeConnection.close();
}
process.stdout.write(`R ${JSON.stringify(result)}\n`);
process.exit(0);
