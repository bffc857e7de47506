import { calendarChangedSignal } from '../workflows/shared/deadline';
import type { AppDeps } from './deps';

/**
 * Running workflows that wait on a calendar deadline carry the DeadlineAt search attribute;
 * each is told to reload the calendar (a new decree, a force-majeure event) and recompute
 * (workflows/shared/deadline.ts). Returns how many were told.
 */
const AWAITING_DEADLINE = "ExecutionStatus = 'Running' AND DeadlineAt > '1970-01-01T00:00:00Z'";

export async function signalDeadlineWaiters(temporal: AppDeps['temporal']): Promise<number> {
  let signalled = 0;
  for await (const workflow of temporal.client.workflow.list({ query: AWAITING_DEADLINE })) {
    await temporal.client.workflow.getHandle(workflow.workflowId, workflow.runId).signal(calendarChangedSignal);
    signalled++;
  }
  return signalled;
}
