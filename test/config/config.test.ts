import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/config/env-parsers.js';
import { logLevelFromEnv } from '../../src/config/logging.js';
import { deliveryWorkflowInput } from '../../src/temporal/delivery-workflow-input.js';

// The service's settings: parsed once, every invalid variable named, and the delivery workflow's input built from them.

test('defaults: submission ports, durations in milliseconds, lists split and trimmed', () => {
  const c = loadConfig({});
  assert.deepEqual(c.SMTP_PORTS, [587, 2525]);
  assert.equal(c.STATUS_CHECK_INTERVAL, 30 * 60_000);
  assert.deepEqual(c.HANDOFF_RETRY, [1000, 30_000]);
  assert.deepEqual(c.DNSBL_ZONES, ['zen.spamhaus.org', 'b.barracudacentral.org', 'bl.spamcop.net']);
  assert.equal(c.LOG_LEVEL, 'info');
  const d = loadConfig({
    SMTP_PORTS: ' 25, 587 ,',
    DOMAIN_BL_ZONES: ' DBL.Example ,',
    ALERT_EMAIL_TO: ' ops@x.test , ,sre@x.test',
  });
  assert.deepEqual(d.SMTP_PORTS, [25, 587]);
  assert.deepEqual(d.DOMAIN_BL_ZONES, ['dbl.example']);
  assert.deepEqual(d.ALERT_EMAIL_TO, ['ops@x.test', 'sre@x.test']);
});

test('invalid values are refused at load, each naming its variable', () => {
  assert.throws(
    () =>
      loadConfig({
        SMTP_PORTS: '587,smtp',
        STATUS_CHECK_INTERVAL: 'soon',
        RELAY_MAX_LIFETIME: 'forever',
        RELAY_RETRY_SCHEDULE: '5m,later',
        LOG_LEVEL: 'loud',
      }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      for (const k of [
        'SMTP_PORTS',
        'STATUS_CHECK_INTERVAL',
        'RELAY_MAX_LIFETIME',
        'RELAY_RETRY_SCHEDULE',
        'LOG_LEVEL',
      ]) {
        assert.ok(
          err.issues.some((i) => i.startsWith(`${k}:`)),
          `${k} in ${err.issues.join('; ')}`,
        );
      }
      return true;
    },
  );
});

test('the delivery workflow input: status check interval, lifetime and handoff backoff in milliseconds, revision', () => {
  assert.deepEqual(deliveryWorkflowInput(loadConfig({})), {
    statusCheckIntervalMs: 1_800_000,
    maxLifetimeMs: 172_800_000,
    handoffRetryMs: [1000, 30_000],
    revision: 2,
  });
  assert.deepEqual(
    deliveryWorkflowInput(
      loadConfig({ STATUS_CHECK_INTERVAL: '20s', RELAY_MAX_LIFETIME: '10m', HANDOFF_RETRY: '200ms,2s' }),
    ),
    { statusCheckIntervalMs: 20_000, maxLifetimeMs: 600_000, handoffRetryMs: [200, 2000], revision: 2 },
  );
  // Fewer than two delays: the missing ones fall back to 1 s and 30 s.
  assert.deepEqual(deliveryWorkflowInput(loadConfig({ HANDOFF_RETRY: '5s' })).handoffRetryMs, [5000, 30_000]);
});

test('the log level before configuration: LOG_LEVEL from the environment, an invalid one means info', () => {
  assert.equal(logLevelFromEnv({ LOG_LEVEL: 'warn' }), 'warn');
  assert.equal(logLevelFromEnv({}), 'info');
  assert.equal(logLevelFromEnv({ LOG_LEVEL: 'loud' }), 'info');
});
