import { CalendarHorizonWarning, calendarHorizonWarnings, CalendarYear, localDateIn } from '../lib/calendar';
import type { Db } from './connection';

/** Each year the database has, with its status. */
export async function calendarYearStatuses(db: Db): Promise<Record<number, CalendarYear['status']>> {
  const rows: { year: number; status: CalendarYear['status'] }[] = await db('calendar_years').select('year', 'status');
  return Object.fromEntries(rows.map((r) => [r.year, r.status]));
}

/** The calendar's horizon warnings at an instant (lib/calendar/horizon.ts), the date taken in the operator's zone. */
export async function calendarHorizonWarningsAt(db: Db, now: Date, zone: string): Promise<CalendarHorizonWarning[]> {
  return calendarHorizonWarnings(localDateIn(zone, now), await calendarYearStatuses(db));
}
