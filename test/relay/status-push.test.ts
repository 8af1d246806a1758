import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { freePort } from '../../src/infra/free-port.js';
import { signed, verifyRelayMessage } from '../../src/relay-protocol/auth.js';
import type { LogFields, Logger } from '../../src/log.js';
import { startDestinationSink } from '../helpers/destination-sink.js';
import { waitFor } from '../helpers/wait-for.js';
import { feedUntil, handOff, readFeed, SECRET, startTestRelay, type FeedItem } from './relay-harness.js';

// The relay's push of outcome events: the feed's own items, signed with the relay's secret, at once; a failing push
// is retried briefly and then given up, and never holds up or changes a delivery.

interface Received {
  auth: string | undefined;
  signature: string | undefined;
  body: string;
  relayId: string | undefined;
  items: FeedItem[];
}

/** A stand-in for the MDE's callback that fails the first `failFirst` requests with 503. */
async function startCallback(
  failFirst: number,
): Promise<{ url: string; got: Received[]; requests(): number; close(): Promise<void> }> {
  const got: Received[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (++requests <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { items: FeedItem[] };
      got.push({
        auth: req.headers.authorization,
        signature: req.headers['x-relay-signature'] as string | undefined,
        body: Buffer.concat(chunks).toString(),
        relayId: req.headers['x-relay-id'] as string | undefined,
        items: body.items,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ applied: body.items.length }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/v1/relay-reports`,
    got,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

test('each outcome (deferral included) is pushed at once as the feed item, with the relay credentials; a 503 is retried', async (t) => {
  const sink = await startDestinationSink({
    script: (rcpt, attempt) =>
      rcpt.startsWith('later@') && attempt === 1 ? { code: 451, message: '4.7.1 Try again' } : undefined,
  });
  t.after(() => sink.close());
  const callback = await startCallback(1);
  t.after(() => callback.close());
  const relay = await startTestRelay({ transport: `*=127.0.0.1:${sink.port}`, pushUrl: callback.url });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'push-1', to: ['now@a.example', 'later@a.example'] });
  const pushed = await waitFor(
    () => {
      const items = callback.got.flatMap((g) => g.items);
      return items.length === 3 && items;
    },
    { what: 'three pushed items' },
  );
  // Signed, not carrying the secret: the body's signature checks with the relay secret, and with nothing else.
  for (const g of callback.got) {
    assert.deepEqual([g.auth, g.relayId], [undefined, 'r1']);
    assert.ok(verifyRelayMessage(SECRET, g.signature, signed.push('r1', g.body), Date.now()).ok);
    assert.ok(!verifyRelayMessage('other', g.signature, signed.push('r1', g.body), Date.now()).ok);
    assert.ok(!verifyRelayMessage(SECRET, g.signature, signed.push('r1', g.body + ' '), Date.now()).ok);
  }
  assert.ok(callback.requests() > callback.got.length, 'the first push failed and was retried');
  assert.deepEqual(
    pushed.sort((a, b) => a.seq - b.seq),
    await readFeed(relay),
    'push carries exactly the feed items',
  );
  assert.deepEqual(pushed.map((i) => `${i.status}:${i.recipient}`).sort(), [
    'deferred:later@a.example',
    'delivered:later@a.example',
    'delivered:now@a.example',
  ]);
});

test('an unreachable callback changes nothing for delivery or the feed; the relay gives up with a warning', async (t) => {
  const sink = await startDestinationSink();
  t.after(() => sink.close());
  const warnings: Array<{ event: string; fields?: LogFields }> = [];
  const log: Logger = {
    info: () => undefined,
    error: () => undefined,
    warn: (event, fields) => warnings.push({ event, fields }),
    child: () => log,
  };
  const relay = await startTestRelay({
    transport: `*=127.0.0.1:${sink.port}`,
    pushUrl: `http://127.0.0.1:${await freePort()}/v1/relay-reports`,
    log,
  });
  t.after(() => relay.close());

  await handOff(relay, { envid: 'push-2', to: ['a@a.example'] });
  await handOff(relay, { envid: 'push-3', to: ['b@a.example'] });
  await sink.waitForMessages(2);
  const feed = await feedUntil(relay, (f) => f.length === 2, 'both outcomes in the feed');
  assert.deepEqual(
    feed.map((i) => i.status),
    ['delivered', 'delivered'],
  );
  const failed = await waitFor(() => warnings.find((w) => w.event === 'relay.push_failed'), {
    what: 'push_failed warning',
  });
  assert.equal(failed.fields?.attempts, 3, 'one try and two retries');
});
