import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/config.js';
import { relayConfigSchema } from '../../src/config/relay-config.js';
import { allRoles } from '../../src/runtime/roles.js';

// No container engine runs here, so docker-compose.yml is kept honest by checking it against the code: every service
// built from our Dockerfile runs an entry point that exists, with roles that exist, and only environment variables
// that the matching config schema reads (a typo or a renamed variable fails this test).
interface Service {
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  image?: string;
}
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const ours = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

test('compose runs every role of the service as its own container', () => {
  const names = ours.map(([n]) => n).sort();
  assert.deepEqual(names, ['api', 'ingress', 'relay-1', 'relay-2', 'worker']);
  for (const infra of ['postgres', 'temporal', 'temporal-ui'])
    assert.ok(compose.services[infra]?.image, `${infra} service`);
});

test('each command names an existing entry point and valid roles', () => {
  for (const [name, s] of ours) {
    const cmd = s.command ?? [];
    assert.deepEqual(cmd.slice(0, 2), ['node', '--import'], name);
    const entry = cmd[3] ?? '';
    assert.ok(fs.existsSync(entry), `${name}: ${entry} exists`);
    if (entry === 'src/run-role.ts') {
      const roles = cmd.slice(4);
      assert.ok(
        roles.length > 0 && roles.every((r) => (allRoles as readonly string[]).includes(r)),
        `${name}: roles ${roles.join(',')}`,
      );
    } else {
      assert.equal(entry, 'src/relay/main.ts', name);
    }
  }
});

test('every environment variable a service sets is one its config schema reads', () => {
  const appKeys = new Set(Object.keys(configSchema.shape));
  const relayKeys = new Set(Object.keys(relayConfigSchema.shape));
  for (const [name, s] of ours) {
    const known = s.command?.[3] === 'src/relay/main.ts' ? relayKeys : appKeys;
    for (const key of Object.keys(s.environment ?? {}))
      assert.ok(known.has(key), `${name}: ${key} is not read by the code`);
  }
});

test('the relay endpoints registered by the app match the relay services', () => {
  const env = compose.services.worker?.environment ?? {};
  const endpoints = JSON.parse((env.RELAY_ENDPOINTS ?? '[]').replace(/\$\{[^}]+\}/g, '0.0.0.0')) as Array<{
    id: string;
    smtpPort: number;
    statusUrl: string;
  }>;
  for (const e of endpoints) {
    const relay = compose.services[e.id]?.environment ?? {};
    assert.equal(relay.RELAY_ID, e.id);
    assert.equal(Number(relay.RELAY_SMTP_PORT), e.smtpPort);
    assert.equal(new URL(e.statusUrl).port, relay.RELAY_HTTP_PORT);
  }
  assert.equal(endpoints.length, 2);
});

test('the Dockerfile default command is a valid role entry point', () => {
  const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
  const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
  assert.ok(fs.existsSync(cmd[3] ?? ''));
});
