import type { Client, WorkflowHandle } from '@temporalio/client';

/**
 * How many Updates a workflow has accepted (its history's UpdateAccepted events): the positive
 * sign that an Update's handler is running, for tests that hold it open at a gate.
 */
export async function updatesAccepted(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

/** The runs of a workflow id (each continue-as-new adds one), as the visibility store lists them. */
export async function runsOf(client: Pick<Client['workflow'], 'list'>, workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const run of client.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(run.runId);
  return runs;
}
