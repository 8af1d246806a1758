import type { Queryable } from './pool.js';
import { countsOf, lastHourOutcomesSql, type OutcomeCounts } from './last-hour-outcomes.js';
import type { IpState } from '../domain/mde/routing-rules.js';

// Relay registration through the admin API, and the relays' health as the MDE last saw it (poll, push, stats).

export interface RelayEndpoints {
  id: string;
  smtpHost: string;
  smtpPort: number;
  statusUrl: string;
  /** The relay's HELO name (scanned on the domain blocklists): undefined keeps the stored one, null clears it. */
  heloName?: string | null;
}

export interface RelayView extends Omit<RelayEndpoints, 'heloName'> {
  heloName: string | null;
  /** SHA-256 fingerprint of the certificate the MDE pins for this relay's intake (null: not pinned yet). */
  tlsFingerprint: string | null;
  healthy: boolean;
  lastPollAt: Date | null;
  lastPollError: string | null;
  lastHeartbeatAt: Date | null;
  queueDepth: number | null;
  ips: Array<{ ip: string; pool: string; state: IpState; weight: number }>;
  lastHour: OutcomeCounts;
}

/**
 * Registers a relay or updates its endpoints (its poll cursor and health survive); its IPs are registered separately
 * (insertIp). Returns whether the relay is new.
 */
export async function registerRelay(db: Queryable, r: RelayEndpoints): Promise<{ created: boolean }> {
  const { rows } = await db.query(
    `INSERT INTO relays (id, smtp_host, smtp_port, status_url, helo_name) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET smtp_host = EXCLUDED.smtp_host, smtp_port = EXCLUDED.smtp_port, status_url = EXCLUDED.status_url,
       helo_name = CASE WHEN $6 THEN EXCLUDED.helo_name ELSE relays.helo_name END
     RETURNING (xmax = 0) AS created`,
    [r.id, r.smtpHost, r.smtpPort, r.statusUrl, r.heloName ?? null, r.heloName !== undefined],
  );
  return { created: rows[0].created === true };
}

/** Records the HELO name a relay started by the service itself uses (bootstrap). */
export async function setRelayHeloName(db: Queryable, id: string, heloName: string): Promise<void> {
  await db.query('UPDATE relays SET helo_name = $2 WHERE id = $1 AND helo_name IS DISTINCT FROM $2', [
    id,
    heloName.toLowerCase(),
  ]);
}

/** The HELO names of all relays (for the reputation scan). */
export async function relayHeloNames(db: Queryable): Promise<string[]> {
  const { rows } = await db.query(
    'SELECT DISTINCT lower(helo_name) AS helo FROM relays WHERE helo_name IS NOT NULL ORDER BY 1',
  );
  return rows.map((r) => r.helo as string);
}

export async function relayExists(db: Queryable, id: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM relays WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

export async function listRelayViews(db: Queryable, id?: string): Promise<RelayView[]> {
  const { rows } = await db.query(
    `WITH h AS (${lastHourOutcomesSql('relay')})
     SELECT r.id, r.smtp_host, r.smtp_port, r.status_url, r.helo_name, r.tls_fingerprint, r.healthy, r.last_poll_at, r.last_poll_error, r.last_heartbeat_at, r.queue_depth,
            h.delivered, h.deferred, h.bounced, h.failed,
            COALESCE((SELECT json_agg(json_build_object('ip', i.ip, 'pool', i.pool, 'state', i.state, 'weight', i.weight) ORDER BY i.ip)
                        FROM ips i WHERE i.relay_id = r.id), '[]') AS ips
       FROM relays r LEFT JOIN h ON h.key = r.id
      WHERE $1::text IS NULL OR r.id = $1
      ORDER BY r.id`,
    [id ?? null],
  );
  return rows.map((r) => ({
    id: r.id,
    smtpHost: r.smtp_host,
    smtpPort: r.smtp_port,
    statusUrl: r.status_url,
    heloName: r.helo_name ?? null,
    tlsFingerprint: r.tls_fingerprint ?? null,
    healthy: r.healthy,
    lastPollAt: r.last_poll_at,
    lastPollError: r.last_poll_error,
    lastHeartbeatAt: r.last_heartbeat_at,
    queueDepth: r.queue_depth,
    ips: r.ips,
    lastHour: countsOf(r),
  }));
}
