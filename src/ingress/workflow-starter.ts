import type pg from 'pg';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  claimDueStarts,
  deleteStartRequests,
  releaseStartRequests,
  type StartRequest,
} from '../db/start-outbox-repo.js';
import { domainOf } from '../domain/mime/address.js';
import { nextDrainDelayMs, startRetryDelayMs, START_RETRY_FIRST_MS } from '../domain/start-retry.js';
import type { deliverMessageWorkflow } from '../workflows/deliver-message.js';
import { messageWorkflowId, type DeliverMessageInput } from '../workflows/definitions.js';
import { AccountIdKey, DeliveryStatusKey, SenderDomainKey } from '../temporal/search-attributes.js';
import type { Logger } from '../log.js';
import { serviceMetrics } from '../infra/metrics.js';

// Starts message workflows from the start outbox (workflow_start_outbox). The acceptance transaction writes the
// message and its start request; after the commit this module starts the workflow at once (eagerly, on the worker's
// own connection, when a worker runs in this process) and deletes the row once Temporal confirmed. Rows left behind
// (Temporal down, this process gone, too many starts in flight) are taken by the drain loop, which claims due rows
// with SKIP LOCKED and a lease, so several ingress processes drain one table without starting a message twice.
// Starting twice is harmless anyway: the workflow id is msg-<id> and a second start is refused ("already started"),
// which counts as done.

/** How long to wait for Temporal to confirm one start, in ms; past it the start counts as failed and is retried. */
export const START_TIMEOUT_MS = 10_000;
/**
 * How long a process holds a row it is starting, in ms. Longer than START_TIMEOUT_MS plus the database round trips
 * around it, so a slow start is never claimed by a second process; a process that dies only delays its rows this long.
 */
export const START_LEASE_MS = 60_000;
/** Starts in flight at once per process: enough to keep the Temporal frontend busy, few enough to bound memory. */
const MAX_IN_FLIGHT = 32;
/** Accepted messages waiting in memory for a free start slot; past this, their rows wait for the drain loop. */
const MAX_QUEUED = 1_000;
/** Rows one drain pass claims. */
const DRAIN_BATCH = 100;

export interface StarterDeps {
  pool: pg.Pool;
  temporal: Client;
  /**
   * A client on the NativeConnection of a worker running in this process and polling `taskQueue`, when there is one:
   * starts through it ask for eager start (the first workflow task comes back in the start reply, no matching round
   * trip). Undefined (or returning undefined, e.g. while the worker restarts): ordinary starts through `temporal`.
   */
  eagerClient?: () => Client | undefined;
  taskQueue: string;
  workflowInput: Omit<DeliverMessageInput, 'messageId'>;
  log: Logger;
  /** The drain loop's scan interval, in ms (START_DRAIN_INTERVAL). */
  scanIntervalMs: number;
  startTimeoutMs?: number;
}

export interface WorkflowStarter {
  /**
   * The lease to write on the start request of a message being accepted now: START_LEASE_MS when this process will
   * start it right after the commit (startAccepted), 0 when its row should wait for a drain pass (Temporal is not
   * answering, or too many starts are queued here).
   */
  leaseForNewRow(): number;
  /** Starts a committed message's workflow without holding up the caller; the row is the durable record meanwhile. */
  startAccepted(m: StartRequest): void;
  /** One drain pass now; resolves with how many workflows it started. */
  drainOnce(): Promise<number>;
  close(): Promise<void>;
}

export function isAlreadyStarted(err: unknown): boolean {
  return (
    err instanceof WorkflowExecutionAlreadyStartedError ||
    (err as Error)?.name === 'WorkflowExecutionAlreadyStartedError'
  );
}

/**
 * Starts a stored message's delivery workflow with its search attributes (AccountId, SenderDomain, DeliveryStatus).
 * The one way a message workflow is started. The id msg-<id> is never reused (REJECT_DUPLICATE) and a running one is
 * never replaced (FAIL): a second start of the same message throws WorkflowExecutionAlreadyStartedError, which every
 * caller treats as success.
 */
