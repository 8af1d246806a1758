// Routing decision cost: how many routing decisions per second the MDE makes with 1,000 rules and 200 IPs,
// against the minimal reference (1 rule, 2 IPs) measured in the same process, alternating, so machine noise hits
// both alike. Run as a child of bench/run.ts (its own process: the service's event loop does not share its core).
//
//   tsx bench/routing.ts [--round-ms 1000] [--rounds 5] [--db]
//
// (a)/(b): the pure decision, routeRecipients (src/domain/mde/routing-rules.ts), in-process, on a fixed list of
// 2,000 generated messages. With --db (needs TEST_PG_ADMIN_URL), also (c): the decision as the route activity makes
// it, createRoutingSnapshotLoader() (src/mde/routing-snapshot.ts) against PostgreSQL (a config-version query, the
// IP query; rules and groups cached) then routeRecipients, one decision at a time, for both rule sets.
// Prints "P <progress>" lines, then one line "R <json>" (a RoutingResult).
import { performance } from 'node:perf_hooks';
import { migrate } from '../src/db/migrate.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { orderRules, routeRecipients, type RoutingRequest } from '../src/domain/mde/routing-rules.js';
import { createRoutingSnapshotLoader } from '../src/db/routing-snapshot-repo.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { largeFixture, referenceFixture, routingRequests, type RoutingFixture } from './routing-fixture.js';
import { percentile } from './harness.js';
import type { RoutingFigure, RoutingResult } from './report.js';

const argv = process.argv.slice(2);
const arg = (k: string, d: number): number => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 ? Number(argv[i + 1]) : d;
};
const ROUND_MS = arg('round-ms', 1000);
const ROUNDS = arg('rounds', 5);
const WITH_DB = argv.includes('--db');
const progress = (m: string): void => {
  process.stdout.write(`P ${m}\n`);
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n ? (n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2) : NaN;
};

let checksum = 0; // keeps the decisions observable so nothing is optimised away

/** Decisions per second for ~ms milliseconds of back-to-back routeRecipients calls over the request list. */
function pureRound(fx: RoutingFixture, requests: readonly RoutingRequest[], ms: number, offset: number): number {
  let n = 0;
  let i = offset;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let k = 0; k < 32; k++) {
      const d = routeRecipients(requests[i++ % requests.length]!, fx.rules, fx.groups, fx.ips);
      checksum = (checksum + d.length + (d[0]?.ip?.length ?? 0)) | 0;
    }
    n += 32;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

