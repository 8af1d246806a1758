import type { Queryable } from './pool.js';

export interface RelayRecord {
  id: string;
  smtpHost: string;
  smtpPort: number;
  statusUrl: string;
  healthy: boolean;
  pollCursor: number;
  lastPollAt: Date | null;
  lastPollError: string | null;
  /** SHA-256 fingerprint of the relay's TLS certificate; null = none registered (no handoff until there is). */
  tlsFingerprint: string | null;
}

const columns =
  'id, smtp_host, smtp_port, status_url, healthy, poll_cursor, last_poll_at, last_poll_error, tls_fingerprint';
const toRecord = (r: Record<string, unknown>): RelayRecord => ({
  id: r.id as string,
  smtpHost: r.smtp_host as string,
  smtpPort: r.smtp_port as number,
  statusUrl: r.status_url as string,
  healthy: r.healthy as boolean,
  pollCursor: Number(r.poll_cursor),
  lastPollAt: (r.last_poll_at as Date | null) ?? null,
  lastPollError: (r.last_poll_error as string | null) ?? null,
  tlsFingerprint: (r.tls_fingerprint as string | null) ?? null,
});

/** Registers or updates a relay's endpoints; its poll cursor survives re-registration. Its IPs are rows of `ips`. */
export async function upsertRelay(
  db: Queryable,
  r: { id: string; smtpHost: string; smtpPort: number; statusUrl: string },
): Promise<void> {
  await db.query(
    `INSERT INTO relays (id, smtp_host, smtp_port, status_url) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET smtp_host = EXCLUDED.smtp_host, smtp_port = EXCLUDED.smtp_port, status_url = EXCLUDED.status_url`,
    [r.id, r.smtpHost, r.smtpPort, r.statusUrl],
  );
}

/** Registers the fingerprint of a relay's TLS certificate (canonical spelling, see relay-protocol/tls-pin.ts). */
export async function setRelayTlsFingerprint(db: Queryable, id: string, fingerprint: string): Promise<void> {
  await db.query('UPDATE relays SET tls_fingerprint = $2 WHERE id = $1 AND tls_fingerprint IS DISTINCT FROM $2', [
    id,
    fingerprint,
  ]);
}

export async function listRelays(db: Queryable): Promise<RelayRecord[]> {
  const { rows } = await db.query(`SELECT ${columns} FROM relays ORDER BY id`);
  return rows.map(toRecord);
}

export async function getRelay(db: Queryable, id: string): Promise<RelayRecord | undefined> {
  const { rows } = await db.query(`SELECT ${columns} FROM relays WHERE id = $1`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Cursor only moves forward, so two overlapping polls cannot rewind it. */
export async function savePollResult(db: Queryable, id: string, cursor: number, error: string | null): Promise<void> {
  await db.query(
    'UPDATE relays SET poll_cursor = GREATEST(poll_cursor, $2), last_poll_at = now(), last_poll_error = $3, healthy = ($3::text IS NULL) WHERE id = $1',
    [id, cursor, error],
  );
}

export async function setRelayHealth(db: Queryable, id: string, healthy: boolean, error: string | null): Promise<void> {
  await db.query('UPDATE relays SET healthy = $2, last_poll_error = $3 WHERE id = $1', [id, healthy, error]);
}

/** A sign of life from the relay (a push, or a poll with its stats); stats replace the previous ones. */
export async function saveRelayHeartbeat(
  db: Queryable,
  id: string,
  stats?: { queueDepth: number; stats: unknown },
): Promise<void> {
  if (stats)
    await db.query('UPDATE relays SET last_heartbeat_at = now(), queue_depth = $2, stats = $3 WHERE id = $1', [
      id,
      stats.queueDepth,
      JSON.stringify(stats.stats),
    ]);
  else await db.query('UPDATE relays SET last_heartbeat_at = now() WHERE id = $1', [id]);
}
