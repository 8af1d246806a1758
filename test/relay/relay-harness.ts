// Shared setup for the relay's tests: a relay on its own fresh database, handoff over STARTTLS + SMTP AUTH with ENVID
// the way the MDE does it, and signed reads of the status API.
import type { DeliveryTls } from '../../src/domain/relay/mta-sts.js';
import type { RelayStats } from '../../src/relay-protocol/stats.js';
import nodemailer from 'nodemailer';
import {
  NONCE_HEADER,
  newNonce,
  SIGNATURE_HEADER,
  signRelayMessage,
  signed,
  verifyRelayMessage,
} from '../../src/relay-protocol/auth.js';
import { startRelay, type RelayHandle, type RelayOptions } from '../../src/relay/relay-server.js';
import { createTestDatabase } from '../helpers/database.js';
import { waitFor } from '../helpers/wait-for.js';

export const SECRET = 'relay-test-secret';

export async function startTestRelay(
  o: Partial<RelayOptions> & { transport: string },
): Promise<RelayHandle & { databaseUrl: string }> {
  const databaseUrl = o.databaseUrl ?? (await createTestDatabase('relay'));
  const relay = await startRelay({
    id: 'r1',
    smtpHost: '127.0.0.1',
    smtpPort: 0,
    httpHost: '127.0.0.1',
    httpPort: 0,
    sourceIp: '127.0.0.2',
    secret: SECRET,
    retryScheduleMs: [200],
    maxLifetimeMs: 60_000,
    heloName: 'r1.relay.localhost',
    pollIntervalMs: 50,
    ...o,
    databaseUrl,
  });
  return { ...relay, databaseUrl };
}

export function rawMessage(subject: string): string {
  return `From: sender@mde.example\r\nTo: someone@dest.example\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@mde.example>\r\n\r\nHello from the relay test.\r\n`;
}

/**
 * Hands a message to the relay as the MDE does: STARTTLS, AUTH, MAIL FROM with ENVID, the raw message. (The relay's
 * tests trust its certificate by its fingerprint; the MDE's own pinning is tested in relay-channel.test.ts.)
 */
export async function handOff(
  relay: RelayHandle,
  m: { envid: string; to: string[]; from?: string; raw?: string },
): Promise<string> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: relay.smtpPort,
    secure: false,
    requireTLS: true,
    auth: { user: 'mde', pass: SECRET },
    tls: {
      rejectUnauthorized: false,
      checkServerIdentity: (_host, cert) =>
        cert.fingerprint256 === relay.tlsFingerprint ? undefined : new Error('not the relay certificate'),
    },
  });
  try {
    const info = await transport.sendMail({
      envelope: { from: m.from ?? 'sender@mde.example', to: m.to },
      dsn: { id: m.envid },
      raw: m.raw ?? rawMessage(m.envid),
    });
    return info.response;
  } finally {
    transport.close();
  }
}

/**
 * A GET of the relay's status API signed with `secret` as the MDE signs it (null = unsigned); a signed answer's
 * signature is checked too, so every test of the API also checks that the relay signs what it answers.
 */
export async function api<T = unknown>(
  relay: RelayHandle,
  path: string,
  secret: string | null = SECRET,
): Promise<{ status: number; body: T }> {
  const nonce = newNonce();
  const request =
    secret === null ? undefined : signRelayMessage(secret, signed.request('GET', path, nonce), Date.now());
  const res = await fetch(`http://127.0.0.1:${relay.httpPort}${path}`, {
    headers: request ? { [SIGNATURE_HEADER]: request.header, [NONCE_HEADER]: nonce } : {},
  });
  const text = await res.text();
  if (request && secret === SECRET && res.status < 400) {
    const check = verifyRelayMessage(
      SECRET,
      res.headers.get(SIGNATURE_HEADER) ?? undefined,
      signed.answer(request.v1, text),
      Date.now(),
    );
    if (!check.ok) throw new Error(`answer to ${path} not signed by the relay: ${check.reason}`);
  }
  return { status: res.status, body: JSON.parse(text) as T };
}

export interface FeedItem {
  seq: number;
  messageId: string;
  recipient: string;
  status: string;
  smtpCode: number | null;
  enhancedCode: string | null;
  response: string | null;
  reason: string | null;
  sourceIp: string | null;
  tls?: DeliveryTls | null;
  /** The command the reply answered and the host that gave it; null for the relay's own failures. */
  command?: string | null;
  remoteHost?: string | null;
  at: string;
}

/** The whole feed, read page by page the way the MDE's poller does. */
export async function readFeed(relay: RelayHandle, pageSize = 500): Promise<FeedItem[]> {
  const all: FeedItem[] = [];
  for (let after = 0; ;) {
    const { body } = await api<{ items: FeedItem[]; next: number }>(relay, `/status?after=${after}&limit=${pageSize}`);
    all.push(...body.items);
    if (body.items.length === 0) return all;
    after = body.next;
  }
}

/** The whole feed once `ready` says it holds what the test waits for; waited for with a deadline, never a sleep. */
export function feedUntil(
  relay: RelayHandle,
  ready: (feed: FeedItem[]) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<FeedItem[]> {
  return waitFor(
    async () => {
      const f = await readFeed(relay);
      return ready(f) && f;
    },
    { what, ...(timeoutMs ? { timeoutMs } : {}) },
  );
}

export const statusesOf = (feed: FeedItem[], recipient: string): string[] =>
  feed.filter((i) => i.recipient === recipient).map((i) => i.status);

/** The MDE's control header lines (X-Mde-Source-Ip, X-Mde-Priority) prepended to a message, as the MDE sends it. */
export function withControl(raw: string, c: { sourceIp?: string; priority?: number }): string {
  return `${c.sourceIp === undefined ? '' : `X-Mde-Source-Ip: ${c.sourceIp}\r\n`}${c.priority === undefined ? '' : `X-Mde-Priority: ${c.priority}\r\n`}${raw}`;
}

export async function readStats(relay: RelayHandle): Promise<RelayStats> {
  const res = await api<RelayStats>(relay, '/v1/stats');
  if (res.status !== 200) throw new Error(`GET /v1/stats answered ${res.status}`);
  return res.body;
}
