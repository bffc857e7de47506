import type { BusinessCalendar } from './calendar';

/** Periods the contract sets, in working days, shared by the workflows that wait on them and the activities that record them. */

/** The client signs or refuses an act or a reconciliation act within 5 working days of receiving it (6.8). */
export const SIGNING_WORKING_DAYS = 5;

/** Codes are applied to the goods within 30 working days of receipt (4.1.6). */
export const APPLICATION_WORKING_DAYS = 30;

/** The application period's end (4.1.6): the end of the 30th working day after the codes were received (3.9: access to them). */
export function applicationPeriodEnd(calendar: BusinessCalendar, receivedAt: Date | string): Date {
  return calendar.addWorkingDays(receivedAt, APPLICATION_WORKING_DAYS);
}

/** The last day to apply received codes (4.1.6), a local date 'YYYY-MM-DD': the day the period ends in. */
export function applicationLastDay(calendar: BusinessCalendar, receivedAt: Date | string): string {
  return calendar.localDate(new Date(applicationPeriodEnd(calendar, receivedAt).getTime() - 1));
}
