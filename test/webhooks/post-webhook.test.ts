import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook, type AddressLookup } from '../../src/webhooks/post-webhook.js';

// One webhook POST over real sockets, all on loopback: what is connected to, what is refused before any connection,
// and the generic error class an account is shown for each way an attempt can fail.

interface Hit {
  host: string | undefined;
  url: string | undefined;
  body: string;
}

async function receiver(
  t: { after(fn: () => unknown): void },
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ port: number; hits: Hit[] }> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ host: req.headers.host, url: req.url, body: Buffer.concat(chunks).toString() });
      answer(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });
  return { port: (server.address() as AddressInfo).port, hits };
}

const ok = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
  res.writeHead(204).end();
};
const CLASSES = /^(invalid url|dns|blocked address|connection refused|connection failed|timeout|tls|http \d{3})$/;

test('default: loopback, link-local and private targets are refused before any connection, in every spelling', async (t) => {
  const r = await receiver(t, ok);
  for (const host of [
    '127.0.0.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '127.1',
    '[::1]',
    '[::ffff:127.0.0.1]',
    'localhost',
    '169.254.169.254',
    '10.0.0.1',
    '100.64.0.1',
    '[fe80::1]',
    '0.0.0.0',
  ]) {
    const out = await postWebhook(`http://${host}:${r.port}/hook`, {}, '{}', { timeoutMs: 5_000, allowPrivate: false });
    assert.deepEqual([out.ok, out.error, out.statusCode], [false, 'blocked address', null], host);
  }
  // A name is refused when any one of its addresses is internal, whatever the others are (none is connected to).
  const mixed: AddressLookup = () => Promise.resolve(['93.184.216.34', '127.0.0.1']);
  assert.equal(
    (
      await postWebhook(`http://mixed.test:${r.port}/`, {}, '{}', {
        timeoutMs: 5_000,
        allowPrivate: false,
        lookup: mixed,
      })
    ).error,
    'blocked address',
  );
  assert.equal(r.hits.length, 0, 'nothing reached the receiver');
});

test("the connection goes to the checked address, with the URL's name as Host: a later DNS answer cannot redirect it", async (t) => {
  const r = await receiver(t, ok);
  let lookups = 0;
  // First answer loopback (checked, allowed here), every later one the metadata address: only the first is used.
  const rebinding: AddressLookup = () => Promise.resolve([lookups++ === 0 ? '127.0.0.1' : '169.254.169.254']);
  const out = await postWebhook(`http://hooks.rebind.test:${r.port}/in?x=1`, { 'x-test': '1' }, '{"a":1}', {
    timeoutMs: 5_000,
    allowPrivate: true,
    lookup: rebinding,
  });
  assert.deepEqual([out.ok, out.statusCode, out.error], [true, 204, null]);
  assert.equal(lookups, 1, 'resolved once, for the check');
  assert.deepEqual(r.hits, [{ host: `hooks.rebind.test:${r.port}`, url: '/in?x=1', body: '{"a":1}' }]);
  // The system resolver path: localhost is loopback, allowed only when asked for.
  const local = await postWebhook(`http://localhost:${r.port}/`, {}, '{}', { timeoutMs: 5_000, allowPrivate: true });
  assert.equal(local.ok, true);
});

test('redirects are not followed: a 3xx is a failed attempt', async (t) => {
  const target = await receiver(t, ok);
  const r = await receiver(t, (_req, res) => {
    res.writeHead(302, { location: `http://127.0.0.1:${target.port}/elsewhere` }).end();
  });
  const out = await postWebhook(`http://127.0.0.1:${r.port}/`, {}, '{}', { timeoutMs: 5_000, allowPrivate: true });
  assert.deepEqual([out.ok, out.statusCode, out.error], [false, 302, 'http 302']);
  assert.equal(target.hits.length, 0, 'the redirect target got nothing');
});

test('failures are generic classes: refused, timeout, tls, dns, http status; never the raw error text', async (t) => {
  const closed = await receiver(t, ok);
  const port = closed.port;
  // Refused: a port nothing listens on (the receiver is closed first).
  const refusedServer = http.createServer();
  await new Promise<void>((r) => refusedServer.listen(0, '127.0.0.1', r));
  const freePort = (refusedServer.address() as AddressInfo).port;
  await new Promise((r) => refusedServer.close(r));
  const silent = await receiver(t, () => undefined); // never answers
  const failing = await receiver(t, (_req, res) => {
    res.writeHead(500).end('ECONNREFUSED 10.0.0.7:5432 internal detail');
  });
  const nxdomain: AddressLookup = () =>
    Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND nx.test'), { code: 'ENOTFOUND' }));
  const cases: Array<[string, string, AddressLookup | undefined, number]> = [
    [`http://127.0.0.1:${freePort}/`, 'connection refused', undefined, 5_000],
    [`http://127.0.0.1:${silent.port}/`, 'timeout', undefined, 300],
    [`https://127.0.0.1:${port}/`, 'tls', undefined, 5_000], // TLS spoken to a plain HTTP server
    [`http://nx.test:${port}/`, 'dns', nxdomain, 5_000],
    [`http://127.0.0.1:${failing.port}/`, 'http 500', undefined, 5_000],
    ['ftp://127.0.0.1/', 'invalid url', undefined, 5_000],
  ];
  for (const [url, expected, lookup, timeoutMs] of cases) {
    const out = await postWebhook(url, {}, '{}', { timeoutMs, allowPrivate: true, lookup });
    assert.equal(out.error, expected, url);
    assert.match(out.error ?? '', CLASSES);
    assert.ok(out.detail, 'the operator log gets the detail');
  }
});
