// `npx tsx bench/dkim-signing.ts`: the cost of DKIM signing where it happens, in the worker's per-recipient copy
// builder (src/delivery/recipient-copies.ts), signing off vs on, side by side in one run, for a small and a larger
// message, untracked and tracked (tracking rewrites the HTML first, then the copy is signed). Prints copies/s of each
// and the milliseconds each copy takes. The signing facts come from a fixed in-memory signer: the database lookup
// behind it is one indexed query per message, cached for the copies of a handoff, and is not measured here.
// BENCH_SECONDS: length of each measured run (default 3).
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createCopyBuilder } from '../src/delivery/recipient-copies.js';
import { generateDkimKey } from '../src/sender-auth/dkim-keys.js';
import type { CopySigner } from '../src/sender-auth/copy-signer.js';
import { createLogger } from '../src/log.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const log = createLogger({ component: 'bench' });
const key = await generateDkimKey(new Date());
const signer: CopySigner = {
  forMessage: async () => ({
    key: { domain: 'shop.test', selector: key.selector, privateKey: crypto.createPrivateKey(key.privateKeyPem) },
  }),
};
const settings = { masterSecret: 'bench-master-secret', publicUrl: 'https://t.relay.test', bounceDomain: 'b.test' };

function message(htmlBytes: number): Buffer {
  const para = '<p>Dear customer, your invoice <a href="https://shop.test/i/4711">4711</a> is ready.</p>\r\n';
  const html = para.repeat(Math.ceil(htmlBytes / para.length));
  return Buffer.from(
    [
      'From: Shop <billing@shop.test>',
      'To: alice@dest.test',
      'Subject: Your invoice',
      'Date: Thu, 03 Dec 2026 06:00:00 +0000',
      'Message-ID: <4711@shop.test>',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      '',
      html,
    ].join('\r\n'),
  );
}

async function copiesPerSecond(
  build: ReturnType<typeof createCopyBuilder>,
  raw: Buffer,
  tracking: { opens: boolean; clicks: boolean },
): Promise<number> {
  const messageId = '01kbench0000000000000000aa';
  for (let i = 0; i < 50; i++) await build({ messageId, raw, tracking }, `w${i}@dest.test`); // warm-up
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    await build({ messageId, raw, tracking }, `r${n}@dest.test`);
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

const off = createCopyBuilder(settings, log);
const on = createCopyBuilder({ ...settings, signer }, log);
const rows: string[][] = [];
for (const [label, raw] of [
  ['10 KiB HTML', message(10 * 1024)],
  ['100 KiB HTML', message(100 * 1024)],
] as const) {
  for (const tracked of [false, true]) {
    const tracking = { opens: tracked, clicks: tracked };
    const a = await copiesPerSecond(off, raw, tracking);
    const b = await copiesPerSecond(on, raw, tracking);
    rows.push([
      label,
      tracked ? 'tracked' : 'untracked',
      a.toFixed(0),
      b.toFixed(0),
      (1000 / a).toFixed(3),
      (1000 / b).toFixed(3),
      (1000 / b - 1000 / a).toFixed(3),
    ]);
  }
}
// An untracked copy without signing is the stored bytes themselves (no work): its copies/s only bounds the loop, so
// the figure to read is the added milliseconds per copy, next to the end-to-end budget per message.
const header = ['message', 'tracking', 'copies/s off', 'copies/s on', 'ms/copy off', 'ms/copy on', 'added ms/copy'];
console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
