import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readCalendar, readCalendarYear } from '../../../db/calendar-store';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS, Pause, YearStatus } from '../../../lib/calendar';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { errorResponses } from '../../schemas/common';
import { yearMissing } from '../../views/calendar';
import {
  DeadlineAnswer,
  DeadlineQuery,
  DeadlineUnit,
  NonWorkingDays,
  NonWorkingDaysQuery,
} from '../../schemas/calendar';

const HOUR_MS = 3_600_000;

/** The business calendar, public: anyone may check a deadline or a year's days off. */
export const calendarRoutes =
  ({ db, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const settings = { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone };

    app.get(
      '/calendar/deadline',
      {
        schema: {
          tags: ['calendar'],
          summary: 'The deadline N working days, working hours or calendar days after an event',
          description:
            'Days: counting starts the day after the event; a last day that is not a working day moves to the next ' +
            'working day; the period ends at 24:00 of the last day (Civil Code arts. 173, 175, 176). Working time: only ' +
            '09:00-18:00 on working days in the operator zone counts (Прил. 3). Pauses do not count. A period through a ' +
            'year without official data is computed with the year derived from the Law on holidays and says so: ' +
            '`provisional: true` and the `provisionalYears`. 422 only for a year before the law as now in force.',
          querystring: DeadlineQuery,
          response: { 200: DeadlineAnswer, ...errorResponses(400, 422) },
        },
      },
      async (request) => {
        const { from, add, unit, endsAt } = request.query;
        const pauses = (request.query.pause ?? []).map(parsePause);
        const calendar = new BusinessCalendar(await readCalendar(db), settings);
        try {
          const deadline = compute(calendar, unit, from, add, { pauses, endsAt });
          const dayUnit = unit === 'working_days' || unit === 'calendar_days';
          const lastDay = dayUnit
            ? calendar.localDate(new Date(deadline.getTime() - (endsAt === 'close_of_business' ? 0 : 1)))
            : undefined;
          const provisionalYears = calendar.provisionalYearsIn(from, deadline);
          return {
            from: new Date(from).toISOString(),
            add,
            unit,
            deadline: calendar.format(deadline),
            lastDay,
            zone: settings.zone,
            provisional: provisionalYears.length > 0,
            provisionalYears,
          };
        } catch (error) {
          if (error instanceof CalendarYearMissingError) throw yearMissing(error.year);
          throw error;
        }
      },
    );

    app.get(
      '/calendar/non-working-days',
      {
        schema: {
          tags: ['calendar'],
          summary: "A year's non-working days (weekends, holidays, moved holidays, transfers), each with its reason",
          description:
            'A year without data in the database is derived from the Law on holidays (`derived: true`, status provisional, ' +
            'no transfers of rest days); 404 only for a year before the law as now in force.',
          querystring: NonWorkingDaysQuery,
          response: { 200: NonWorkingDays, ...errorResponses(400, 404) },
        },
      },
      async (request) => {
        const { year } = request.query;
        const data = await readCalendarYear(db, year);
        const calendar = new BusinessCalendar({ years: data ? { [year]: data } : {} }, settings);
        let status: YearStatus;
        try {
          status = calendar.yearStatus(year);
        } catch (error) {
          if (error instanceof CalendarYearMissingError) throw yearMissing(year, 404);
          throw error;
        }
        return {
          year,
          status: status.status,
          derived: status.derived,
          provisional: status.status === 'provisional',
          provisionalYears: status.status === 'provisional' ? [year] : [],
          sources: status.sources,
          nonWorkingDays: calendar.nonWorkingDays(year),
          workingWeekendDays: calendar.workingWeekendDays(year),
          updatedAt: data?.updatedAt ?? null,
        };
      },
    );
  };

function compute(
  calendar: BusinessCalendar,
  unit: DeadlineUnit,
  from: string,
  add: number,
  options: { pauses: Pause[]; endsAt?: 'midnight' | 'close_of_business' },
): Date {
  switch (unit) {
    case 'working_days':
      return calendar.addWorkingDays(from, add, options);
    case 'calendar_days':
      return calendar.addCalendarDays(from, add, options);
    case 'working_hours':
      return calendar.addWorkingTime(from, add * HOUR_MS, options);
    case 'working_minutes':
      return calendar.addWorkingTime(from, add * 60_000, options);
  }
}

function parsePause(value: string, index: number): Pause {
  const [start, end] = value.split('/');
  const valid = (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s));
  if (!valid(start) || !valid(end) || Date.parse(end) < Date.parse(start)) {
    throw new ApiError(400, 'VALIDATION_FAILED', `pause ${value} is not an interval start/end of ISO instants`, [
      {
        location: 'querystring',
        path: `/pause/${index}`,
        message: 'expected start/end, ISO 8601 instants, end not before start',
      },
    ]);
  }
  return { start, end };
}
