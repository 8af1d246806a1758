import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** Start attempts: the SDK gives the test server 5 s to listen, which a loaded 2-core CI machine sometimes misses. */
const START_ATTEMPTS = 3;

/** Temporal's time-skipping test server (the binary installed under .tools), for unit tests of a workflow alone. */
export async function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: path.resolve('.tools/venv/bin/temporal-test-server') } },
      });
    } catch (err) {
      if (attempt >= START_ATTEMPTS || !/did not start within/.test(String(err))) throw err;
    }
  }
}
