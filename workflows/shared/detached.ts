import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  type ChildWorkflowOptions,
  ParentClosePolicy,
  startChild,
  type WithWorkflowArgs,
  type Workflow,
} from '@temporalio/workflow';

/** What `startChild` takes for a workflow function: its id, its arguments and the rest of the child's options. */
type ChildOptions<T extends Workflow> = WithWorkflowArgs<
  T,
  Omit<ChildWorkflowOptions, 'typeInfo' | 'parentClosePolicy'> & { workflowId: string }
>;

/**
 * Starts a child workflow that lives on its own (ParentClosePolicy.ABANDON: it outlives this one). One already
 * running under the same id is this same process started before — on a retry, or by another path to it — so
 * nothing more is done.
 */
export async function startDetached<T extends Workflow>(workflow: T, options: ChildOptions<T>): Promise<void> {
  try {
    // The options' type is startChild's own; TypeScript cannot see it through the generic conditional type.
    const abandoned = { ...options, parentClosePolicy: ParentClosePolicy.ABANDON } as unknown as WithWorkflowArgs<
      T,
      Omit<ChildWorkflowOptions, 'typeInfo'> & { typeInfo?: never }
    >;
    await startChild(workflow, abandoned);
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
