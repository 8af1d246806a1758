import type { RecipientKind } from '../domain/mime/recipient-kinds.js';
import type { MessageStatus, RecipientStatus } from '../domain/status.js';

// Activity signatures, imported as types by workflows (which must not import activity code).

export interface PolicyOutcome {
  allowed: boolean;
  decisions: Array<{ check: string; allowed: boolean; reason: string }>;
}

export interface RecordedMessage {
  recipients: Array<{ address: string; kind: RecipientKind; status: RecipientStatus }>;
}

export interface RouteDecision {
  relayId: string;
  sourceIp: string;
  reason: string;
  rejected: Array<{ id: string; why: string }>;
}

export type RelayCheck =
  | { state: 'known'; recipients: Array<{ recipient: string; status: RecipientStatus }> }
  | { state: 'unknown' }
  | { state: 'unreachable'; error: string };

export interface DeliveryActivities {
  checkPolicy(messageId: string): Promise<PolicyOutcome>;
  recordMessage(messageId: string): Promise<RecordedMessage>;
  routeMessage(messageId: string, excludeRelayIds: string[]): Promise<RouteDecision | null>;
  handOffToRelay(messageId: string, relayId: string): Promise<{ response: string }>;
  checkRelayStatus(messageId: string, relayId: string): Promise<RelayCheck>;
  recordMessageEvent(messageId: string, type: string, data: Record<string, unknown>): Promise<void>;
  failMessage(messageId: string, reason: string): Promise<void>;
  finalizeMessage(messageId: string): Promise<{ status: MessageStatus }>;
}

export interface PollActivities {
  listRelayIds(): Promise<string[]>;
  pollRelay(relayId: string): Promise<{ applied: number; cursor: number }>;
}

export type Activities = DeliveryActivities & PollActivities;
