import { readCalendar } from '../../db/calendar-store';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../lib/calendar';
import type { AppDeps } from '../http/deps';
import { yearMissing } from './calendar';

/** The business calendar as staff keep it, in the operator's zone. */
export async function operatorCalendar({ db, config }: Pick<AppDeps, 'db' | 'config'>): Promise<BusinessCalendar> {
  return new BusinessCalendar(await readCalendar(db), { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone });
}

/** Computes a deadline; a year without data that cannot be derived (before 2023) is the API's CALENDAR_YEAR_MISSING. */
export function deadline<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof CalendarYearMissingError) throw yearMissing(error.year);
    throw error;
  }
}
