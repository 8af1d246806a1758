import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createAccount, type Stack, type TestAccount } from '../helpers/stack.js';
import { startPipeline, type Pipeline } from '../helpers/pipeline.js';
import { submitAndFinish } from '../helpers/submit.js';
import { waitFor } from '../helpers/wait-for.js';

// GET /metrics on the api and on a relay, scraped before and after one message goes through the real pipeline
// (nodemailer → ingress → Temporal → relay → destination sink): the counters and histograms must move.

let pipeline: Pipeline;
let stack: Stack;
let acct: TestAccount;
const metricsToken = 'metrics-token-for-tests-0123456789';

before(async () => {
  pipeline = await startPipeline({ stack: { env: { METRICS_TOKEN: metricsToken } }, relays: { count: 1 } });
  stack = pipeline.stack;
  acct = await createAccount(stack, { domain: 'example.com', cidr: '127.0.0.0/8' });
});
after(() => pipeline?.close());

/** Prometheus text → value of each sample, keyed by `name{labels}` exactly as exposed. */
function parseSamples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** Sum of the samples of `name` whose labels include every `key="value"` of `labels`. */
function sum(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, v] of samples) {
    const brace = key.indexOf('{');
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, val]) => key.includes(`${k}="${val}"`))) total += v;
  }
  return total;
}

async function scrapeApi(token = stack.adminKey): Promise<Map<string, number>> {
  const res = await fetch(`${stack.apiUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  return parseSamples(await res.text());
}

async function scrapeRelay(): Promise<Map<string, number>> {
  const relay = pipeline.relays[0]!;
  const res = await fetch(`http://127.0.0.1:${relay.httpPort}/metrics`);
  assert.equal(res.status, 200);
  return parseSamples(await res.text());
}

test('/metrics takes the admin key or METRICS_TOKEN, and refuses account keys and anonymous callers', async () => {
  assert.equal((await fetch(`${stack.apiUrl}/metrics`)).status, 401);
  const asAccount = await fetch(`${stack.apiUrl}/metrics`, { headers: { authorization: `Bearer ${acct.apiKey}` } });
  assert.equal(asAccount.status, 403);
  const wrong = await fetch(`${stack.apiUrl}/metrics`, { headers: { authorization: 'Bearer not-the-token-000000' } });
  assert.equal(wrong.status, 401);
  assert.ok((await scrapeApi(metricsToken)).size > 0);
  assert.ok((await scrapeApi()).size > 0);
});

test('a delivered message moves the SMTP reply counters, both latency histograms and the relay outcome counter', async () => {
  const api0 = await scrapeApi();
  const relay0 = await scrapeRelay();
  await submitAndFinish(stack, acct, {
    from: 'billing@example.com',
    to: 'alice@dest.test',
    subject: 'metrics',
    text: 'hello',
  });

  const api1 = await waitFor(
    async () => {
      const s = await scrapeApi();
      return sum(s, 'smtp_relay_accepted_to_delivered_seconds_count') >
        sum(api0, 'smtp_relay_accepted_to_delivered_seconds_count')
        ? s
        : undefined;
    },
    { timeoutMs: 30_000, what: 'the 250 → delivered histogram to count the delivery' },
  );
  const moved = (name: string, labels: Record<string, string> = {}): number =>
    sum(api1, name, labels) - sum(api0, name, labels);
  for (const stage of ['connect', 'auth', 'mail', 'rcpt'])
    assert.ok(moved('smtp_relay_ingress_replies_total', { stage }) >= 1, `replies at ${stage}`);
  assert.equal(moved('smtp_relay_ingress_replies_total', { stage: 'data', code: '250' }), 1);
  assert.equal(moved('smtp_relay_ingress_acceptance_seconds_count'), 1);
  assert.ok(moved('smtp_relay_recipient_status_changes_total', { status: 'delivered' }) >= 1);
  assert.ok(api1.has('smtp_relay_webhook_backlog{kind="outbox"}'), 'the webhook backlog gauge is exposed');
  // The worker's own Temporal SDK metrics are merged into the api's /metrics (the roles share this process).
  assert.ok(
    [...api1.keys()].some((k) => k.startsWith('temporal_')),
    'Temporal SDK metrics are part of the scrape',
  );

  const relay1 = await scrapeRelay();
  const labels = { source_ip: '127.0.0.2', domain: 'dest.test', status: 'delivered' };
  assert.equal(
    sum(relay1, 'smtp_relay_relay_outcomes_total', labels) - sum(relay0, 'smtp_relay_relay_outcomes_total', labels),
    1,
  );
  assert.ok(relay1.has('smtp_relay_relay_queue_depth{status="queued",relay="relay-1"}'), [...relay1.keys()].join());
});

test('every metric the example Grafana dashboard (docs/grafana-dashboard.json) queries is exposed', async () => {
  await submitAndFinish(stack, acct, { from: 'a@example.com', to: 'dash@dest.test', subject: 'dash', text: 'x' });
  const exposed = new Set(
    [...(await scrapeApi()).keys(), ...(await scrapeRelay()).keys()].map((k) => k.replace(/\{.*$/, '')),
  );
  const dashboard = JSON.parse(fs.readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };
  const queried = new Set(
    dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/\b(smtp_relay|temporal)_[a-z_]+/g) ?? [])),
  );
  assert.ok(queried.size >= 10, `the dashboard queries ${queried.size} metrics`);
  const missing = [...queried].filter((name) => !exposed.has(name));
  assert.deepEqual(missing, [], `exposed: ${[...exposed].filter((n) => n.startsWith('temporal_')).join(', ')}`);
});