export async function startMessageWorkflow(
  deps: {
    temporal: Client;
    taskQueue: string;
    workflowInput: Omit<DeliverMessageInput, 'messageId'>;
    startTimeoutMs?: number;
  },
  m: Pick<StartRequest, 'id' | 'accountId' | 'mailFrom'> & Partial<Pick<StartRequest, 'envelopeRcpts'>>,
  opts: { eager?: boolean } = {},
): Promise<{ eagerlyStarted: boolean }> {
  const { temporal } = deps;
  const handle = await temporal.withDeadline(Date.now() + (deps.startTimeoutMs ?? START_TIMEOUT_MS), () =>
    temporal.workflow.start<typeof deliverMessageWorkflow>('deliverMessageWorkflow', {
      taskQueue: deps.taskQueue,
      workflowId: messageWorkflowId(m.id),
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'FAIL',
      ...(opts.eager ? { requestEagerStart: true } : {}),
      args: [{ messageId: m.id, ...deps.workflowInput }],
      // What a row of the Temporal UI shows: addresses and the id, never the subject or the content.
      staticSummary: workflowSummary(m),
      staticDetails: workflowDetails(m),
      typedSearchAttributes: [
        { key: AccountIdKey, value: m.accountId },
        { key: SenderDomainKey, value: domainOf(m.mailFrom) ?? '' },
        { key: DeliveryStatusKey, value: 'pending' },
      ],
    }),
  );
  return { eagerlyStarted: handle.eagerlyStarted };
}

/**
 * One start of a committed message's workflow: undefined when the workflow exists now (started, or already there),
 * else the error's text. Counts each start it made in smtp_relay_workflow_starts_total.
 */
async function tryStart(
  deps: Pick<StarterDeps, 'taskQueue' | 'workflowInput' | 'startTimeoutMs'>,
  m: StartRequest,
  client: { temporal: Client; eager: boolean },
  path: 'immediate' | 'drain',
): Promise<string | undefined> {
  try {
    const r = await startMessageWorkflow({ ...deps, temporal: client.temporal }, m, { eager: client.eager });
    serviceMetrics().workflowStarts.inc({ path, eager: String(r.eagerlyStarted) });
    return undefined;
  } catch (err) {
    if (isAlreadyStarted(err)) return undefined;
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Starts a committed message's workflow once, without a starter (a caller outside the ingress role), and settles its
 * outbox row: deleted when the workflow exists, due for any drain pass at once otherwise. Never throws.
 */
export async function startFromOutbox(
  deps: Pick<StarterDeps, 'pool' | 'temporal' | 'taskQueue' | 'workflowInput' | 'log' | 'startTimeoutMs'>,
  m: StartRequest,
): Promise<boolean> {
  const error = await tryStart(deps, m, { temporal: deps.temporal, eager: false }, 'immediate');
  if (error !== undefined) {
    deps.log.warn('ingress.workflow_start_deferred', { messageId: m.id, error });
    await releaseStartRequests(deps.pool, [m.id], 0, error).catch((e: unknown) =>
      deps.log.warn('ingress.start_release_failed', { messageId: m.id, error: e }),
    );
    return false;
  }
  // A failed delete leaves the row: a later drain pass finds the workflow already started and removes it then.
  await deleteStartRequests(deps.pool, [m.id]).catch((e: unknown) =>
    deps.log.warn('ingress.start_settle_failed', { messageId: m.id, error: e }),
  );
  return true;
}

/** Creates the starter of this process and runs its drain loop until close(). */
export function startWorkflowStarter(deps: StarterDeps): WorkflowStarter {
  const { pool, log } = deps;
  /** False after a start failed for any reason but "already started", until a start succeeds again. */
  let temporalAnswers = true;
  let inFlight = 0;
  const queue: StartRequest[] = [];
  const running = new Set<Promise<unknown>>();
  let closed = false;

  // Confirmed starts are deleted in batches: one DELETE for all that finished while the previous one ran.
  let toDelete: string[] = [];
  let deleting: Promise<void> | undefined;
  const settle = (id: string): void => {
    toDelete.push(id);
    deleting ??= (async () => {
      while (toDelete.length > 0) {
        const ids = toDelete;
        toDelete = [];
        // A failed delete leaves the rows; a drain pass finds their workflows already started and deletes them then.
        await deleteStartRequests(pool, ids).catch((e: unknown) =>
          log.warn('ingress.start_settle_failed', { count: ids.length, error: e }),
        );
      }
    })().finally(() => (deleting = undefined));
  };

  const clientFor = (): { temporal: Client; eager: boolean } => {
    const eager = deps.eagerClient?.();
    return eager ? { temporal: eager, eager: true } : { temporal: deps.temporal, eager: false };
  };

  /** One start: true when the workflow exists now. Failures leave the row due after retryInMs. */
  const attempt = async (m: StartRequest, retryInMs: number, path: 'immediate' | 'drain'): Promise<boolean> => {
    const error = await tryStart(deps, m, clientFor(), path);
    if (error !== undefined) {
      if (temporalAnswers) log.warn('ingress.temporal_unreachable', { messageId: m.id, error });
      temporalAnswers = false;
      await releaseStartRequests(pool, [m.id], retryInMs, error).catch((e: unknown) =>
        log.warn('ingress.start_release_failed', { messageId: m.id, error: e }),
      );
      return false;
    }
    if (!temporalAnswers) log.info('ingress.temporal_answers', { messageId: m.id });
    temporalAnswers = true;
    settle(m.id);
    return true;
  };

  const track = <T>(p: Promise<T>): Promise<T> => {
    running.add(p);
    void p.finally(() => running.delete(p)).catch(() => undefined);
    return p;
  };

  const pump = (): void => {
    while (!closed && inFlight < MAX_IN_FLIGHT && queue.length > 0) {
      const m = queue.shift() as StartRequest;
      inFlight++;
      void track(
        attempt(m, START_RETRY_FIRST_MS, 'immediate').then((ok) => {
          // The drain loop takes over the rows of failed starts; bring its next pass near.
          if (!ok) drainSoon(START_RETRY_FIRST_MS);
        }),
      ).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  // The drain loop: serialised passes on a timer that a caller can bring forward.
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let pass: Promise<number> | undefined;
  let failuresInARow = 0;

  const drainSoon = (delayMs: number): void => {
    if (closed) return;
    const at = Date.now() + delayMs;
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Infinity;
      void drainOnce();
    }, delayMs);
  };

  const runPass = async (): Promise<{ claimed: number; started: number; failed: number }> => {
    const rows = await claimDueStarts(pool, DRAIN_BATCH, START_LEASE_MS);
    if (rows.length === 0) return { claimed: 0, started: 0, failed: 0 };
    // The oldest row goes first, alone: while Temporal is down a pass costs this one failed start, and the rest of
    // the batch is handed back untried (due at once, for the next pass after the loop's backoff).
    const [first, ...rest] = rows as [(typeof rows)[number], ...typeof rows];
    if (!(await attempt(first, startRetryDelayMs(first.attempts), 'drain'))) {
      await releaseStartRequests(
        pool,
        rest.map((r) => r.id),
        0,
      );
      return { claimed: rows.length, started: 0, failed: 1 };
    }
    let started = 1;
    let failed = 0;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < rest.length) {
        const r = rest[next++] as (typeof rest)[number];
        if (await attempt(r, startRetryDelayMs(r.attempts), 'drain')) started++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_IN_FLIGHT, rest.length) }, lane));
    return { claimed: rows.length, started, failed };
  };

  const drainOnce = (): Promise<number> => {
    if (pass) return pass;
    pass = track(
      (async () => {
        let delay = deps.scanIntervalMs;
        let started = 0;
        try {
          const r = await runPass();
          started = r.started;
          failuresInARow = r.failed > 0 && r.started === 0 ? failuresInARow + 1 : 0;
          if (r.started > 0) log.info('ingress.start_drained', { started: r.started, failed: r.failed });
          delay = nextDrainDelayMs({ ...r, batch: DRAIN_BATCH, failuresInARow }, deps.scanIntervalMs);
        } catch (err) {
          // The database did not answer: try again at the next scan.
          log.warn('ingress.start_drain_failed', { error: err });
        }
        pass = undefined;
        drainSoon(delay);
        return started;
      })(),
    );
    return pass;
  };

  drainSoon(0);

  return {
    leaseForNewRow: () => (temporalAnswers && queue.length < MAX_QUEUED && !closed ? START_LEASE_MS : 0),
    startAccepted: (m) => {
      if (closed) return;
      queue.push(m);
      pump();
    },
    drainOnce,
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      // Queued messages keep their rows: another process (or this one after a restart) starts them after the lease.
      queue.length = 0;
      await Promise.allSettled([...running]);
      await deleting;
    },
  };
}

