import type { WorkflowHandle } from '@temporalio/client';

/**
 * How many Updates a workflow has accepted (its history's UpdateAccepted events): the positive
 * sign that an Update's handler is running, for tests that hold it open at a gate.
 */
export async function updatesAccepted(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}
