import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RecipientStatus } from '../domain/status.js';

// Names shared by workflows, worker, ingress and poller: signals, queries, ids and the task queue.

export const messageWorkflowId = (messageId: string): string => `msg-${messageId}`;
/** One poll schedule per task queue, so separate deployments (or test runs) sharing a namespace do not collide. */
export const pollScheduleId = (taskQueue: string): string =>
  taskQueue === 'smtp-relay' ? 'poll-relays' : `poll-relays-${taskQueue}`;

export interface DeliverMessageInput {
  messageId: string;
  /** How long to wait for a status report before asking the relay directly. */
  statusCheckIntervalMs: number;
  /** Longest a message may wait for any relay to accept it before its recipients fail. */
  maxLifetimeMs: number;
  /** Handoff retry backoff: first delay, doubling to the cap. */
  handoffRetryMs: [number, number];
  /**
   * Which revision of the workflow's steps this run follows, fixed at start (the input is in the history, so a replay
   * takes the same branch without a patch marker): 2 = policy, record and first routing in one local activity, the
   * handoff of an ordinary part local, the bounded pool wait. Absent: started before revisions, decided by patched().
   */
  revision?: number;
}

/** The revision new deliveries start with (see DeliverMessageInput.revision). */
export const DELIVERY_REVISION = 2;

export interface RelayStatusUpdate {
  relayId: string;
  updates: Array<{ recipient: string; status: RecipientStatus }>;
}

/** Sent by applyRelayReport (the poller and the relays' push callback) when a relay reports outcomes. */
export const relayStatusSignal = defineSignal<[RelayStatusUpdate]>('relayStatus');

/** One delivery part of a message: recipients routed together to one IP (or waiting for one). */
export interface PartProgress {
  id: number;
  recipients: string[];
  pool: string;
  ruleId: string | null;
  ip: string | null;
  relayId: string | null;
  state: 'routed' | 'waiting' | 'handoff' | 'await-status' | 'done';
  /** IPs that already failed for these recipients (refused, unreachable, or lost the message). */
  triedIps: string[];
}

/** The progress query's answer: the stage, each recipient's status, and the parts (each with its relay and IP). */
export interface MessageProgress {
  stage: string;
  recipients: Record<string, RecipientStatus>;
  parts: PartProgress[];
}

export const getProgressQuery = defineQuery<MessageProgress>('getProgress');
