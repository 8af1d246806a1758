import type pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Server } from 'node:http';
import type { Config } from '../config/config.js';
import type { Logger } from '../log.js';
import { createActivities } from '../activities/index.js';
import { createWorker } from '../temporal/worker.js';
import {
  ensurePollSchedule,
  ensureReputationSchedule,
  ensureRetentionSchedule,
  ensureSenderDomainSchedule,
} from '../temporal/schedules.js';
import { createCopySigner } from '../sender-auth/copy-signer.js';
import { senderAuthSettingsFromConfig } from '../sender-auth/settings.js';
import { reputationSettingsFromConfig } from '../reputation/settings.js';
import { ensureSystemAccount } from './bootstrap.js';
import { startIngress, type ListenResult } from '../ingress/smtp-ingress.js';
import { startWorkflowStarter } from '../ingress/workflow-starter.js';
import { startBounceReceiver } from '../bounces/bounce-receiver.js';
import { setSuppressionPolicy } from '../db/bounce-suppression-repo.js';
import { deriveVerpSecret } from '../bounces/verp.js';
import { loadTlsMaterial } from '../ingress/tls-material.js';
import { createApiApp, type ReadinessCheck } from '../api/app.js';
import { answerUnparsableRequests } from '../infra/json-errors.js';
import { deriveRelaySecret, smtpPasswordKey } from '../secrets.js';
import { authLockoutFromConfig, sessionLimitsFromConfig } from '../ingress/session-limits.js';
import { createSecretBox } from '../webhooks/secret-box.js';
import { startWebhookDispatcher } from '../webhooks/dispatcher.js';
import { deliveryWorkflowInput } from '../temporal/delivery-workflow-input.js';
import { databaseAnswers } from '../db/pool.js';
import { decideRestart, type RestartState } from '../domain/restart-policy.js';
import { consoleOptionsFromConfig } from '../api/console/session.js';

export type Role = 'worker' | 'ingress' | 'api';
export const allRoles: readonly Role[] = ['worker', 'ingress', 'api'];

export interface RoleContext {
  config: Config;
  pool: pg.Pool;
  temporalAddress: string;
  relayMasterSecret: string;
  log: Logger;
  /**
   * What a supervisor knows about the processes it runs (`npm start`): while one is down, readiness reports it down
   * at once, without waiting for a connection attempt to time out.
   */
  dependencyUp?: Partial<Record<'database' | 'temporal', () => boolean>>;
}

/** A readiness probe answers within this many ms or counts as down: a dead dependency must not hang /readyz. */
const readinessTimeoutMs = 2_000;

