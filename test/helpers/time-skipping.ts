import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ensureSearchAttributes } from '../../lib/temporal';

const SERVER = path.resolve(__dirname, '../../ops/temporal-test-server/server.sh');

/**
 * Temporal's Java time-skipping test server (resolved by ops/install-test-server.sh),
 * started by the SDK as an existing executable; a year of timers passes in seconds.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: SERVER } },
  });
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}
