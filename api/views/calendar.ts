import type { Knex } from 'knex';
import { ApiError } from '../http/errors';

/** The business calendar as the API shows it. */

/** A year before the holidays of the law as now in force, without data: nothing to derive it from. */
export const yearMissing = (year: number, status = 422) =>
  new ApiError(
    status,
    'CALENDAR_YEAR_MISSING',
    `The business calendar has no data for ${year} and cannot derive it from the law as now in force`,
    { year },
  );

/** The years the calendar covers, with how many days each lists. */
export async function calendarYears(db: Knex) {
  const rows = await db('calendar_years as y')
    .leftJoin('calendar_days as d', 'd.year', 'y.year')
    .groupBy('y.year')
    .orderBy('y.year')
    .select('y.year', 'y.status', 'y.updated_at', db.raw('count(d.date)::int as days'));
  return rows.map((r) => ({
    year: r.year,
    status: r.status,
    days: r.days,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
}
