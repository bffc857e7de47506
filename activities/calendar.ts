import { readCalendar } from '../db/calendar-store';
import { CalendarData, CalendarSettings, DEFAULT_SETTINGS } from '../lib/calendar';
import type { ForceMajeureEvent } from '../lib/force-majeure';
import type { ActivityDeps } from './deps';

export interface LoadedCalendar {
  data: CalendarData;
  settings: CalendarSettings;
  /** Force-majeure events (8.3-8.5): the deadlines of the processes they affect are suspended. */
  forceMajeure: ForceMajeureEvent[];
}

/** The business calendar as it stands in the database, for workflows to compute deadlines with. */
export function createCalendarActivities({ db, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  return {
    async loadCalendar(): Promise<LoadedCalendar> {
      const events = await db('force_majeure_events').orderBy('started_at').select('started_at', 'ended_at', 'processes');
      return {
        data: await readCalendar(db),
        settings: calendarSettings,
        forceMajeure: events.map((e) => ({ start: new Date(e.started_at).toISOString(), end: e.ended_at ? new Date(e.ended_at).toISOString() : null, processes: e.processes })),
      };
    },
  };
}