async function dbRound(
  pool: Pool,
  load: ReturnType<typeof createRoutingSnapshotLoader>,
  requests: readonly RoutingRequest[],
  ms: number,
  offset: number,
): Promise<number> {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    const snap = await load(pool);
    const d = routeRecipients(requests[(offset + n++) % requests.length]!, snap.rules, snap.groups, snap.ips);
    checksum = (checksum + d.length) | 0;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

/** Alternates the two configurations round by round (after one warm-up round each); medians and the paired ratio. */
async function alternate(
  run: (which: 'large' | 'reference', round: number) => number | Promise<number>,
  rounds: number,
  label: string,
): Promise<{ large: RoutingFigure; reference: RoutingFigure; ratio: number }> {
  await run('large', -1);
  await run('reference', -1);
  const large: number[] = [];
  const reference: number[] = [];
  for (let r = 0; r < rounds; r++) {
    large.push(await run('large', r));
    reference.push(await run('reference', r));
    progress(
      `  ${label} round ${r + 1}/${rounds}: 1,000 rules ${large[r]!.toFixed(0)}/s, 1 rule ${reference[r]!.toFixed(0)}/s`,
    );
  }
  const fig = (xs: number[]): RoutingFigure => ({ decisionsPerSec: median(xs), rounds: xs.map((x) => Math.round(x)) });
  return { large: fig(large), reference: fig(reference), ratio: median(large.map((x, i) => x / reference[i]!)) };
}

async function seedDatabase(fx: RoutingFixture): Promise<Pool> {
  const pool = createPool(await createTestDatabase('routing'), 4);
  await migrate(pool);
  for (const r of fx.relays) {
    await pool.query('INSERT INTO relays (id, smtp_host, smtp_port, status_url, healthy) VALUES ($1, $2, $3, $4, $5)', [
      r.id,
      '127.0.0.1',
      25,
      `http://127.0.0.1:1/${r.id}`,
      r.healthy,
    ]);
  }
  for (const p of fx.pools) await pool.query('INSERT INTO ip_pools (name) VALUES ($1) ON CONFLICT DO NOTHING', [p]);
  for (const i of fx.ips)
    await pool.query('INSERT INTO ips (ip, pool, relay_id, state, weight) VALUES ($1, $2, $3, $4, $5)', [
      i.ip,
      i.pool,
      i.relayId,
      i.state,
      i.weight,
    ]);
  for (const g of fx.groups)
    await pool.query('INSERT INTO domain_groups (name, domains) VALUES ($1, $2)', [g.name, g.domains]);
  for (const r of fx.rules)
    await pool.query('INSERT INTO mde_rules (id, priority, version, match, pool) VALUES ($1, $2, $3, $4, $5)', [
      r.id,
      r.priority,
      r.version,
      JSON.stringify(r.match),
      r.pool,
    ]);
  return pool;
}

const large = largeFixture(1000, 200);
const reference = referenceFixture();
const requests = routingRequests(large, 2000);

// What the generated traffic looks like: recipients and domains per message, where in the list the matching rule is.
const ordered = orderRules(large.rules);
const position = new Map(ordered.map((r, i) => [r.id, i + 1]));
const positions: number[] = [];
let domainCount = 0;
for (const req of requests) {
  for (const part of routeRecipients(req, large.rules, large.groups, large.ips)) {
    const domains = part.recipientDomain.split(',').length;
    domainCount += domains;
    for (let k = 0; k < domains; k++) positions.push(part.ruleId ? position.get(part.ruleId)! : ordered.length + 1);
  }
}
positions.sort((a, b) => a - b);
const result: RoutingResult = {
  ruleCount: large.rules.length,
  ipCount: large.ips.length,
  poolCount: large.pools.length,
  relayCount: large.relays.length,
  ipStates: {
    ...large.ips.reduce<Record<string, number>>((acc, i) => ({ ...acc, [i.state]: (acc[i.state] ?? 0) + 1 }), {}),
    'on an unhealthy relay': large.ips.filter((i) => !i.relayHealthy).length,
    'at weight 0': large.ips.filter((i) => i.weight === 0).length,
  },
  requestCount: requests.length,
  recipientsPerMessage: requests.reduce((s, r) => s + r.recipients.length, 0) / requests.length,
  domainsPerMessage: domainCount / requests.length,
  matchedPosition: {
    mean: positions.reduce((s, p) => s + p, 0) / positions.length,
    p50: percentile(positions, 50),
    p90: percentile(positions, 90),
    catchAllShare: positions.filter((p) => p === ordered.length).length / positions.length,
  },
  roundMs: ROUND_MS,
  rounds: ROUNDS,
  pure: { large: { decisionsPerSec: NaN, rounds: [] }, reference: { decisionsPerSec: NaN, rounds: [] }, ratio: NaN },
};
progress(
  `  ${requests.length} messages, ${result.recipientsPerMessage.toFixed(1)} recipients and ${result.domainsPerMessage.toFixed(1)} domains each; matching rule at position mean ${result.matchedPosition.mean.toFixed(0)}, p50 ${result.matchedPosition.p50}, p90 ${result.matchedPosition.p90} of ${ordered.length}; ${(100 * result.matchedPosition.catchAllShare).toFixed(0)}% of domains fall to the catch-all`,
);

result.pure = await alternate(
  (which, round) =>
    pureRound(which === 'large' ? large : reference, requests, round < 0 ? ROUND_MS / 2 : ROUND_MS, (round + 1) * 97),
  ROUNDS,
  'pure',
);
progress(
  `  pure routeRecipients: ${result.pure.large.decisionsPerSec.toFixed(0)} decisions/s with 1,000 rules / 200 IPs, ${result.pure.reference.decisionsPerSec.toFixed(0)} with 1 rule / 2 IPs (ratio ${result.pure.ratio.toFixed(3)})`,
);

if (WITH_DB) {
  const pools: Pool[] = [];
  try {
    const [largeDb, refDb] = [await seedDatabase(large), await seedDatabase(reference)];
    pools.push(largeDb, refDb);
    const loaders = { large: createRoutingSnapshotLoader(), reference: createRoutingSnapshotLoader() };
    const dbRounds = Math.max(3, Math.ceil(ROUNDS / 2));
    result.db = await alternate(
      (which, round) =>
        dbRound(
          which === 'large' ? largeDb : refDb,
          loaders[which],
          requests,
          round < 0 ? ROUND_MS / 2 : ROUND_MS,
          (round + 1) * 97,
        ),
      dbRounds,
      'with PostgreSQL',
    );
    progress(
      `  snapshot loader + routeRecipients: ${result.db.large.decisionsPerSec.toFixed(0)} decisions/s with 1,000 rules / 200 IPs, ${result.db.reference.decisionsPerSec.toFixed(0)} with 1 rule / 2 IPs (ratio ${result.db.ratio.toFixed(3)})`,
    );
  } catch (err) {
    result.dbError = err instanceof Error ? err.message : String(err);
    progress(`  with PostgreSQL: FAILED ${result.dbError}`);
  } finally {
    for (const p of pools) await p.end();
  }
}
result.checksum = checksum;
process.stdout.write(`R ${JSON.stringify(result)}\n`);
