import type pg from 'pg';
import { addAllowedIp, addSenderDomain, insertAccountIfMissing, insertApiKey } from '../db/accounts-repo.js';
import { adminKeyExists, rotateAdminKey } from '../db/api-keys-repo.js';
import { inTransaction } from '../db/pool.js';
import { anyRuleExists, insertCatchAllRule } from '../db/mde-rules-repo.js';
import { SYSTEM_ACCOUNT_ID, alertSenderDomain } from '../reputation/settings.js';
import { insertIp } from '../db/ips-repo.js';
import { insertIpPool } from '../db/ip-pools-repo.js';
import { setRelayHeloName } from '../db/relay-admin-repo.js';
import { setRelayTlsFingerprint, upsertRelay } from '../db/relays-repo.js';
import { DEFAULT_POOL } from '../domain/mde/routing-rules.js';
import { hashApiKey, newSecret } from '../secrets.js';

/**
 * Makes sure an admin API key exists. ADMIN_API_KEY, when set, becomes the only valid admin key: admin keys with another
 * hash are revoked (rotation; also the way to recover a lost key). Without it, a key is generated on the very first
 * start and returned once to be printed. A configured key is never returned, so it is never printed or logged; only
 * hashes are stored. `revoked` counts the previous admin keys a rotation revoked.
 */
export async function ensureAdminKey(
  pool: pg.Pool,
  configured: string | undefined,
): Promise<{ key?: string; generated: boolean; revoked: number }> {
  if (configured) {
    const revoked = await inTransaction(pool, (c) => rotateAdminKey(c, hashApiKey(configured)));
    return { generated: false, revoked };
  }
  if (await adminKeyExists(pool)) return { generated: false, revoked: 0 };
  const key = newSecret('rk_admin_');
  await insertApiKey(pool, null, hashApiKey(key));
  return { key, generated: true, revoked: 0 };
}

export interface LocalRelaySpec {
  id: string;
  smtpPort: number;
  httpPort: number;
  sourceIp: string;
  heloName?: string;
  /** SHA-256 fingerprint of the relay's TLS certificate, registered so the MDE hands off only to that certificate. */
  tlsFingerprint?: string;
}

/** The HELO name a local relay greets with: src/relay/main.ts's default when RELAY_HELO_NAME is not set. */
export const localRelayHeloName = (id: string): string => `${id}.relay.localhost`;

/** relay-1…relay-N on loopback, sending from 127.0.0.2…127.0.0.(N+1). */
export function localRelaySpecs(count: number, basePort: number): LocalRelaySpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `relay-${i + 1}`,
    smtpPort: basePort + 2 * (i + 1),
    httpPort: basePort + 2 * (i + 1) + 1,
    sourceIp: `127.0.0.${i + 2}`,
    heloName: localRelayHeloName(`relay-${i + 1}`),
  }));
}

/**
 * Registers the local relay network the way a delivery team would set it up once: each relay with its IP, the pool
 * `default` holding those IPs as `active`, and a catch-all rule → `default`. Only what is missing is created, so an
 * operator's later changes (an IP quarantined, rules edited) survive restarts.
 */
export async function registerLocalRelays(pool: pg.Pool, specs: LocalRelaySpec[]): Promise<void> {
  await registerRelayNetwork(
    pool,
    specs.map((s) => ({
      id: s.id,
      smtpHost: '127.0.0.1',
      smtpPort: s.smtpPort,
      statusUrl: `http://127.0.0.1:${s.httpPort}`,
      sourceIp: s.sourceIp,
      heloName: s.heloName ?? localRelayHeloName(s.id),
      tlsFingerprint: s.tlsFingerprint,
    })),
  );
}

/**
 * The same for configured relays (RELAY_ENDPOINTS, e.g. in docker-compose): each with the IP it sends from and, when
 * given, its HELO name (recorded for the reputation scan; an absent one leaves what an operator registered).
 */
export async function registerRelayNetwork(
  pool: pg.Pool,
  relays: Array<{
    id: string;
    smtpHost: string;
    smtpPort: number;
    statusUrl: string;
    sourceIp: string;
    heloName?: string;
    tlsFingerprint?: string;
  }>,
): Promise<void> {
  await insertIpPool(pool, DEFAULT_POOL, 'created at first start');
  for (const r of relays) {
    await upsertRelay(pool, r);
    if (r.heloName) await setRelayHeloName(pool, r.id, r.heloName);
    if (r.tlsFingerprint) await setRelayTlsFingerprint(pool, r.id, r.tlsFingerprint);
    await insertIp(
      pool,
      { ip: r.sourceIp, pool: DEFAULT_POOL, relayId: r.id, state: 'active', weight: 100 },
      'bootstrap',
      'relay IP registered at start',
    );
  }
  if (!(await anyRuleExists(pool))) await insertCatchAllRule(pool, DEFAULT_POOL);
}

/**
 * The system account that sends the service's own mail (reputation alerts) through the normal pipeline, so alerts
 * pass the same policy re-check as any message: its sender domain is ALERT_EMAIL_FROM's and its acceptance list is
 * 127.0.0.1/32 (alerts are stored with that client address). It has no SMTP credentials and no API keys, so nothing
 * outside the service can submit as it. Idempotent; a changed ALERT_EMAIL_FROM domain is added at the next start.
 */
export async function ensureSystemAccount(pool: pg.Pool, alertFrom: string): Promise<void> {
  await insertAccountIfMissing(pool, SYSTEM_ACCOUNT_ID, 'system (reputation alerts)');
  await addSenderDomain(pool, SYSTEM_ACCOUNT_ID, alertSenderDomain(alertFrom), {
    note: "the service's own alert domain (ALERT_EMAIL_FROM)",
  });
  await addAllowedIp(pool, SYSTEM_ACCOUNT_ID, '127.0.0.1/32');
}
