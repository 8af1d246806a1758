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
  ports?: string[];
  user?: string;
  secrets?: string[];
}
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string }>;
  secrets?: Record<string, { file?: string }>;
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

// The exposure and privilege checks: what is published, as whom the containers run, what each relay's database
// credentials reach, and that the MDE trusts each relay's certificate by its fingerprint.

/** "[ip:]host:container" → its parts; a bare "host:container" listens on every interface. */
function published(spec: string): { ip?: string; host: string; container: string } {
  const parts = spec.split(':');
  const [container = '', host = '', ip] = parts.reverse();
  return { ip, host, container };
}

test("Temporal's frontend is not published and its UI listens on loopback only", () => {
  assert.equal(compose.services.temporal?.ports, undefined, 'temporal publishes no port');
  for (const [name, s] of Object.entries(compose.services))
    for (const p of s.ports ?? []) {
      const { host, container } = published(p);
      assert.notEqual(container, '7233', `${name} publishes the Temporal frontend`);
      assert.notEqual(host, '7233', `${name} publishes 7233`);
    }
  const ui = compose.services['temporal-ui']?.ports ?? [];
  assert.ok(ui.length > 0);
  for (const p of ui) assert.equal(published(p).ip, '127.0.0.1', `temporal-ui ${p} bound to loopback`);
});

test('our containers run as a non-root user and listen on unprivileged ports', () => {
  const dockerfile = fs.readFileSync('Dockerfile', 'utf8');
  const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  const last = users.at(-1);
  assert.ok(last && !['root', '0', '0:0'].includes(last), `Dockerfile ends as a non-root USER (${last})`);
  assert.ok(dockerfile.lastIndexOf('USER ') > dockerfile.lastIndexOf('RUN '), 'no RUN after USER switches back');
  for (const [name, s] of ours) {
    assert.ok(s.user === undefined || !/^(root|0)(:|$)/.test(s.user), `${name} does not override the user to root`);
    const env = s.environment ?? {};
    const ports = [
      ...(env.SMTP_PORTS ?? '').split(','),
      env.BOUNCE_SMTP_PORT,
      env.API_PORT,
      env.RELAY_SMTP_PORT,
      env.RELAY_HTTP_PORT,
    ].filter((p): p is string => p !== undefined && p !== '');
    for (const p of ports) assert.ok(Number(p) >= 1024, `${name} listens on ${p}, which needs root`);
    for (const p of s.ports ?? []) assert.ok(Number(published(p).container) >= 1024, `${name} publishes ${p}`);
  }
});

test('each relay has its own database role, owning only its own database, with CONNECT revoked from PUBLIC', () => {
  const sql = compose.configs?.['relay-databases']?.content ?? '';
  const superuser = compose.services.postgres?.environment?.POSTGRES_USER;
  const central = compose.services.postgres?.environment?.POSTGRES_DB ?? '';
  assert.match(sql, new RegExp(`REVOKE CONNECT[^;]* ON DATABASE ${central} FROM PUBLIC;`), 'central database closed');
  const relays = ours.filter(([, s]) => s.command?.[3] === 'src/relay/main.ts');
  const roles = new Set<string>();
  for (const [name, s] of relays) {
    const url = new URL((s.environment?.RELAY_DATABASE_URL ?? '').replace(/\$\{[^}]+\}/g, 'x'));
    const role = url.username;
    const db = url.pathname.slice(1);
    assert.notEqual(role, superuser, `${name} does not use the superuser`);
    assert.ok(!roles.has(role), `${name} has a role of its own`);
    roles.add(role);
    assert.doesNotMatch(s.environment?.RELAY_DATABASE_URL ?? '', /POSTGRES_PASSWORD/, `${name}: own password`);
    assert.match(sql, new RegExp(`CREATE ROLE ${role} LOGIN PASSWORD '\\$\\{[A-Z0-9_]+:\\?[^}]*\\}';`), `${name} role`);
    assert.doesNotMatch(
      sql,
      new RegExp(`CREATE ROLE ${role}[^;]*(SUPERUSER|CREATEDB|CREATEROLE)`),
      `${name} role plain`,
    );
    assert.match(sql, new RegExp(`CREATE DATABASE ${db} OWNER ${role};`), `${name} owns ${db}`);
    assert.match(sql, new RegExp(`REVOKE CONNECT[^;]* ON DATABASE ${db} FROM PUBLIC;`), `${db} closed to others`);
    assert.equal((sql.match(new RegExp(`OWNER ${role}\\b`, 'g')) ?? []).length, 1, `${role} owns one database`);
    assert.doesNotMatch(sql, new RegExp(`GRANT [^;]* TO ${role}\\b`), `${role} is granted nothing else`);
  }
  assert.equal(roles.size, 2);
});

test("the MDE trusts each relay's certificate by a registered fingerprint, and each relay has its certificate", () => {
  const env = compose.services.worker?.environment ?? {};
  const sample = 'AB:'.repeat(31) + 'AB';
  // Every ${VAR:?…} is a required variable: fingerprints get a valid sample, other values an address.
  const filled = (env.RELAY_ENDPOINTS ?? '').replace(/\$\{([A-Z0-9_]+)[^}]*\}/g, (_m, name: string) =>
    name.endsWith('_TLS_FINGERPRINT') ? sample : '0.0.0.0',
  );
  const parsed = configSchema.shape.RELAY_ENDPOINTS.parse(filled);
  assert.equal(parsed?.length, 2);
  for (const e of parsed ?? []) {
    assert.equal(e.tlsFingerprint, sample, `${e.id} has a tlsFingerprint`);
    const relay = compose.services[e.id];
    const renv = relay?.environment ?? {};
    assert.ok(renv.TLS_CERT && renv.TLS_KEY, `${e.id} has TLS_CERT and TLS_KEY`);
    for (const file of [renv.TLS_CERT, renv.TLS_KEY]) {
      const secret = /^\/run\/secrets\/(.+)$/.exec(file ?? '')?.[1] ?? '';
      assert.ok(relay?.secrets?.includes(secret), `${e.id} mounts ${secret}`);
      assert.ok(compose.secrets?.[secret]?.file, `secret ${secret} is declared`);
    }
  }
  assert.match(env.RELAY_ENDPOINTS ?? '', /"tlsFingerprint":"\$\{RELAY_1_TLS_FINGERPRINT:\?/);
});
