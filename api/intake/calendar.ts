import { replaceCalendarYear } from '../../db/calendar-store';
import type { CalendarYear } from '../../lib/calendar';
import type { AppDeps } from '../http/deps';
import { writeAndTell } from './outbox';
import { DEADLINES_CHANGED } from './outbox-messages';

/**
 * A year's non-working days as a decree publishes them, saved with who and why; when anything
 * changed, the workflows waiting on a deadline are told in the same transaction (the outbox) to
 * recompute it. Answers how many were told now.
 */
export async function saveCalendarYear(
  deps: Pick<AppDeps, 'db' | 'temporal' | 'config' | 'clock'>,
  year: number,
  data: CalendarYear,
  change: { by: string; reason: string },
) {
  const { result, delivery } = await writeAndTell(deps, async (trx, tell) => {
    const result = await replaceCalendarYear(trx, year, data, change);
    if (result.changed) await tell(DEADLINES_CHANGED);
    return result;
  });
  return { ...result, workflowsSignalled: delivery.workflowsSignalled };
}
