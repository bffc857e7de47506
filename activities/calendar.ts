import { readCalendar } from '../db/calendar-store';
import { CalendarData, CalendarSettings, DEFAULT_SETTINGS } from '../lib/calendar';
import type { ActivityDeps } from './deps';

export interface LoadedCalendar {
  data: CalendarData;
  settings: CalendarSettings;
}

/** The business calendar as it stands in the database, for workflows to compute deadlines with. */
export function createCalendarActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  return {
    async loadCalendar(): Promise<LoadedCalendar> {
      return { data: await readCalendar(db), settings: calendarSettings };
    },
  };
}
