import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';

/** Temporal's time-skipping test server (the binary installed under .tools), for unit tests of a workflow alone. */
export function startTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: path.resolve('.tools/venv/bin/temporal-test-server') } },
  });
}
