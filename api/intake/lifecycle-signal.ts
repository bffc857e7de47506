import { Client, WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { clientWorkflowId } from '../../workflows/client-lifecycle';

/**
 * Tells the client's lifecycle workflow of a change. It keeps a running account of what the
 * database records: a client without one (not yet activated) or a failed signal loses nothing
 * but the workflow's view until its next look, so the failure is logged, not raised.
 */
export async function tellLifecycle(
  temporal: { client: Client },
  clientId: string,
  send: (handle: WorkflowHandle) => Promise<void>,
  log: (error: unknown) => void,
): Promise<void> {
  try {
    await send(temporal.client.workflow.getHandle(clientWorkflowId(clientId)));
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) log(error);
  }
}
