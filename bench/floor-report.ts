// The floor and single-message sections of the benchmark report: the figures, a terminal summary and the markdown
// sections spliced into docs/benchmarks.md (bench/report.ts spliceSections).
import type { E2eFigure, SectionStamp } from './report.js';

/** The minimal workflow per message (bench/floor.ts). */
export interface FloorResult {
  count: number;
  starters: number;
  completed: number;
  seconds: number;
  perSec: number;
  /** CPU seconds over the measured interval: `temporal` and `node (floor worker+starters)`. */
  cpuSeconds: Record<string, number>;
  /** Paced runs only: time from asking for the start to the completion. */
  paced?: { rate: number; p50Ms: number; p99Ms: number; maxMs: number };
  error?: string;
}

/** One message at a time over one STARTTLS + AUTH connection at a fixed offered rate (bench/submission-latency.ts). */
export interface SingleResult {
  rate: number;
  count: number;
  accepted: number;
  measured: number;
  /** Our DATA 250 → the destination's 250 at the sink. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Handed to nodemailer → the 250 to DATA (includes waiting for the one connection). */
  submitP50Ms: number;
  submitP99Ms: number;
  /** The minimal workflow per message at the same offered rate on the same server (bench/floor.ts, paced). */
  floor?: { p50Ms: number; p99Ms: number; maxMs: number; error?: string };
  error?: string;
}

const NODE_FLOOR = 'node (floor worker+starters)';
const NODE_OURS = 'node (ingress+worker+api+relays)';
const ms = (seconds: number | undefined, n: number): number =>
  seconds === undefined || n === 0 ? NaN : Math.round((seconds * 10_000) / n) / 10;
const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** CPU ms per workflow of the floor and per delivered message of ours, by component, and the ratios. */
export function floorFigures(floor: FloorResult, ours?: E2eFigure) {
  const n = floor.completed;
  const floorTemporal = ms(floor.cpuSeconds.temporal, n);
  const floorNode = ms(floor.cpuSeconds[NODE_FLOOR], n);
  const floorTotal = floorTemporal + floorNode;
  if (!ours) return { floorTemporal, floorNode, floorTotal };
  const d = ours.delivered;
  const oursTemporal = ms(ours.cpuSeconds.temporal, d);
  const oursNode = ms(ours.cpuSeconds[NODE_OURS], d);
  const oursPostgres = ms(ours.cpuSeconds.postgres, d);
  const oursAll = oursTemporal + oursNode + (Number.isFinite(oursPostgres) ? oursPostgres : 0);
  return {
    floorTemporal,
    floorNode,
    floorTotal,
    ours: { temporal: oursTemporal, node: oursNode, postgres: oursPostgres, all: oursAll },
    throughputRatio: ours.e2ePerSec / floor.perSec,
    cpuRatio: oursAll / floorTotal,
  };
}

export function floorRows(floor: FloorResult, ours?: E2eFigure): string[][] {
  const f = floorFigures(floor, ours);
  const rows = [
    ['', 'ours (e2e, 10 sessions)', 'floor (10 starters)', 'ours / floor'],
    [
      'messages (workflows) per second',
      ours ? fmt(ours.e2ePerSec) : 'not run',
      fmt(floor.perSec),
      f.throughputRatio !== undefined ? `${fmt(f.throughputRatio, 2)}×` : '',
    ],
    ['CPU ms per message: Temporal server', f.ours ? fmt(f.ours.temporal) : '', fmt(f.floorTemporal), ''],
    [
      'CPU ms per message: our Node process / floor worker+starters',
      f.ours ? fmt(f.ours.node) : '',
      fmt(f.floorNode),
      '',
    ],
    ['CPU ms per message: PostgreSQL', f.ours ? fmt(f.ours.postgres) : '', '—', ''],
    [
      'CPU ms per message, all of the above',
      f.ours ? fmt(f.ours.all) : '',
      fmt(f.floorTotal),
      f.cpuRatio !== undefined ? `${fmt(f.cpuRatio, 2)}×` : '',
    ],
  ];
  return rows;
}

export function singleRows(x: SingleResult): string[][] {
  return [
    ['', 'p50 ms', 'p99 ms', 'max ms'],
    [`our DATA 250 → destination 250, ${x.rate} msg/s offered`, fmt(x.p50Ms, 0), fmt(x.p99Ms, 0), fmt(x.maxMs, 0)],
    ['submission round trip (handed to nodemailer → 250 to DATA)', fmt(x.submitP50Ms, 0), fmt(x.submitP99Ms, 0), ''],
    ...(x.floor
      ? [
          [
            `floor: minimal workflow, start asked → completed, ${x.rate}/s offered`,
            fmt(x.floor.p50Ms, 0),
            fmt(x.floor.p99Ms, 0),
            fmt(x.floor.maxMs, 0),
          ],
        ]
      : []),
  ];
}

const md = (rows: string[][]): string[] => [
  `| ${rows[0]!.join(' | ')} |`,
  `|${rows[0]!.map(() => '---').join('|')}|`,
  ...rows.slice(1).map((r) => `| ${r.join(' | ')} |`),
];
const stampLine = (x: SectionStamp): string =>
  `Measured ${x.at} (load average at the start ${x.loadAverage.join(' / ')}).`;

export function floorSection(x: FloorResult & SectionStamp, ours?: E2eFigure): string {
  return [
    '## Temporal floor: a minimal workflow per message',
    '',
    stampLine(x),
    '',
    ...md(floorRows(x, ours)),
    '',
    `Method: bench/floor.ts, in its own process, on the same Temporal dev server as our service in the same run: a worker on its own task queue with the same worker options as ours runs bench/floor-workflow.ts (start → one activity that does nothing → wait for one signal → complete); ${x.starters} starters each start a workflow and send it its signal, back to back, until ${x.count} are started (after a warm-up of 50). Workflows per second: completed (${x.completed}) over first start → last completion (${x.seconds} s; completion reported by a workflow sink, no extra server call). CPU from /proc over the same interval, per completed workflow. Ours: the end-to-end run of this same run (first DATA → last arrival at the sink; CPU per delivered message; its sink process not counted). ${ours ? '' : 'The end-to-end section was not selected: no ratio. '}"ours / floor" above 1× for CPU, below 1× for throughput, is what our pipeline costs beyond the bare design of a workflow per message.`,
    ...(x.error ? ['', `Problem: ${x.error}`] : []),
    '',
  ].join('\n');
}

export function singleSection(x: SingleResult & SectionStamp): string {
  return [
    `## Single-message latency at ${x.rate} msg/s (STARTTLS + AUTH, one connection)`,
    '',
    stampLine(x),
    '',
    ...md(singleRows(x)),
    '',
    `Method: bench/submission-latency.ts sends ${x.count} messages of about 5 KB (after a warm-up of 20) over one reused submission connection (STARTTLS, AUTH PLAIN; nodemailer with a pool of one connection), message n handed over at start + n/${x.rate} s; the latency is from the moment our 250 to DATA is read to the moment the sink answers 250 to our relay's DATA (both on this machine's clock). ${x.measured} of ${x.accepted} accepted messages measured.${x.floor ? ` The floor row: bench/floor.ts paced on the same dev server right after, ${x.count} minimal workflows (start → no-op activity → signal → complete), workflow n started and signalled at start + n/${x.rate} s by one starter that does not wait for the previous one; from asking for the start to the completion.` : ''}`,
    ...(x.error ? ['', `Problem: ${x.error}`] : []),
    '',
  ].join('\n');
}

/** A plain-text table: columns padded to their widest cell. */
export function textRows(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
