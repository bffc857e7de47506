import {
  continueAsNew,
  defineQuery,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { waitForDecisionOrDeadline } from './shared/deadline';

/** Codes are kept 5 years (4.2.7, 4.4.8). */
export const RETENTION_YEARS = 5;
/** With no code to wait for, look again after this many days. */
const IDLE_DAYS = 30;

export const CODE_RETENTION_WORKFLOW_ID = 'code-retention';

export interface RetentionState {
  purged: number;
  lastRunAt?: string;
  nextRunAt?: string;
}

export const retentionStateQuery = defineQuery<RetentionState>('retentionState');

const { oldestRetainedCode, purgeCodesEmittedBefore } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: { maximumInterval: '1 hour' },
});

/**
 * Keeps marking codes for 5 years (4.4.8) and purges them after: it sleeps until the oldest kept
 * code's 5 years are over (new codes are only ever younger), purges every code past its term,
 * and goes on; one running instance for the whole system.
 */
export async function codeRetention(state: RetentionState = { purged: 0 }): Promise<void> {
  setHandler(retentionStateQuery, () => state);
  for (let round = 0; round < 100; round++) {
    const oldest = await oldestRetainedCode();
    let termStart = (): Date => new Date(0);
    // A term of years ends at 24:00 of its anniversary day (Civil Code art. 174), not at the instant of emission.
    const wholeDays = patched('retention-end-of-anniversary-day');
    await waitForDecisionOrDeadline({
      compute: (calendar) =>
        oldest
          ? wholeDays
            ? calendar.endOfYearsFrom(oldest, RETENTION_YEARS)
            : calendar.addYears(oldest, RETENTION_YEARS)
          : calendar.addCalendarDays(new Date(), IDLE_DAYS),
      done: () => false,
      onDeadline: (due, calendar) => {
        // Past its term: emitted before the start of the local day, 5 years ago, that is today's anniversary.
        termStart = () =>
          wholeDays
            ? calendar.startOfDay(calendar.localDate(calendar.addYears(new Date(), -RETENTION_YEARS)))
            : calendar.addYears(new Date(), -RETENTION_YEARS);
        state.nextRunAt = due.toISOString();
        setCurrentDetails(
          `${state.purged} codes purged so far. Next: ${state.nextRunAt}${oldest ? `, when the code emitted ${oldest} has been kept ${RETENTION_YEARS} years (4.4.8)` : ' (no code kept yet)'}.`,
        );
      },
    });
    state.lastRunAt = new Date().toISOString();
    state.purged += await purgeCodesEmittedBefore(termStart().toISOString());
  }
  await continueAsNew<typeof codeRetention>(state);
}
