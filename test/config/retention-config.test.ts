import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { relayConfigSchema } from '../../src/config/relay-config.js';

// Retention settings: their defaults (raw MIME 30 days, events 400 days, a daily purge; relays the same 30 days, hourly)
// and that they take the usual duration syntax.
const DAY = 86_400_000;

test('service retention defaults and overrides', () => {
  const d = loadConfig({});
  assert.equal(d.RAW_RETENTION, 30 * DAY);
  assert.equal(d.EVENT_RETENTION, 400 * DAY);
  assert.equal(d.RETENTION_INTERVAL, DAY);
  const c = loadConfig({ RAW_RETENTION: '7d', EVENT_RETENTION: '90d', RETENTION_INTERVAL: '6h' });
  assert.deepEqual([c.RAW_RETENTION, c.EVENT_RETENTION, c.RETENTION_INTERVAL], [7 * DAY, 90 * DAY, 6 * 3_600_000]);
  assert.throws(() => loadConfig({ RAW_RETENTION: 'forever' }), /RAW_RETENTION/);
});

test('relay retention defaults and overrides', () => {
  const base = {
    RELAY_ID: 'r1',
    RELAY_SMTP_PORT: '0',
    RELAY_HTTP_PORT: '0',
    RELAY_SOURCE_IP: '127.0.0.2',
    RELAY_DATABASE_URL: 'postgres://x/y',
    RELAY_SECRET: 's',
  };
  const d = relayConfigSchema.parse(base);
  assert.equal(d.RELAY_RAW_RETENTION, 30 * DAY);
  assert.equal(d.RELAY_RETENTION_INTERVAL, 3_600_000);
  const c = relayConfigSchema.parse({ ...base, RELAY_RAW_RETENTION: '2d', RELAY_RETENTION_INTERVAL: '10m' });
  assert.deepEqual([c.RELAY_RAW_RETENTION, c.RELAY_RETENTION_INTERVAL], [2 * DAY, 600_000]);
});
