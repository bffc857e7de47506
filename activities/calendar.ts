import { readCalendar } from '../db/calendar-store';
import { BusinessCalendar, CalendarData, CalendarSettings, DEFAULT_SETTINGS, forComputing } from '../lib/calendar';
import { reliedOn, type ForceMajeureEvent } from '../lib/force-majeure';
import type { Db } from '../db/connection';
import type { ActivityDeps } from './deps';
import { declaredForceMajeure } from './force-majeure';

export interface LoadedCalendar {
  data: CalendarData;
  settings: CalendarSettings;
  /**
   * Force-majeure events (8.3-8.5): the deadlines of the processes they affect are suspended. With
   * a client: also that client's accepted declarations, for its own obligations only (8.4).
   */
  forceMajeure: ForceMajeureEvent[];
}

/** The business calendar as it stands in the database, for workflows to compute deadlines with. */
export function createCalendarActivities({ db, clock, calendarSettings = DEFAULT_SETTINGS }: ActivityDeps) {
  return {
    /**
     * `at`: the workflow's now, against which a notice still to be sent is judged (8.3);
     * `clientId`: the client whose deadline is computed, whose own force majeure counts too (8.4).
     */
    async loadCalendar(at?: string, clientId?: string): Promise<LoadedCalendar> {
      const loaded = await loadBusinessCalendar(db, calendarSettings, at ? new Date(at) : clock.now(), clientId);
      return { ...loaded, data: forComputing(loaded.data) };
    },
  };
}

/**
 * The calendar and the force-majeure events relied on at `now` (8.3), with `clientId`'s own accepted
 * declarations (8.4): what a deadline is computed with, in a workflow (through the activity) or at intake.
 */
export async function loadBusinessCalendar(
  db: Db,
  settings: CalendarSettings,
  now: Date,
  clientId?: string,
): Promise<LoadedCalendar> {
  const data = await readCalendar(db);
  const calendar = new BusinessCalendar(data, settings);
  const events = (
    await db('force_majeure_events')
      .orderBy('started_at')
      .select('started_at', 'ended_at', 'processes', 'notified_at', 'well_known', 'status')
  ).filter((e) =>
    reliedOn(
      calendar,
      { startedAt: e.started_at, notifiedAt: e.notified_at, wellKnown: e.well_known, status: e.status },
      now,
    ),
  );
  return {
    data,
    settings,
    forceMajeure: [
      ...events.map((e) => ({
        start: new Date(e.started_at).toISOString(),
        end: e.ended_at ? new Date(e.ended_at).toISOString() : null,
        processes: e.processes,
      })),
      ...(clientId ? await declaredForceMajeure(db, clientId) : []),
    ],
  };
}
