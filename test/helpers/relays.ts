import { relayReportsPath } from '../../src/api/routes/relay-reports.js';
import { startRelay, type RelayHandle } from '../../src/relay/relay-server.js';

type RelayOptions = Parameters<typeof startRelay>[0];
import { createTestDatabase } from './database.js';
import type { Stack } from './stack.js';

export interface TestRelayOptions {
  /** RELAY_TRANSPORT; absent = deliver to MX hosts (with `extra.dns`). */
  transport?: string;
  retryScheduleMs?: number[];
  maxLifetimeMs?: number;
  /** Push outcomes to the stack's API (as `npm start` does with RELAY_PUSH=on); without, the poll alone learns them. */
  push?: boolean;
  /** Any other relay option (DNS, CAs, extra source IPs…), applied last. */
  extra?: Partial<RelayOptions>;
}

/** Starts one in-process relay with its own database, sending from `sourceIp`, and registers it with the stack. */
export async function startTestRelay(
  stack: Stack,
  id: string,
  sourceIp: string,
  o: TestRelayOptions,
): Promise<RelayHandle> {
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
    ...o.extra,
  });
  await stack.registerRelay({
    id,
    smtpPort: relay.smtpPort,
    httpPort: relay.httpPort,
    sourceIp,
    tlsFingerprint: relay.tlsFingerprint,
  });
  return relay;
}

/** Starts `count` relays, relay-N sending from 127.0.0.(N+1), and registers them with the stack. */
export async function startRelays(stack: Stack, o: TestRelayOptions & { count: number }): Promise<RelayHandle[]> {
  const relays: RelayHandle[] = [];
  for (let i = 1; i <= o.count; i++) relays.push(await startTestRelay(stack, `relay-${i}`, `127.0.0.${i + 1}`, o));
  return relays;
}
