import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relayConfigSchema } from '../../src/config/relay-config.js';

// The relay process's settings: several source addresses, per-destination limits and the throttle's backoff.

const base = {
  RELAY_ID: 'r1',
  RELAY_SMTP_PORT: '0',
  RELAY_HTTP_PORT: '0',
  RELAY_SOURCE_IP: '127.0.0.2',
  RELAY_DATABASE_URL: 'postgres://x/y',
  RELAY_SECRET: 's',
};

test('defaults: no further source addresses, 5 sessions per destination, no rate limit, Postfix-like backoff', () => {
  const env = relayConfigSchema.parse(base);
  assert.deepEqual(env.RELAY_SOURCE_IPS, []);
  assert.equal(env.RELAY_DOMAIN_CONCURRENCY, 5);
  assert.equal(env.RELAY_DOMAIN_RATE, 0);
  assert.deepEqual(env.RELAY_THROTTLE_BACKOFF, [30_000, 60_000, 120_000, 300_000, 600_000]);
});

test('RELAY_SOURCE_IPS is a comma-separated list of addresses; limits and backoff are parsed', () => {
  const env = relayConfigSchema.parse({
    ...base,
    RELAY_SOURCE_IPS: ' 127.0.0.3 ,2001:db8::1,',
    RELAY_DOMAIN_CONCURRENCY: '2',
    RELAY_DOMAIN_RATE: '60',
    RELAY_THROTTLE_BACKOFF: '10s,1m',
  });
  assert.deepEqual(env.RELAY_SOURCE_IPS, ['127.0.0.3', '2001:db8::1']);
  assert.deepEqual(
    [env.RELAY_DOMAIN_CONCURRENCY, env.RELAY_DOMAIN_RATE, env.RELAY_THROTTLE_BACKOFF],
    [2, 60, [10_000, 60_000]],
  );
});

test('invalid values are refused, each naming its variable', () => {
  const r = relayConfigSchema.safeParse({
    ...base,
    RELAY_SOURCE_IPS: '127.0.0.3,relay.example',
    RELAY_DOMAIN_CONCURRENCY: '0',
    RELAY_DOMAIN_RATE: '-1',
    RELAY_THROTTLE_BACKOFF: 'later',
  });
  assert.equal(r.success, false);
  const paths = r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  assert.ok(
    paths.some((p) => p.startsWith('RELAY_SOURCE_IPS') && p.includes('"relay.example" is not an IP address')),
    paths.join('; '),
  );
  for (const k of ['RELAY_DOMAIN_CONCURRENCY', 'RELAY_DOMAIN_RATE', 'RELAY_THROTTLE_BACKOFF'])
    assert.ok(
      paths.some((p) => p.startsWith(k)),
      `${k}: ${paths.join('; ')}`,
    );
});

test('the relay falls back to the retry schedule and lifetime the service hands its own relays', async () => {
  const { configSchema } = await import('../../src/config/config.js');
  const { parseDurationListMs, parseDurationMs } = await import('../../src/domain/duration.js');
  const service = configSchema.parse({});
  const relay = relayConfigSchema.parse(base);
  assert.deepEqual(relay.RELAY_RETRY_SCHEDULE, parseDurationListMs(service.RELAY_RETRY_SCHEDULE));
  assert.equal(relay.RELAY_MAX_LIFETIME, parseDurationMs(service.RELAY_MAX_LIFETIME));
  assert.equal(relay.RELAY_MAX_LIFETIME, 2 * 86_400_000);
});
