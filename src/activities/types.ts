import type { RecipientKind } from '../domain/mime/recipient-kinds.js';
import type { MessageStatus, RecipientStatus } from '../domain/status.js';
import type { ReputationActivities } from './reputation-types.js';

// Activity signatures, imported as types by workflows (which must not import activity code).

export interface PolicyOutcome {
  allowed: boolean;
  decisions: Array<{ check: string; allowed: boolean; reason: string }>;
}

export interface RecordedMessage {
  recipients: Array<{ address: string; kind: RecipientKind; status: RecipientStatus }>;
}

/** One part of a message: recipients that travel together through one IP of one pool (or wait for one). */
export interface RoutedPart {
  recipients: string[];
  pool: string;
  ruleId: string | null;
  ruleVersion: number | null;
  /** null: the pool has no usable IP right now; the part waits. */
  ip: string | null;
  relayId: string | null;
  why: string;
  /** No IP of the pool is usable even ignoring this message's failures: an alert condition, not just bad luck. */
  poolUnusable: boolean;
}

/** What the first stages found: the policy outcome, the recorded recipients and, if allowed, the first routing. */
export interface PreparedMessage {
  policy: PolicyOutcome;
  recipients: RecordedMessage['recipients'];
  /** Routing of the recipients still open after recording; empty when the policy refused the message. */
  parts: RoutedPart[];
}

export interface HandoffPart {
  relayId: string;
  sourceIp: string;
  recipients: string[];
}

export type RelayCheck =
  /** `known` lists every recipient of the message the relay holds (lowercase), and the final outcomes it reports. */
  | { state: 'known'; known: string[]; recipients: Array<{ recipient: string; status: RecipientStatus }> }
  | { state: 'unknown' }
  | { state: 'unreachable'; error: string };

export interface DeliveryActivities {
  checkPolicy(messageId: string): Promise<PolicyOutcome>;
  recordMessage(messageId: string): Promise<RecordedMessage>;
  /** checkPolicy, recordMessage and, when allowed, routeRecipients of the open recipients, as one activity. */
  prepareMessage(messageId: string): Promise<PreparedMessage>;
  /** MDE routing of the given open recipients, avoiding IPs that already failed for them; records each decision. */
  routeRecipients(
    messageId: string,
    recipients: string[],
    excludeIps: string[],
  ): Promise<{ configVersion: number; parts: RoutedPart[] }>;
  handOffToRelay(messageId: string, part: HandoffPart): Promise<{ response: string }>;
  /** Marks recipients deferred while their pool has no usable IP (visible in the API), recording why. */
  deferRecipients(messageId: string, recipients: string[], data: Record<string, unknown>): Promise<void>;
  checkRelayStatus(messageId: string, relayId: string): Promise<RelayCheck>;
  recordMessageEvent(messageId: string, type: string, data: Record<string, unknown>): Promise<void>;
  failMessage(messageId: string, reason: string, recipients?: string[]): Promise<void>;
  finalizeMessage(messageId: string): Promise<{ status: MessageStatus }>;
}

export interface PollActivities {
  listRelayIds(): Promise<string[]>;
  pollRelay(relayId: string): Promise<{ applied: number; cursor: number }>;
}

export type { ReputationActivities };
export type { SenderDomainActivities, SenderDomainCheckResult, SenderDomainRef } from './sender-domain-types.js';
/** One webhook delivery attempt (ids only: the event and secret are read by the activity). */
export interface WebhookAttempt {
  webhookId: string;
  messageId: string;
  /** message_events id. */
  eventId: string;
  attempt: number;
  /** When the next attempt comes if this one fails (recorded for the API); null = this is the last one. */
  nextRetryInMs: number | null;
}
export type WebhookAttemptResult =
  | { state: 'delivered' | 'failed'; statusCode?: number | null }
  /** The event is not for this webhook (type not subscribed, other account, or gone). */
  | { state: 'skipped' }
  /** The webhook was deleted. */
  | { state: 'gone' };

export interface WebhookActivities {
  deliverWebhookEvent(a: WebhookAttempt): Promise<WebhookAttemptResult>;
}

/** One retention call: purge what is older than `retentionMs`, `batchSize` rows per statement, at most `maxBatches`. */
export interface PurgeBatches {
  retentionMs: number;
  batchSize: number;
  maxBatches: number;
}
/** `more`: the last batch was full, so rows may remain past the cutoff (call again). */
export interface PurgeProgress {
  purged: number;
  more: boolean;
}
export interface RetentionActivities {
  /** Drops the raw MIME of finished messages older than the retention (the row, recipients and events stay). */
  purgeRawMime(p: PurgeBatches): Promise<PurgeProgress>;
  /** Deletes events older than the retention, of messages whose raw MIME is already purged. */
  purgeEvents(p: PurgeBatches): Promise<PurgeProgress>;
}

export type Activities = DeliveryActivities &
  PollActivities &
  ReputationActivities &
  WebhookActivities &
  RetentionActivities;
