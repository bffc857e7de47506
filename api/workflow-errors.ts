import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from './errors';

/**
 * An Update a workflow refused, as the API's error: a refusal an activity raised with a code
 * (`ApplicationFailure` type like BAD_SIGNATURE, status in its details) keeps its code and
 * status, wherever it sits in the cause chain (an activity's failure arrives wrapped);
 * anything else (a validator's refusal) is a 409 with `fallbackCode`.
 */
export function updateRefusal(error: unknown, fallbackCode: string): ApiError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  for (let cause: unknown = error.cause; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof ApplicationFailure && cause.type && /^[A-Z_]+$/.test(cause.type)) {
      return new ApiError((cause.details?.[0] as { status?: number } | undefined)?.status ?? 409, cause.type, cause.message);
    }
  }
  return new ApiError(409, fallbackCode, error.cause?.message ?? error.message);
}
