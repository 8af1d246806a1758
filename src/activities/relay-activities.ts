import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { getRawMessage, getRecipientStatuses } from '../db/messages-repo.js';
import { markHandedOff } from '../db/pipeline-moves-repo.js';
import { applyRecipientUpdate } from '../db/relay-outcome-repo.js';
import { getRelay, type RelayRecord } from '../db/relays-repo.js';
import { isFinal, type RecipientStatus } from '../domain/status.js';
import { priorityRank } from '../domain/mime/relay-headers.js';
import { normalizeAddress } from '../domain/mime/address.js';
import { withHandoffHeaders } from '../domain/relay/handoff-headers.js';
import { messageForData } from '../smtp/message-for-data.js';
import { createCopyBuilder } from '../delivery/recipient-copies.js';
import { getMessageTracking } from '../db/messages-repo.js';
import { itemsHandedToRelay, relayOutcomeUpdate } from '../delivery/apply-relay-report.js';
import { fetchRelayMessage } from './relay-api-client.js';
import { pinnedRelayCertificate, pinnedTlsOptions } from './relay-tls-pin.js';
import { MDE_USERNAME } from '../relay-protocol/auth.js';
import { finalEventKey } from '../relay-protocol/event-keys.js';
import type { ActivityDeps } from './deps.js';
import type { DeliveryActivities, HandoffPart, RelayCheck } from './types.js';
import { failureTypes } from '../workflows/failure-types.js';

/** Pooled SMTP connections per relay; also bounds the per-recipient copies built at once. */
const HANDOFF_CONNECTIONS = 5;

type RelayActivities = Pick<DeliveryActivities, 'handOffToRelay' | 'checkRelayStatus'>;

