import { relayReportsPath } from '../../src/api/routes/relay-reports.js';
import { startRelay, type RelayHandle } from '../../src/relay/relay-server.js';
import { createTestDatabase } from './database.js';
import type { Stack } from './stack.js';

/**
 * Starts in-process relays (each with its own database and source address) and registers them with the stack. With
 * `push`, each relay also pushes its outcomes to the stack's API (as `npm start` does with RELAY_PUSH=on); without,
 * the stack learns them from its poll only.
 */
export async function startRelays(
  stack: Stack,
  o: { count: number; transport: string; retryScheduleMs?: number[]; maxLifetimeMs?: number; push?: boolean },
): Promise<RelayHandle[]> {
  const relays: RelayHandle[] = [];
  for (let i = 1; i <= o.count; i++) {
    const id = `relay-${i}`;
    const sourceIp = `127.0.0.${i + 1}`;
    const relay = await startRelay({
      id,
      smtpHost: '127.0.0.1',
      smtpPort: 0,
      httpHost: '127.0.0.1',
      httpPort: 0,
      sourceIp,
      databaseUrl: await createTestDatabase('relay'),
      secret: stack.relaySecret(id),
      transport: o.transport,
      retryScheduleMs: o.retryScheduleMs ?? [300, 600],
      maxLifetimeMs: o.maxLifetimeMs ?? 60_000,
      heloName: `${id}.relay.localhost`,
      pushUrl: o.push ? stack.apiUrl + relayReportsPath : undefined,
    });
    await stack.registerRelay({
      id,
      smtpPort: relay.smtpPort,
      httpPort: relay.httpPort,
      sourceIp,
      tlsFingerprint: relay.tlsFingerprint,
    });
    relays.push(relay);
  }
  return relays;
}
