// Time from the destination's 250 to `delivered` visible in our API (the target: within 2 seconds on this machine).
// The 250 instant is taken in the sink process when it answers the end of DATA; the visibility instant by polling
// the API from the bench process: GET /v1/messages?status=delivered&limit=500 (one request every pollEveryMs for all
// pending messages, on a stack of its own, so the list holds only this measurement's messages), the time the first
// response listing the message arrived. Every message is checked once more at the end with GET /v1/messages/:id.
import { percentile, progress, sleep, smtpLoad, type SinkProc } from './harness.js';
import type { LatencyFigure } from './report.js';
import type { Service } from './service.js';
import { parseDurationMs } from '../src/domain/duration.js';

interface Poller {
  seen: Map<string, number>;
  requests: number;
  totalMs: number;
  errors: number;
  stop(): Promise<void>;
}

function startPoller(svc: Service, everyMs: number): Poller {
  let stopped = false;
  const p: Poller = {
    seen: new Map(),
    requests: 0,
    totalMs: 0,
    errors: 0,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
  const loop = (async () => {
    while (!stopped) {
      const sent = Date.now();
      try {
        const r = await svc.stack.api<{ items: Array<{ id: string; status: string }> }>(
          'GET',
          '/v1/messages?status=delivered&limit=500',
        );
        const got = Date.now();
        p.requests++;
        p.totalMs += got - sent;
        if (r.status !== 200) p.errors++;
        else for (const m of r.body.items) if (m.status === 'delivered' && !p.seen.has(m.id)) p.seen.set(m.id, got);
      } catch {
        p.errors++;
      }
      await sleep(Math.max(0, everyMs - (Date.now() - sent)));
    }
  })();
  return p;
}

export interface LatencyOptions {
  count: number;
  rate: number;
  sessions: number;
  warmup: number;
  pollEveryMs: number;
}

export async function measureStatusLatency(
  label: string,
  svc: Service,
  sink: SinkProc,
  o: LatencyOptions,
): Promise<LatencyFigure> {
  if (o.count + o.warmup > 450) throw new Error('the list poll reads at most 500 messages: keep count + warmup ≤ 450');
  const poller = startPoller(svc, o.pollEveryMs);
  const waitMs = parseDurationMs(svc.pollInterval) + 30_000;
  const waitVisible = async (accepted: Array<[string, number, string?]>): Promise<void> => {
    const deadline = Date.now() + waitMs;
    while (accepted.some(([, , q]) => q && !poller.seen.has(q)) && Date.now() < deadline) await sleep(100);
  };
  const tag = `${label.replace(/\W+/g, '-')}-${Date.now().toString(36)}`; // no spaces: it is the X-Bench-Id
  try {
    const warm = await smtpLoad({
      port: svc.plainPort,
      sessions: o.sessions,
      count: o.warmup,
      rate: o.rate,
      tag: `${tag}-warm`,
    });
    await waitVisible(warm.accepted);
    progress(
      `  ${label}: warm-up ${warm.accepted.length} messages done; measuring ${o.count} messages at ${o.rate} msg/s over ${o.sessions} session(s)`,
    );
    const requestsBefore = poller.requests;
    const msBefore = poller.totalMs;
    const out = await smtpLoad({
      port: svc.plainPort,
      sessions: o.sessions,
      count: o.count,
      rate: o.rate,
      tag,
      timeoutMs: (o.count / o.rate) * 1000 + 90_000,
    });
    await waitVisible(out.accepted);
    const latencies: number[] = [];
    let noSink = 0;
    let notVisible = 0;
    for (const [id, , queueId] of out.accepted) {
      const at250 = sink.arrivals.get(id);
      const visible = queueId ? poller.seen.get(queueId) : undefined;
      if (at250 === undefined) noSink++;
      else if (visible === undefined) notVisible++;
      else latencies.push(visible - at250);
    }
    const requests = poller.requests - requestsBefore;
    const pollAvgMs = requests ? (poller.totalMs - msBefore) / requests : NaN;
    await poller.stop();
    // The same answer from the single-message endpoint (GET /v1/messages/:id).
    let verified = 0;
    for (const [, , queueId] of out.accepted) {
      if (!queueId) continue;
      const r = await svc.stack.api<{ status?: string }>('GET', `/v1/messages/${queueId}`);
      if (r.status === 200 && r.body.status === 'delivered') verified++;
    }
    latencies.sort((a, b) => a - b);
    const problems: string[] = [];
    if (out.errorCount) problems.push(`${out.errorCount} SMTP errors: ${out.errors.join(' | ')}`);
    if (noSink) problems.push(`${noSink} accepted but not at the sink`);
    if (notVisible) problems.push(`${notVisible} at the sink but not shown delivered within ${waitMs / 1000} s`);
    if (verified < out.accepted.length)
      problems.push(`GET /v1/messages/:id shows ${verified}/${out.accepted.length} delivered at the end`);
    if (poller.errors) problems.push(`${poller.errors} failed list polls`);
    const fig: LatencyFigure = {
      push: svc.push,
      pollInterval: svc.pollInterval,
      rate: o.rate,
      sessions: o.sessions,
      pollEveryMs: o.pollEveryMs,
      warmup: o.warmup,
      sent: o.count,
      accepted: out.accepted.length,
      measured: latencies.length,
      verified,
      minMs: latencies[0] ?? NaN,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies[latencies.length - 1] ?? NaN,
      meanMs: latencies.length ? Math.round(latencies.reduce((s, x) => s + x, 0) / latencies.length) : NaN,
      within2s: latencies.filter((x) => x <= 2000).length,
      pollRequests: requests,
      pollAvgMs: Math.round(pollAvgMs * 10) / 10,
      ...(problems.length ? { error: problems.join('; ') } : {}),
    };
    progress(
      `  ${label}: 250 at the sink → delivered in the API: p50 ${fig.p50Ms} ms, p99 ${fig.p99Ms} ms, max ${fig.maxMs} ms over ${fig.measured}/${fig.sent} messages (${requests} list polls, ${fig.pollAvgMs} ms each)${fig.error ? `  ERROR ${fig.error}` : ''}`,
    );
    return fig;
  } finally {
    await poller.stop();
  }
}
