import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTransportMap } from '../../src/domain/relay/transport-map.js';
import { resolveRoute, type MxResolver, type RouteDns } from '../../src/relay/resolve-route.js';

// Route resolution over a scripted resolver: MX records by domain, addresses by host (a string is an error code).
const fail = (code: string): Error => Object.assign(new Error(code), { code });
function fakeDns(mx: MxResolver, addresses: Record<string, string[] | string> = {}): RouteDns & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    resolveMx: mx,
    resolveAddresses: (host) => {
      asked.push(host);
      const a = addresses[host];
      if (typeof a === 'string') return Promise.reject(fail(a));
      return Promise.resolve(a ?? []);
    },
  };
}
const failMx =
  (code: string): MxResolver =>
  () =>
    Promise.reject(fail(code));
const records =
  (...r: Array<[string, number]>): MxResolver =>
  () =>
    Promise.resolve(r.map(([exchange, priority]) => ({ exchange, priority })));
const PUBLIC = ['93.184.216.34'];

test('the transport map wins over MX; "mx" targets and unmatched domains use MX by preference', async () => {
  const rules = parseTransportMap('a.example=127.0.0.1:2525,*.b.example=mx');
  const dns = fakeDns(records(['mx2.example', 20], ['mx1.example', 10]), {
    'mx1.example': PUBLIC,
    'mx2.example': ['2606:2800:220:1::1'],
  });
  assert.deepEqual(await resolveRoute('a.example', rules, 'm1', dns), {
    ok: true,
    hosts: [{ host: '127.0.0.1', port: 2525 }],
    via: 'transport:a.example',
    mx: false,
  });
  assert.deepEqual(await resolveRoute('x.b.example', rules, 'm1', dns), {
    ok: true,
    via: 'transport:*.b.example:mx',
    mx: true,
    hosts: [
      { host: 'mx1.example', port: 25, addresses: PUBLIC },
      { host: 'mx2.example', port: 25, addresses: ['2606:2800:220:1::1'] },
    ],
  });
  assert.equal((await resolveRoute('c.example', rules, 'm1', dns)).via, 'mx');
});

test('equal-preference hosts: the order depends on the message, and is the same on every retry', async () => {
  const dns = fakeDns(records(['m1.example', 10], ['m2.example', 10], ['m3.example', 10], ['backup.example', 50]), {
    'm1.example': PUBLIC,
    'm2.example': PUBLIC,
    'm3.example': PUBLIC,
    'backup.example': PUBLIC,
  });
  const order = async (seed: string): Promise<string[]> => {
    const r = await resolveRoute('d.example', [], seed, dns);
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
  assert.deepEqual(await resolveRoute('e.example', [], 's', fakeDns(failMx('ENODATA'), { 'e.example': PUBLIC })), {
    ok: true,
    hosts: [{ host: 'e.example', port: 25, addresses: PUBLIC }],
    via: 'mx:implicit',
    mx: true,
  });
  const nullMx = await resolveRoute('e.example', [], 's', fakeDns(records(['', 0])));
  assert.deepEqual(nullMx.ok ? null : nullMx.reply, {
    code: null,
    enhanced: '5.1.10',
    response: 'Domain e.example does not accept mail (null MX)',
  });
  const nx = await resolveRoute('e.example', [], 's', fakeDns(failMx('ENOTFOUND')));
  assert.equal(nx.ok ? null : nx.reply.enhanced, '5.1.2');
  const servfail = await resolveRoute('e.example', [], 's', fakeDns(failMx('ESERVFAIL')));
  assert.equal(servfail.ok ? null : servfail.reply.enhanced, '4.4.3');
});

test('an MX host resolving only to internal addresses is a permanent failure; nothing is connected to', async () => {
  const internal = {
    'mx.example': ['127.0.0.1'],
    'meta.example': ['169.254.169.254'],
    'lan.example': ['10.0.0.1', 'fd00::1'],
    'mapped.example': ['::ffff:192.168.1.1'],
  };
  for (const host of Object.keys(internal)) {
    const r = await resolveRoute('victim.example', [], 's', fakeDns(records([host, 10]), internal));
    assert.equal(r.ok, false, host);
    assert.deepEqual(
      r.ok ? null : r.reply,
      { code: null, enhanced: '5.4.4', response: `MX host resolves to a non-public address: ${host} (victim.example)` },
      host,
    );
  }
  // The exchange itself written as an address, in any spelling, is that address: no lookup makes it public.
  for (const literal of ['127.0.0.1', '2130706433', '0x7f.1', '::1']) {
    const dns = fakeDns(records([literal, 10]));
    const r = await resolveRoute('victim.example', [], 's', dns);
    assert.equal(r.ok ? null : r.reply.enhanced, '5.4.4', literal);
    assert.deepEqual(dns.asked, [], 'a literal is not looked up');
  }
  // The implicit MX (the domain itself) and a transport "mx" target are guarded the same way.
  const implicit = await resolveRoute('lan.example', [], 's', fakeDns(failMx('ENODATA'), internal));
  assert.equal(implicit.ok ? null : implicit.reply.enhanced, '5.4.4');
  const viaMx = await resolveRoute(
    'victim.example',
    parseTransportMap('*=mx'),
    's',
    fakeDns(records(['mx.example', 10]), internal),
  );
  assert.deepEqual(viaMx.ok ? null : [viaMx.reply.enhanced, viaMx.via], ['5.4.4', 'transport:*:mx']);
});

test('internal addresses are dropped, public ones kept: per address and per host', async () => {
  const dns = fakeDns(records(['mixed.example', 10], ['lo.example', 5], ['pub.example', 20]), {
    'mixed.example': ['10.1.2.3', '93.184.216.34', 'fe80::1', '2606:2800:220:1::1'],
    'lo.example': ['127.0.0.1'],
    'pub.example': ['8.8.8.8'],
  });
  assert.deepEqual(await resolveRoute('m.example', [], 's', dns), {
    ok: true,
    via: 'mx',
    mx: true,
    hosts: [
      { host: 'mixed.example', port: 25, addresses: ['93.184.216.34', '2606:2800:220:1::1'] },
      { host: 'pub.example', port: 25, addresses: ['8.8.8.8'] },
    ],
  });
});

test('the transport map naming a host is trusted as written (local and test delivery to loopback)', async () => {
  const dns = fakeDns(records(['mx.example', 10]), { 'mx.example': ['127.0.0.1'] });
  const r = await resolveRoute('victim.example', parseTransportMap('victim.example=127.0.0.1:2525'), 's', dns);
  assert.deepEqual(r, {
    ok: true,
    hosts: [{ host: '127.0.0.1', port: 2525 }],
    via: 'transport:victim.example',
    mx: false,
  });
  assert.deepEqual(dns.asked, []);
});

test('address lookups that fail defer (even beside an internal host); hosts without any address defer', async () => {
  const failing = await resolveRoute(
    'f.example',
    [],
    's',
    fakeDns(records(['lo.example', 10], ['down.example', 20]), {
      'lo.example': ['127.0.0.1'],
      'down.example': 'ETIMEOUT',
    }),
  );
  assert.deepEqual(failing.ok ? null : [failing.reply.enhanced, failing.reply.response], [
    '4.4.3',
    'Address lookup for mail host down.example of f.example failed: ETIMEOUT',
  ]);
  const none = await resolveRoute('f.example', [], 's', fakeDns(records(['gone.example', 10]), {}));
  assert.deepEqual(none.ok ? null : none.reply, {
    code: null,
    enhanced: '4.4.4',
    response: 'No address for the mail hosts of f.example',
  });
});