function probe(up: (() => boolean) | undefined, rpc: () => Promise<boolean>): () => Promise<boolean> {
  return async () => {
    if (up && !up()) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), readinessTimeoutMs);
    });
    try {
      return await Promise.race([rpc(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

export interface RunningRoles {
  smtp: ListenResult[];
  /** The bounce receiver (VERP addresses of BOUNCE_DOMAIN), started with the ingress role. */
  bounce?: { port: number; ok: boolean; error?: string };
  apiPort?: number;
  /** No more worker restarts from now on (shutdown has begun, even if these roles are stopped only later). */
  hold(): void;
  close(): Promise<void>;
}

/** Starts the given roles in this process. `npm start` runs all three in one process; compose runs one each. */
export async function startRoles(roles: readonly Role[], ctx: RoleContext): Promise<RunningRoles> {
  const { config, pool, log } = ctx;
  setSuppressionPolicy({ repeatCount: config.SUPPRESS_REPEAT_COUNT, repeatWindowMs: config.SUPPRESS_REPEAT_WINDOW });
  const connection = await Connection.connect({ address: ctx.temporalAddress });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const closers: Array<() => Promise<void>> = [() => connection.close()];
  const readiness: ReadinessCheck[] = [
    { name: 'database', check: probe(ctx.dependencyUp?.database, () => databaseAnswers(pool)) },
    {
      name: 'temporal',
      check: probe(ctx.dependencyUp?.temporal, async () => {
        await connection.workflowService.getSystemInfo({});
        return true;
      }),
    },
  ];
  const holds: Array<() => void> = [];
  /** A client on the running worker's own connection, for eager workflow starts (only when a worker runs here). */
  let eagerClient: (() => Client | undefined) | undefined;
  const out: RunningRoles = {
    smtp: [],
    hold: () => {
      for (const h of holds) h();
    },
    close: async () => {
      out.hold();
      for (const c of closers.reverse()) await c();
    },
  };

  if (roles.includes('worker')) {
    const { activities, close } = createActivities({
      pool,
      temporal,
      relaySecret: (id) => deriveRelaySecret(ctx.relayMasterSecret, id),
      log: log.child({ component: 'worker' }),
      copies: {
        masterSecret: ctx.relayMasterSecret,
        publicUrl: config.PUBLIC_URL,
        bounceDomain: config.BOUNCE_DOMAIN,
        signer: createCopySigner(pool, ctx.relayMasterSecret),
      },
      senderDomainPolicy: config.SENDER_DOMAIN_POLICY,
      senderAuth: senderAuthSettingsFromConfig(config, ctx.relayMasterSecret),
      webhooks: {
        secrets: createSecretBox(ctx.relayMasterSecret),
        timeoutMs: config.WEBHOOK_TIMEOUT,
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'on',
      },
      reputation: reputationSettingsFromConfig(config),
    });
    const worker = await runResilientWorker(
      () =>
        createWorker({
          address: ctx.temporalAddress,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          activities,
          metricsBind: config.TEMPORAL_METRICS_BIND,
        }),
      log.child({ component: 'worker' }),
    );
    holds.push(() => worker.hold());
    let eager: { connection: NativeConnection; client: Client } | undefined;
    eagerClient = () => {
      const c = worker.connection();
      if (!c) return undefined;
      if (eager?.connection !== c)
        eager = { connection: c, client: new Client({ connection: c, namespace: config.TEMPORAL_NAMESPACE }) };
      return eager.client;
    };
    await ensurePollSchedule(temporal, config.TEMPORAL_TASK_QUEUE, config.RELAY_POLL_INTERVAL);
    // Reputation monitoring: the account its alerts are sent from, and the scan Schedule.
    await ensureSystemAccount(pool, config.ALERT_EMAIL_FROM);
    await ensureReputationSchedule(temporal, config.TEMPORAL_TASK_QUEUE, config.REPUTATION_SCAN_INTERVAL);
    await ensureSenderDomainSchedule(temporal, config.TEMPORAL_TASK_QUEUE, config.SENDER_DOMAIN_CHECK_INTERVAL);
    await ensureRetentionSchedule(temporal, config.TEMPORAL_TASK_QUEUE, config.RETENTION_INTERVAL, {
      rawRetentionMs: config.RAW_RETENTION,
      eventRetentionMs: config.EVENT_RETENTION,
    });
    closers.push(async () => {
      await worker.close();
      close();
    });
    readiness.push({ name: 'worker', check: async () => worker.isRunning() });
    // Webhooks: the outbox dispatcher feeds one delivery workflow per (webhook, message); one leader per database.
    const dispatcher = await startWebhookDispatcher({
      pool,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      log: log.child({ component: 'webhooks' }),
      scanIntervalMs: config.WEBHOOK_SCAN_INTERVAL,
      workflow: {
        retryMs: [config.WEBHOOK_RETRY[0] ?? 10_000, config.WEBHOOK_RETRY[1] ?? 3_600_000],
        retryForMs: config.WEBHOOK_RETRY_FOR,
        idleMs: config.WEBHOOK_IDLE,
      },
    });
    closers.push(() => dispatcher.close());
    log.info('worker.ready', { taskQueue: config.TEMPORAL_TASK_QUEUE });
  }

  if (roles.includes('ingress')) {
    const tls = await loadTlsMaterial({
      certPath: config.TLS_CERT,
      keyPath: config.TLS_KEY,
      dataDir: config.DATA_DIR,
      hostname: config.SMTP_HOSTNAME,
    });
    // Starts workflows from the start outbox; pushed before the listeners so it closes after them.
    const starter = startWorkflowStarter({
      pool,
      temporal,
      eagerClient,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowInput: deliveryWorkflowInput(config),
      log: log.child({ component: 'starter' }),
      scanIntervalMs: config.START_DRAIN_INTERVAL,
    });
    closers.push(() => starter.close());
    const ingress = await startIngress({
      pool,
      temporal,
      starter,
      startBacklogLimit: config.START_BACKLOG_LIMIT,
      log,
      tls,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      hostname: config.SMTP_HOSTNAME,
      host: config.SMTP_HOST,
      submissionPorts: config.SMTP_PORTS,
      plainPort: config.SMTP_PLAIN_PORT,
      maxMessageBytes: config.MAX_MESSAGE_BYTES,
      maxRecipients: config.MAX_RECIPIENTS,
      smtpPasswordKey: smtpPasswordKey(ctx.relayMasterSecret),
      limits: sessionLimitsFromConfig(config),
      authLockout: authLockoutFromConfig(config),
      senderDomainPolicy: config.SENDER_DOMAIN_POLICY,
      workflowInput: deliveryWorkflowInput(config),
    });
    out.smtp = ingress.results;
    closers.push(() => ingress.close());
    const bounce = await startBounceReceiver({
      pool,
      log,
      tls,
      verpSecret: deriveVerpSecret(ctx.relayMasterSecret),
      bounceDomain: config.BOUNCE_DOMAIN,
      hostname: config.SMTP_HOSTNAME,
      host: config.BOUNCE_SMTP_HOST,
      port: config.BOUNCE_SMTP_PORT,
      maxMessageBytes: config.MAX_MESSAGE_BYTES + 1024 * 1024, // a returned original plus the report around it
      limits: sessionLimitsFromConfig(config),
    });
    out.bounce = { port: bounce.port, ok: bounce.ok, ...(bounce.error ? { error: bounce.error } : {}) };
    closers.push(() => bounce.close());
    readiness.push({ name: 'smtp', check: async () => ingress.results.some((r) => r.ok) });
  }

  if (roles.includes('api')) {
    const app = createApiApp(
      pool,
      readiness,
      { temporal, masterSecret: ctx.relayMasterSecret },
      { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE === 'on' },
      { tokenTtlMs: config.TRACKING_TOKEN_TTL, hitsPerMinute: config.TRACKING_HITS_PER_MINUTE },
      { metricsToken: config.METRICS_TOKEN, console: consoleOptionsFromConfig(config) },
      senderAuthSettingsFromConfig(config, ctx.relayMasterSecret),
    );
    const server: Server = await new Promise((resolve, reject) => {
      const s = app.listen(config.API_PORT, config.API_HOST, () => resolve(s));
      s.once('error', reject);
    });
    answerUnparsableRequests(server);
    const addr = server.address();
    out.apiPort = typeof addr === 'object' && addr ? addr.port : config.API_PORT;
    closers.push(
      () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    );
  }
  return out;
}

/**
 * Runs a Temporal worker and, should it fail (e.g. its polls give up while the Temporal server is down for long), makes
 * a new one with a growing pause (src/domain/restart-policy.ts) until the server answers again. The SDK's own
 * connection retries cover short outages; this covers the rest, so the worker never stays down without a human.
 */
async function runResilientWorker(
  create: () => Promise<{ worker: Worker; connection: NativeConnection }>,
  log: Logger,
): Promise<{ isRunning(): boolean; connection(): NativeConnection | undefined; hold(): void; close(): Promise<void> }> {
  let current = await create();
  let running = current.worker.run();
  let stopping = false;
  let state: RestartState = { failures: 0 };
  let upSince = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  const schedule = (upForMs: number | undefined, error: unknown): void => {
    const r = decideRestart(state, { stopping, upForMs });
    state = r.state;
    if (r.decision.action !== 'restart') return;
    log.warn(upForMs === undefined ? 'worker.restart_failed' : 'worker.failed', {
      error: error instanceof Error ? error.message : String(error),
      attempt: r.decision.attempt,
      restartInMs: r.decision.delayMs,
    });
    timer = setTimeout(() => {
      timer = undefined;
      restarting = restart().finally(() => (restarting = undefined));
    }, r.decision.delayMs);
  };
  const restart = async (): Promise<void> => {
    if (stopping) return;
    try {
      const next = await create();
      if (stopping) {
        await next.connection.close();
        return;
      }
      current = next;
      running = next.worker.run();
      upSince = Date.now();
      watch(running);
      log.info('worker.restarted', { attempt: state.failures });
    } catch (err) {
      schedule(undefined, err);
    }
  };
  const watch = (run: Promise<void>): void => {
    const ended = (err: unknown): void => {
      if (stopping || run !== running) return;
      const failed = current;
      void failed.connection.close().catch(() => undefined);
      schedule(Date.now() - upSince, err ?? new Error('worker stopped'));
    };
    run.then(
      () => ended(undefined),
      (err: unknown) => ended(err),
    );
  };
  watch(running);

  const hold = (): void => {
    stopping = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    isRunning: () => current.worker.getState() === 'RUNNING',
    // The running worker's connection: a client on it may ask for eager starts (the worker takes the first task).
    connection: () => (!stopping && current.worker.getState() === 'RUNNING' ? current.connection : undefined),
    hold,
    close: async () => {
      hold();
      await restarting;
      if (current.worker.getState() === 'RUNNING') current.worker.shutdown();
      await running.catch(() => undefined);
      await current.connection.close().catch(() => undefined);
    },
  };
}
