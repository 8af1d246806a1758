import { fileURLToPath } from 'node:url';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createLogger } from '../log.js';
import { freePort } from '../infra/free-port.js';
import { setTemporalMetricsUrl } from '../infra/metrics.js';
import type { Activities } from '../activities/types.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** Bundles the workflow code once per process (webpack takes seconds; tests start several workers). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  installJsonLogging();
  bundle ??= bundleWorkflowCode({ workflowsPath });
  return bundle;
}

let runtimeInstalled = false;
/**
 * Routes the SDK's own log lines (warnings and up) into our JSON log instead of its plain-text console format, and,
 * given an address, serves the SDK's own metrics (task slots, poll latencies, workflow task failures…) in Prometheus
 * format there; the api of the same process merges them into its /metrics. The first install of a process wins.
 */
function installJsonLogging(metricsBindAddress?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = createLogger({ component: 'temporal-sdk' });
  try {
    Runtime.install({
      // The SDK would shut its workers down by itself on SIGINT/SIGTERM; each entry point stops them in its own order.
      shutdownSignals: [],
      logger: new DefaultLogger('WARN', (e) =>
        (e.level === 'ERROR' ? log.error : log.warn)('temporal.sdk', { msg: e.message, ...e.meta }),
      ),
      ...(metricsBindAddress
        ? { telemetryOptions: { metrics: { prometheus: { bindAddress: metricsBindAddress } } } }
        : {}),
    });
    if (metricsBindAddress) setTemporalMetricsUrl(`http://${metricsBindAddress}/metrics`);
  } catch {
    // Already instantiated (e.g. by a test environment): keep its logger.
  }
}

export async function createWorker(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: Activities;
  /** TEMPORAL_METRICS_BIND: host:port for the SDK's metrics, `auto` = a free loopback port, '' = none. */
  metricsBind?: string;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  installJsonLogging(opts.metricsBind === 'auto' ? `127.0.0.1:${await freePort()}` : opts.metricsBind || undefined);
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: await workflowBundle(),
    activities: opts.activities,
    // Handoffs and polls are network-bound: allow many at once on a small machine.
    maxConcurrentActivityTaskExecutions: 200,
  });
  return { worker, connection };
}
