import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CalendarHorizonReport } from '../activities/calendar-horizon';

/** The Schedule that runs the check daily (api/intake/system-workflows.ts); the API also triggers it at start. */
export const CALENDAR_HORIZON_SCHEDULE_ID = 'calendar-horizon';

const { warnAdminsOfCalendarHorizon } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { maximumInterval: '10 minutes' },
});

/**
 * The calendar's horizon, checked daily: from 1 October a next year without official calendar
 * data (and a current one) is e-mailed to the admins, once per year (lib/calendar/horizon.ts).
 */
export async function calendarHorizonCheck(): Promise<CalendarHorizonReport> {
  return warnAdminsOfCalendarHorizon();
}