/** Longest address shown in a workflow summary; a longer one is cut with "…" (the UI shows one line). */
const SUMMARY_ADDRESS_CHARS = 80;
const cut = (s: string): string => (s.length > SUMMARY_ADDRESS_CHARS ? `${s.slice(0, SUMMARY_ADDRESS_CHARS - 1)}…` : s);

/** The one-line summary of a message workflow: `sender → first recipient (+N) · message id`. */
export function workflowSummary(m: { id: string; mailFrom: string; envelopeRcpts?: readonly string[] }): string {
  const rcpts = m.envelopeRcpts ?? [];
  const to =
    rcpts.length === 0 ? '?' : `${cut(rcpts[0] as string)}${rcpts.length > 1 ? ` (+${rcpts.length - 1})` : ''}`;
  return `${cut(m.mailFrom || '<>')} → ${to} · ${m.id}`;
}

/** The workflow's details (Markdown in the Temporal UI): ids to look the message up by, and the recipient count. */
export function workflowDetails(m: { id: string; accountId: string; envelopeRcpts?: readonly string[] }): string {
  const n = m.envelopeRcpts?.length;
  return [
    `**Message** \`${m.id}\` (GET /v1/messages/${m.id})`,
    `**Account** \`${m.accountId}\``,
    ...(n === undefined ? [] : [`**Recipients** ${n}`]),
  ].join('\n\n');
}
