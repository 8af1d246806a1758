import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RelayHandle } from '../../src/relay/relay-server.js';
import { startRelays } from '../helpers/relays.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { waitFor } from '../helpers/wait-for.js';

// Real relays polled by the worker: GET /v1/relays shows what the poll saw, and a stopped relay's IPs are rejected by
// the MDE (explain says why) until it is back.
let stack: Stack;
let relays: RelayHandle[];

interface RelayView {
  id: string;
  healthy: boolean;
  lastPollAt: string | null;
  lastPollError: string | null;
  ips: Array<{ ip: string }>;
}
interface Route {
  recipients: string[];
  ip: string | null;
  relayId: string | null;
  rejected: Array<{ ip: string; why: string }>;
}

const relayViews = async (): Promise<RelayView[]> =>
  (await stack.api<{ items: RelayView[] }>('GET', '/v1/relays')).body.items;
const explain = async (): Promise<Route> => {
  const res = await stack.api<{ routes: Route[] }>('POST', '/v1/mde/explain', {
    accountId: 'acc_x',
    mailFrom: 'a@s.test',
    recipients: ['r@other.test'],
  });
  assert.equal(res.status, 200);
  return res.body.routes[0]!;
};

before(async () => {
  stack = await startStack({ roles: ['worker', 'api'] });
  relays = await startRelays(stack, { count: 3, transport: '*=127.0.0.1:9' });
  // Registering a relay (as `npm start` does) puts its IP, active, in pool `default`.
  const ips = (await stack.api<{ items: Array<{ ip: string; pool: string; state: string }> }>('GET', '/v1/ips')).body
    .items;
  assert.deepEqual(
    ips.map((i) => [i.ip, i.pool, i.state]),
    [
      ['127.0.0.2', 'default', 'active'],
      ['127.0.0.3', 'default', 'active'],
      ['127.0.0.4', 'default', 'active'],
    ],
  );
});
after(async () => {
  await stack.close();
  for (const r of relays) await r.close();
});

test('GET /v1/relays shows the poll; a stopped relay turns unhealthy and its IP is rejected by the MDE', async () => {
  const polled = await waitFor(
    async () => {
      const v = await relayViews();
      return v.length === 3 && v.every((r) => r.lastPollAt !== null && r.healthy) ? v : undefined;
    },
    { what: 'every relay polled' },
  );
  assert.deepEqual(
    polled.map((r) => [r.id, r.ips.map((i) => i.ip)]),
    [
      ['relay-1', ['127.0.0.2']],
      ['relay-2', ['127.0.0.3']],
      ['relay-3', ['127.0.0.4']],
    ],
  );

  const chosen = await explain();
  assert.equal(chosen.rejected.length, 0);
  const victim = relays.find((r) => r.id === chosen.relayId)!;
  await victim.close();
  const down = await waitFor(async () => (await relayViews()).find((r) => r.id === victim.id && !r.healthy), {
    what: `${victim.id} unhealthy`,
  });
  assert.ok(down.lastPollError, 'the poll error is shown');
  const moved = await explain();
  assert.notEqual(moved.relayId, victim.id);
  assert.ok(moved.ip);
  assert.deepEqual(moved.rejected, [{ ip: chosen.ip, why: `relay ${victim.id} is unhealthy` }]);
});
