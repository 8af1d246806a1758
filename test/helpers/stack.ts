import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrate.js';
import { createLogger } from '../../src/log.js';
import { ensureAdminKey, registerLocalRelays } from '../../src/runtime/bootstrap.js';
import { startRoles, type Role, type RunningRoles } from '../../src/runtime/roles.js';
import { deriveRelaySecret } from '../../src/secrets.js';
import { pollScheduleId } from '../../src/workflows/definitions.js';
import { reputationScheduleId, retentionScheduleId, senderDomainScheduleId } from '../../src/temporal/schedules.js';
import { createTestDatabase } from './database.js';

/**
 * A real service stack for one test file: its own database, its own Temporal task queue on the shared dev server,
 * the chosen roles in this process, with ephemeral ports. Relays are added by the test (in-process or as processes).
 */
export interface Stack {
  config: Config;
  pool: Pool;
  temporal: Client;
  roles: RunningRoles;
  adminKey: string;
  masterSecret: string;
  submissionPort: number;
  plainPort?: number;
  apiUrl: string;
  databaseUrl: string;
  env: Record<string, string>;
  api<T = unknown>(
    method: string,
    p: string,
    body?: unknown,
    key?: string,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** tlsFingerprint: the relay's (RelayHandle.tlsFingerprint); the MDE hands off only to that certificate. */
  registerRelay(r: {
    id: string;
    smtpPort: number;
    httpPort: number;
    sourceIp: string;
    tlsFingerprint: string;
  }): Promise<void>;
  relaySecret(id: string): string;
  close(): Promise<void>;
}

export async function startStack(opts: { roles?: Role[]; env?: Record<string, string> } = {}): Promise<Stack> {
  const databaseUrl = await createTestDatabase('svc');
  const dataDir = fs.mkdtempSync(path.join(process.env.TEST_WORK_DIR ?? '/tmp', 'stack-'));
  const adminKey = `rk_admin_test_${crypto.randomBytes(12).toString('hex')}`;
  const masterSecret = crypto.randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '',
    TEMPORAL_TASK_QUEUE: `test-${crypto.randomBytes(5).toString('hex')}`,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORTS: '0',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    BOUNCE_SMTP_HOST: '127.0.0.1',
    BOUNCE_SMTP_PORT: '0',
    ADMIN_API_KEY: adminKey,
    RELAY_MASTER_SECRET: masterSecret,
    RELAY_POLL_INTERVAL: '1s',
    STATUS_CHECK_INTERVAL: '20s',
    HANDOFF_RETRY: '200ms,2s',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    // Reputation scans must not leave loopback: no resolver answers here (lookups come back unknown) unless a test sets one.
    DNS_RESOLVER: '127.0.0.1:9',
    ...opts.env,
  };
  const config = loadConfig(env);
  const pool = createPool(databaseUrl);
  await migrate(pool);
  await ensureAdminKey(pool, adminKey);
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const roles = await startRoles(opts.roles ?? ['worker', 'ingress', 'api'], {
    config,
    pool,
    temporalAddress: env.TEMPORAL_ADDRESS as string,
    relayMasterSecret: masterSecret,
    log: createLogger({ test: true }),
  });
  const apiUrl = `http://127.0.0.1:${roles.apiPort ?? 0}`;
  const submission = roles.smtp.find((s) => s.kind === 'submission' && s.ok);
  return {
    config,
    pool,
    temporal,
    roles,
    adminKey,
    masterSecret,
    apiUrl,
    databaseUrl,
    env,
    submissionPort: submission?.port ?? 0,
    plainPort: roles.smtp.find((s) => s.kind === 'plain' && s.ok)?.port,
    async api<T>(method: string, p: string, body?: unknown, key = adminKey) {
      const res = await fetch(apiUrl + p, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
    },
    async registerRelay(r) {
      // As `npm start` does: the relay, its IP active in pool `default`, and a catch-all rule if there is none.
      await registerLocalRelays(pool, [r]);
    },
    relaySecret: (id) => deriveRelaySecret(masterSecret, id),
    async close() {
      await roles.close();
      await temporal.schedule
        .getHandle(pollScheduleId(config.TEMPORAL_TASK_QUEUE))
        .delete()
        .catch(() => undefined);
      await temporal.schedule
        .getHandle(reputationScheduleId(config.TEMPORAL_TASK_QUEUE))
        .delete()
        .catch(() => undefined);
      await temporal.schedule
        .getHandle(retentionScheduleId(config.TEMPORAL_TASK_QUEUE))
        .delete()
        .catch(() => undefined);
      await temporal.schedule
        .getHandle(senderDomainScheduleId(config.TEMPORAL_TASK_QUEUE))
        .delete()
        .catch(() => undefined);
      await connection.close();
      await pool.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestAccount {
  accountId: string;
  username: string;
  password: string;
  apiKey: string;
}

/** Creates an account through the admin API the way an operator would. */
export async function createAccount(
  stack: Stack,
  o: { name?: string; domain?: string; cidr?: string } = {},
): Promise<TestAccount> {
  const acc = await stack.api<{ id: string }>('POST', '/v1/accounts', { name: o.name ?? 'Acme' });
  if (acc.status !== 201) throw new Error(`create account: ${acc.status} ${JSON.stringify(acc.body)}`);
  const cred = await stack.api<{ username: string; password: string }>(
    'POST',
    `/v1/accounts/${acc.body.id}/smtp-credentials`,
    {},
  );
  const key = await stack.api<{ key: string }>('POST', `/v1/accounts/${acc.body.id}/api-keys`, {});
  // The admin vouches for the domain (recorded as verified by hand), as an operator who manages DNS does: the default
  // policy (SENDER_DOMAIN_POLICY=verified) stays on for every test; test/sender-auth verifies domains through DNS.
  if (o.domain !== '')
    await stack.api('POST', `/v1/accounts/${acc.body.id}/sender-domains`, {
      domain: o.domain ?? 'example.com',
      verified: 'manual',
    });
  if (o.cidr !== '')
    await stack.api('POST', `/v1/accounts/${acc.body.id}/allowed-ips`, { cidr: o.cidr ?? '127.0.0.0/8' });
  return { accountId: acc.body.id, username: cred.body.username, password: cred.body.password, apiKey: key.body.key };
}
