// `npx tsx bench/dkim-e2e.ts` (section `dkim` of bench/run.ts): end-to-end msg/s with DKIM signing on vs off, side by
// side in one run on one stack. One account has two sender domains: signed.test, verified through a DNS fixture that
// publishes the records the API hands out (so every copy is signed), and plain.test, vouched for by hand with no DKIM
// record published (so copies leave unsigned). Rounds alternate on/off so that drift of the machine hits both alike;
// each round submits BENCH_DKIM_COUNT messages over 10 pooled STARTTLS+AUTH connections and ends when the destination
// sink holds them all. Needs TEST_PG_ADMIN_URL and TEMPORAL_ADDRESS (bench/run.ts starts both).
// Prints "P <progress>" lines and one "R <json>" result line.
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { startDnsFixture } from '../test/helpers/dns-fixture.js';
import { startPipeline } from '../test/helpers/pipeline.js';
import { createAccount } from '../test/helpers/stack.js';
import { waitFor } from '../test/helpers/wait-for.js';

const COUNT = Number(process.env.BENCH_DKIM_COUNT ?? 100);
const ROUNDS = Number(process.env.BENCH_DKIM_ROUNDS ?? 3);
const SPF_DOMAIN = 'spf.relay.test';
const BOUNCE_DOMAIN = 'bounces.relay.test';
const progress = (s: string): void => void process.stdout.write(`P ${s}\n`);

interface DomainView {
  state: string;
  records: Array<{ host: string; type: 'TXT' | 'CNAME'; value: string }>;
  dkim: { signingSelector: string | null };
}

const dns = await startDnsFixture({
  listings: {
    [SPF_DOMAIN]: { a: [], txt: ['v=spf1 ip4:127.0.0.0/8 -all'] },
    [BOUNCE_DOMAIN]: { a: [], txt: [`v=spf1 include:${SPF_DOMAIN} -all`] },
  },
});
const p = await startPipeline({
  stack: { env: { DNS_RESOLVER: dns.address, SPF_INCLUDE_DOMAIN: SPF_DOMAIN, BOUNCE_DOMAIN, SMTP_PLAIN_PORT: '0' } },
  relays: { count: 2, push: true },
});
try {
  const acct = await createAccount(p.stack, { domain: 'plain.test', cidr: '127.0.0.0/8' });
  const base = `/v1/accounts/${acct.accountId}/sender-domains`;
  const added = await p.stack.api<DomainView>('POST', base, { domain: 'signed.test' });
  if (added.status !== 201) throw new Error(`adding signed.test: ${added.status} ${JSON.stringify(added.body)}`);
  const txt = new Map<string, string[]>();
  for (const r of added.body.records) {
    if (r.type === 'CNAME') dns.set(r.host, { a: [], cname: r.value });
    else txt.set(r.host, [...(txt.get(r.host) ?? []), r.value]);
  }
  for (const [host, values] of txt) dns.set(host, { a: [], txt: values });
  const verified = await p.stack.api<DomainView>('POST', `${base}/signed.test/verify`);
  if (verified.body.state !== 'verified' || !verified.body.dkim.signingSelector)
    throw new Error(`signed.test did not verify: ${JSON.stringify(verified.body)}`);

  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: p.stack.submissionPort,
    secure: false,
    requireTLS: true,
    pool: true,
    maxConnections: 10,
    maxMessages: Infinity,
    auth: { user: acct.username, pass: acct.password },
    tls: { rejectUnauthorized: false },
  });
  const html = '<p>Your invoice <a href="https://shop.example/i/4711">4711</a> is ready.</p>\r\n'.repeat(40);
  const round = async (domain: string, tag: string): Promise<number> => {
    const before = p.sink.messages.length;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: COUNT }, (_, i) =>
        transport.sendMail({
          from: `billing@${domain}`,
          to: `${tag}-${i}@dest.test`,
          subject: `Invoice ${i}`,
          html,
        }),
      ),
    );
    await waitFor(() => p.sink.messages.length >= before + COUNT || undefined, {
      timeoutMs: 600_000,
      what: `${COUNT} messages of round ${tag} at the sink`,
    });
    const seconds = (performance.now() - start) / 1000;
    const copies = p.sink.messages.slice(before);
    const signed = copies.filter((m) => /^DKIM-Signature:/im.test(m.raw.toString('latin1'))).length;
    if (domain === 'signed.test' ? signed !== COUNT : signed !== 0)
      throw new Error(`round ${tag}: ${signed} of ${COUNT} copies signed`);
    return COUNT / seconds;
  };

  await round('plain.test', 'warmup'); // first compiled paths, connections, caches
  const on: number[] = [];
  const off: number[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    on.push(await round('signed.test', `on${r}`));
    progress(`  round ${r}: signing on ${on.at(-1)!.toFixed(1)} msg/s`);
    off.push(await round('plain.test', `off${r}`));
    progress(`  round ${r}: signing off ${off.at(-1)!.toFixed(1)} msg/s`);
  }
  transport.close();
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const result = { count: COUNT, rounds: ROUNDS, on, off, onMedian: median(on), offMedian: median(off) };
  process.stdout.write(`R ${JSON.stringify({ ...result, ratio: result.onMedian / result.offMedian })}\n`);
} finally {
  await p.close();
  await dns.close();
}
