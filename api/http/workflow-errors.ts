import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from './errors';

/**
 * An Update a workflow refused, as the API's error: a refusal an activity raised with a code
 * (`ApplicationFailure` type like BAD_SIGNATURE, status in its details, the rest of its details —
 * a signature check's problems in Russian too — as the answer's) keeps its code and status, wherever it sits in the cause chain (an activity's failure arrives wrapped);
 * anything else (a validator's refusal) is a 409 with `fallbackCode`.
 */
export function updateRefusal(error: unknown, fallbackCode: string): ApiError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  for (let cause: unknown = error.cause; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof ApplicationFailure && cause.type && /^[A-Z_]+$/.test(cause.type)) {
      const { status, ...details } = (cause.details?.[0] ?? {}) as { status?: number } & Record<string, unknown>;
      return new ApiError(status ?? 409, cause.type, cause.message, Object.keys(details).length ? details : undefined);
    }
  }
  return new ApiError(409, fallbackCode, error.cause?.message ?? error.message);
}

/**
 * Runs an Update on a workflow and answers as the API: its refusal as the code it carries, a
 * workflow that is over as `closedCode`.
 */
export async function updateOrRefuse<Ret, Args extends [any, ...any[]]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  codes: { refused: string; closed: string },
): Promise<Ret> {
  try {
    return await handle.executeUpdate(update, { args });
  } catch (error) {
    const refusal = updateRefusal(error, codes.refused);
    if (refusal) throw refusal;
    if ((error as Error).name === 'WorkflowNotFoundError')
      throw new ApiError(409, codes.closed, 'The process is over: nothing more may be decided in it');
    throw error;
  }
}