export function createRelayActivities(deps: ActivityDeps): RelayActivities & { closeTransports(): void } {
  const { pool, log } = deps;
  // One pooled SMTP connection set per relay, reused across messages: the handoff is the hot path.
  const transports = new Map<string, { key: string; transport: Transporter }>();
  const buildCopy = deps.copies ? createCopyBuilder(deps.copies, log) : undefined;

  // The handoff goes only to the certificate registered for the relay (see relay-tls-pin.ts): STARTTLS is required
  // (requireTLS: no AUTH in clear, even if a server stops offering STARTTLS), and the certificate must be the pinned one.
  async function transportFor(relay: RelayRecord): Promise<Transporter> {
    const fingerprint = relay.tlsFingerprint;
    if (!fingerprint)
      throw new Error(
        `relay ${relay.id} has no registered TLS certificate fingerprint (RELAY_ENDPOINTS tlsFingerprint or POST /v1/relays); nothing was sent`,
      );
    const key = `${relay.smtpHost}:${relay.smtpPort}:${fingerprint}`;
    const cached = transports.get(relay.id);
    if (cached && cached.key === key) return cached.transport;
    const pem = await pinnedRelayCertificate(relay, fingerprint, 10_000);
    cached?.transport.close();
    const transport = nodemailer.createTransport({
      host: relay.smtpHost,
      port: relay.smtpPort,
      secure: false,
      requireTLS: true,
      auth: { user: MDE_USERNAME, pass: deps.relaySecret(relay.id) },
      pool: true,
      maxConnections: HANDOFF_CONNECTIONS,
      maxMessages: 1000,
      connectionTimeout: 10_000,
      socketTimeout: 60_000,
      tls: pinnedTlsOptions(pem, fingerprint),
    });
    transports.set(relay.id, { key, transport });
    return transport;
  }

  /** After a TLS failure the next handoff probes again (the relay may have a new, re-registered certificate). */
  function forgetTransport(relayId: string): void {
    transports.get(relayId)?.transport.close();
    transports.delete(relayId);
  }

  async function relayOrFail(relayId: string): Promise<RelayRecord> {
    const relay = await getRelay(pool, relayId);
    if (!relay) throw ApplicationFailure.nonRetryable(`relay ${relayId} is not registered`, failureTypes.relayRefused);
    return relay;
  }

  async function handOff(messageId: string, part: HandoffPart): Promise<{ response: string }> {
    const { relayId, sourceIp } = part;
    const relay = await relayOrFail(relayId);
    const message = await getRawMessage(pool, messageId);
    if (!message) throw ApplicationFailure.nonRetryable(`message ${messageId} not found`, failureTypes.messageNotFound);
    const raw = message.raw;
    if (!raw)
      throw ApplicationFailure.nonRetryable(
        `message ${messageId}: raw MIME purged by retention`,
        failureTypes.rawPurged,
      );
    const wanted = new Set(part.recipients.map(normalizeAddress));
    const open = (await getRecipientStatuses(pool, messageId))
      .filter((r) => wanted.has(normalizeAddress(r.address)) && !isFinal(r.status))
      .map((r) => r.address);
    if (open.length === 0) return { response: 'no open recipients' };
    try {
      const transport = await transportFor(relay);
      const control = { sourceIp, priority: priorityRank(message.priority ?? undefined) };
      let response: string;
      if (!buildCopy) {
        const info = await transport.sendMail({
          envelope: { from: message.mailFrom, to: open },
          raw: messageForData(withHandoffHeaders(raw, control)),
          dsn: { id: messageId },
        });
        response = info.response ?? '';
      } else {
        // One transaction per recipient (VERP sender, personal tracking tokens). The relay dedupes by (ENVID,
        // recipient), so a retry after a partial failure re-sends only what it does not hold yet.
        // At most as many copies in memory as the transport has connections: a 25 MiB message to 50 recipients
        // must not become 50 copies at once.
        const tracking = await getMessageTracking(pool, messageId);
        const replies: string[] = [];
        for (let i = 0; i < open.length; i += HANDOFF_CONNECTIONS) {
          replies.push(
            ...(await Promise.all(
              open.slice(i, i + HANDOFF_CONNECTIONS).map(async (recipient) => {
                const copy = await buildCopy({ messageId, raw, tracking }, recipient);
                const info = await transport.sendMail({
                  envelope: { from: copy.envelopeFrom, to: [recipient] },
                  raw: messageForData(withHandoffHeaders(copy.raw, control)),
                  dsn: { id: messageId },
                });
                return info.response ?? '';
              }),
            )),
          );
        }
        response = replies[replies.length - 1] ?? '';
      }
      await markHandedOff(pool, messageId, { relayId, sourceIp, recipients: open }, response);
      log.info('handoff.accepted', { messageId, relayId, sourceIp, recipients: open.length, response });
      return { response };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      if (code === undefined) forgetTransport(relayId);
      log.warn('handoff.failed', { messageId, relayId, code, error: err });
      if (code !== undefined && code >= 500)
        throw ApplicationFailure.nonRetryable(
          `relay ${relayId} refused: ${(err as Error).message}`,
          failureTypes.relayRefused,
        );
      throw err;
    }
  }

  return {
    /**
     * Hands the stored message to the relay over authenticated SMTP, for the recipients not yet final. The message id
     * travels as the DSN envelope id (ENVID), which the relay uses to dedupe: a retried handoff delivers nothing twice.
     */
    async handOffToRelay(messageId, part) {
      // Alive-signal while sending (see heartbeatTimeout in the workflow): captured here, timers keep no context. A
      // local activity has no heartbeat (the SDK keeps its workflow task alive instead).
      const ctx = Context.current();
      const beat = ctx.info.isLocal ? undefined : setInterval(() => ctx.heartbeat(), 5_000);
      try {
        return await handOff(messageId, part);
      } finally {
        clearInterval(beat);
      }
    },

    /** Asks the relay directly about an overdue message and applies any final outcome it reports. */
    async checkRelayStatus(messageId, relayId): Promise<RelayCheck> {
      const relay = await relayOrFail(relayId);
      let state;
      try {
        state = await fetchRelayMessage(relay.statusUrl, deps.relaySecret(relayId), messageId);
      } catch (err) {
        return { state: 'unreachable', error: err instanceof Error ? err.message : String(err) };
      }
      if (!state) return { state: 'unknown' };
      const known = state.recipients.map((r) => normalizeAddress(r.recipient));
      const recipients: Array<{ recipient: string; status: RecipientStatus }> = [];
      const handed = await itemsHandedToRelay(
        { pool, log },
        relay,
        state.recipients.map((r) => ({ ...r, messageId })),
      );
      for (const r of handed) {
        const reported = r.status as RecipientStatus;
        if (!isFinal(reported)) continue;
        const after = await applyRecipientUpdate(
          pool,
          messageId,
          relayOutcomeUpdate(relay, {
            recipient: r.recipient,
            status: reported,
            smtpCode: r.smtpCode,
            enhancedCode: r.enhancedCode,
            response: r.response,
            tls: r.tls,
            command: r.command ?? null,
            remoteHost: r.remoteHost ?? null,
            at: r.updatedAt ?? new Date().toISOString(),
          }),
          finalEventKey(relayId, messageId, r.recipient),
        );
        if (after) recipients.push({ recipient: r.recipient, status: after });
      }
      Context.current().heartbeat();
      return { state: 'known', known, recipients };
    },

    closeTransports() {
      for (const { transport } of transports.values()) transport.close();
      transports.clear();
    },
  };
}
