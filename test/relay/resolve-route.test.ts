import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTransportMap } from '../../src/domain/relay/transport-map.js';
import { resolveRoute, type MxResolver } from '../../src/relay/resolve-route.js';

const fail = (code: string): MxResolver => () => Promise.reject(Object.assign(new Error(code), { code }));
const records = (...r: Array<[string, number]>): MxResolver => () => Promise.resolve(r.map(([exchange, priority]) => ({ exchange, priority })));

test('the transport map wins over MX; "mx" targets and unmatched domains use MX by preference', async () => {
  const rules = parseTransportMap('a.example=127.0.0.1:2525,*.b.example=mx');
  const mx = records(['mx2.example', 20], ['mx1.example', 10]);
  assert.deepEqual(await resolveRoute('a.example', rules, 'm1', mx), { ok: true, hosts: [{ host: '127.0.0.1', port: 2525 }], via: 'transport:a.example' });
  assert.deepEqual(await resolveRoute('x.b.example', rules, 'm1', mx), { ok: true, hosts: [{ host: 'mx1.example', port: 25 }, { host: 'mx2.example', port: 25 }], via: 'transport:*.b.example:mx' });
  assert.equal((await resolveRoute('c.example', rules, 'm1', mx)).via, 'mx');
});

test('equal-preference hosts: the order depends on the message, and is the same on every retry', async () => {
  const mx = records(['m1.example', 10], ['m2.example', 10], ['m3.example', 10], ['backup.example', 50]);
  const order = async (seed: string): Promise<string[]> => {
    const r = await resolveRoute('d.example', [], seed, mx);
    return r.ok ? r.hosts.map((h) => h.host) : [];
  };
  assert.deepEqual(await order('msg-a'), await order('msg-a'));
  const firsts = new Set<string>();
  for (let i = 0; i < 30; i++) {
    const o = await order(`msg-${i}`);
    assert.equal(o.at(-1), 'backup.example');
    firsts.add(o[0] ?? '');
  }
  assert.ok(firsts.size > 1, 'equal-preference hosts are spread across messages');
});

test('DNS outcomes: no MX → the domain itself; null MX and NXDOMAIN bounce; resolver failure defers', async () => {
  assert.deepEqual(await resolveRoute('e.example', [], 's', fail('ENODATA')), { ok: true, hosts: [{ host: 'e.example', port: 25 }], via: 'mx:implicit' });
  const nullMx = await resolveRoute('e.example', [], 's', records(['', 0]));
  assert.deepEqual(nullMx.ok ? null : nullMx.reply, { code: null, enhanced: '5.1.10', response: 'Domain e.example does not accept mail (null MX)' });
  const nx = await resolveRoute('e.example', [], 's', fail('ENOTFOUND'));
  assert.equal(nx.ok ? null : nx.reply.enhanced, '5.1.2');
  const servfail = await resolveRoute('e.example', [], 's', fail('ESERVFAIL'));
  assert.equal(servfail.ok ? null : servfail.reply.enhanced, '4.4.3');
});
