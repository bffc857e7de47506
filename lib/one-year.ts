import type { BusinessCalendar } from './calendar';

/**
 * The one-year rule (3.7): money paid in advance and not used within one calendar year of its
 * payment is returned, and the contract ends. A service is used when it is charged, at the
 * download of the codes (3.2, 6.4, 1.1.14); a payment is made on the day the money reached
 * the operator (6.2).
 */
export interface AdvanceFacts {
  /** Local dates (YYYY-MM-DD) of the payments credited to the personal account. */
  paymentDates: string[];
  /** Local date of the last charge at download, if any. */
  lastUseDate: string | null;
}

/**
 * The payment date the year runs from: the first payment after the last use. A use covers
 * every payment made up to its day; a payment after it starts a new year.
 */
export function unusedAdvanceSince(facts: AdvanceFacts): string | null {
  const unused = facts.paymentDates.filter((date) => facts.lastUseDate === null || date > facts.lastUseDate).sort();
  return unused[0] ?? null;
}

/** The end of the year the advance paid on `paymentDate` may be used in (3.7). */
export const oneYearDeadline = (calendar: BusinessCalendar, paymentDate: string): Date =>
  calendar.addCalendarYears(paymentDate, 1);

/** The last local day the advance paid on `paymentDate` may be used on (3.7). */
export const lastDayToUse = (calendar: BusinessCalendar, paymentDate: string): string =>
  calendar.localDate(new Date(oneYearDeadline(calendar, paymentDate).getTime() - 1));
