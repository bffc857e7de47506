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

/** How long a request waits for a workflow to carry out an Update before it answers 503 PROCESS_BUSY. */
export const UPDATE_WAIT_MS = 20_000;

/**
 * Runs an Update on a workflow and answers as the API: its refusal as the code it carries, a
 * workflow that is over as `closedCode`. A request never waits longer than `waitMs`: an Update the workflow
 * has not carried out by then (its activity retrying, say) is a 503 PROCESS_BUSY — it may still be carried
 * out, so the caller reads the object again before repeating (a repeat is refused if it was).
 */
export async function updateOrRefuse<Ret, Args extends [any, ...any[]]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  codes: { refused: string; closed: string },
  waitMs = UPDATE_WAIT_MS,
): Promise<Ret> {
  let timer: NodeJS.Timeout | undefined;
  const busy = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ApiError(
            503,
            'PROCESS_BUSY',
            `The process did not carry out the request within ${Math.round(waitMs / 1000)} s; it may still do so: read it again before retrying`,
            undefined,
            { 'retry-after': '10' },
          ),
        ),
      waitMs,
    );
  });
  try {
    return await Promise.race([handle.executeUpdate(update, { args }), busy]);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const refusal = updateRefusal(error, codes.refused);
    if (refusal) throw refusal;
    if ((error as Error).name === 'WorkflowNotFoundError')
      throw new ApiError(409, codes.closed, 'The process is over: nothing more may be decided in it');
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
