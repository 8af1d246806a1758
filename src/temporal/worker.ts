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
/** Routes the SDK's own log lines (warnings and up) into our JSON log instead of its plain-text console format. */
function installJsonLogging(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const log = createLogger({ component: 'temporal-sdk' });
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN', (e) =>
        (e.level === 'ERROR' ? log.error : log.warn)('temporal.sdk', { msg: e.message, ...e.meta }),
      ),
    });
  } catch {
    // Already instantiated (e.g. by a test environment): keep its logger.
  }
}

export async function createWorker(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: Activities;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  installJsonLogging();
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
