import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listCalendarChanges } from '../../../db/calendar-store';
import { validateCalendarYear } from '../../../lib/calendar';
import { STAFF_ROLES } from '../../../lib/roles';
import { saveCalendarYear } from '../../intake/calendar';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import {
  CalendarChange,
  CalendarWarnings,
  CalendarYearSummary,
  PutCalendarYearAnswer,
  PutCalendarYearBody,
  YearParams,
} from '../../schemas/calendar';
import { authErrors, errorResponses } from '../../schemas/common';
import { calendarYears } from '../../views/calendar';
import { calendarWarnings } from '../../views/health';

export const staffCalendarRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/calendar/warnings',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['calendar'],
          summary: "Years whose official calendar staff must enter soon (the consoles' banner for admins)",
          description:
            'From 1 October (operator zone) the next year, and any time the current year, without official data: ' +
            'deadlines in it are computed with the holidays derived from the Law on holidays. The same list as in /health.',
          security: [{ staffToken: [] }],
          response: { 200: CalendarWarnings, ...authErrors },
        },
      },
      async () => ({ warnings: await calendarWarnings(deps) }),
    );

    app.get(
      '/calendar/years',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['calendar'],
          summary: 'Years the business calendar covers',
          security: [{ staffToken: [] }],
          response: { 200: Type.Object({ years: Type.Array(CalendarYearSummary) }), ...authErrors },
        },
      },
      async () => ({ years: await calendarYears(db) }),
    );

    app.put(
      '/calendar/years/:year',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['calendar'],
          summary: "Add or replace a year's non-working days when a decree is published (admin; audited)",
          description:
            'Running workflows with a deadline ahead are signalled to recompute it with the new data, also when the year was only ' +
            'derived from the Law on holidays before (no data); deadlines already passed stay as they were.',
          security: [{ staffToken: [] }],
          params: YearParams,
          body: PutCalendarYearBody,
          response: { 200: PutCalendarYearAnswer, ...authErrors, ...errorResponses(422, 503) },
        },
      },
      async (request) => {
        const { year } = request.params;
        const { reason, ...data } = request.body;
        const problems = validateCalendarYear(year, data);
        if (problems.length)
          throw new ApiError(422, 'CALENDAR_INVALID', `The calendar data for ${year} is inconsistent`, { problems });
        const result = await saveCalendarYear(deps, year, data, { by: requireStaff(request).staffUserId, reason });
        request.log.info({ year, ...result }, 'calendar year saved');
        return { year, ...result };
      },
    );

    app.get(
      '/calendar/changes',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['calendar'],
          summary: 'The audit of calendar changes, newest first',
          security: [{ staffToken: [] }],
          querystring: Type.Object({
            year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2999 })),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          }),
          response: { 200: Type.Object({ changes: Type.Array(CalendarChange) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await listCalendarChanges(db, request.query);
        return {
          changes: rows.map((r) => ({
            id: r.id,
            year: r.year,
            reason: r.reason,
            changedBy: r.changed_by ? { id: r.changed_by, name: r.changed_by_name } : null,
            changedAt: new Date(r.changed_at).toISOString(),
            before: r.before,
            after: r.after,
          })),
        };
      },
    );
  };
