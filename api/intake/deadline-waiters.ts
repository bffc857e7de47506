import { deploymentTaskQueues } from '../../lib/task-queues';
import { calendarChangedSignal } from '../../workflows/shared/deadline';
import type { AppDeps } from '../http/deps';

/**
 * Running workflows that wait on a calendar deadline carry the DeadlineAt search attribute;
 * each is told to reload the calendar (a new decree, a force-majeure event) and recompute
 * (workflows/shared/deadline.ts). Only this deployment's: those on its task queues (child
 * workflows and schedules run there too; lib/task-queues.ts), whose calendar and force-majeure events are in its
 * database — not another deployment's sharing the namespace. Returns how many were told.
 */
export async function signalDeadlineWaiters(temporal: AppDeps['temporal'], taskQueue: string): Promise<number> {
  const queues = deploymentTaskQueues(taskQueue).map((queue) => `TaskQueue = '${queue.replace(/'/g, "\\'")}'`);
  const query = `ExecutionStatus = 'Running' AND DeadlineAt > '1970-01-01T00:00:00Z' AND (${queues.join(' OR ')})`;
  let signalled = 0;
  for await (const workflow of temporal.client.workflow.list({ query })) {
    await temporal.client.workflow.getHandle(workflow.workflowId, workflow.runId).signal(calendarChangedSignal);
    signalled++;
  }
  return signalled;
}
