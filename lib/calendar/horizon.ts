import type { CalendarYear } from './types';

/**
 * The calendar's horizon: staff are warned in time to enter a year's official calendar (the
 * Minister's order on transfers of rest days, Labour Code art. 85 p. 3, and the Kurban ait date
 * are published in the autumn of the year before). From 1 October (operator's zone) a next year
 * without official data, and any time the current year without it, is a warning: /health lists
 * it, the consoles show it to admins, admins are e-mailed once per year. Deadlines in such a
 * year are still computed, with the year derived from the law (provisional.ts).
 *
 * Pure: the caller gives today's local date (from an injected clock) and the years' statuses.
 */

/** The month and day from which next year's missing official calendar is warned of. */
export const WARN_FROM = '10-01';

export interface CalendarHorizonWarning {
  code: 'CALENDAR_YEAR_NOT_OFFICIAL';
  year: number;
  /** missing: no data for the year (derived from the law); provisional: data entered as provisional. */
  status: 'missing' | 'provisional';
  message: string;
}

/**
 * The warnings on a local date (YYYY-MM-DD): the current year, and from 1 October the next one,
 * when its data is missing or only provisional.
 */
export function calendarHorizonWarnings(
  today: string,
  statuses: Readonly<Record<number, CalendarYear['status']>>,
): CalendarHorizonWarning[] {
  const current = Number(today.slice(0, 4));
  const years = today.slice(5) >= WARN_FROM ? [current, current + 1] : [current];
  const warnings: CalendarHorizonWarning[] = [];
  for (const year of years) {
    const status = statuses[year];
    if (status === 'official') continue;
    warnings.push({
      code: 'CALENDAR_YEAR_NOT_OFFICIAL',
      year,
      status: status === 'provisional' ? 'provisional' : 'missing',
      message:
        `The business calendar has no official data for ${year}` +
        (status === 'provisional' ? ' (only provisional data)' : '') +
        `: deadlines in ${year} are computed with the holidays derived from the Law on holidays, without transfers of rest days. ` +
        `Enter the official year (PUT /staff/v1/calendar/years/${year}) when the production calendar is published.`,
    });
  }
  return warnings;
}
