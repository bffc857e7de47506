import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { readCalendar } from '../../../db/calendar-store';
import { BusinessCalendar, CalendarYearMissingError, DEFAULT_SETTINGS } from '../../../lib/calendar';
import { FORCE_MAJEURE_PROCESSES, NOTICE_WORKING_DAYS, reliedOn } from '../../../lib/force-majeure';
import { STAFF_ROLES } from '../../../lib/roles';
import { requireStaff } from '../../auth';
import { signalDeadlineWaiters } from '../../deadline-waiters';
import type { AppDeps } from '../../deps';
import { ApiError, conflict, notFound } from '../../errors';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { BusinessStatus } from '../../../lib/search-attributes';
import { forceMajeureAnnouncement, forceMajeureAnnouncementWorkflowId } from '../../../workflows/force-majeure-announcement';

/** The party hit by force majeure notifies the other within 5 working days (8.3). */
/** After 30 days of force majeure the parties may agree to end the contract (8.6). */
const TERMINATION_DAYS = 30;

const Event = Type.Object({
  id: Uuid,
  startedAt: IsoInstant,
  endedAt: Type.Union([IsoInstant, Type.Null()]),
  processes: Type.Array(StringEnum(FORCE_MAJEURE_PROCESSES)),
  description: Type.String(),
  evidence: Type.Union([Type.String(), Type.Null()]),
  noticeDueAt: Type.Union([IsoInstant, Type.Null()], { description: 'The end of the 5th working day after the start (8.3)' }),
  notifiedAt: Type.Union([IsoInstant, Type.Null()]),
  wellKnown: Type.Boolean({ description: 'A well-known fact: needs neither notice nor proof (8.5)' }),
  reliedOn: Type.Boolean({ description: 'Its deadlines are suspended: well known, or noticed within 5 working days (or still may be); noticed late, the operator cannot rely on it (8.3)' }),
  terminationMayBeAgreed: Type.Boolean({ description: 'It has lasted 30 days: the parties may agree to end the contract (8.6)' }),
  workflowsSignalled: Type.Optional(Type.Integer()),
});

/** Force majeure (8.3-8.6): recorded by staff; the deadlines of the processes it affects stand still while it lasts. */
export const staffForceMajeureRoutes =
  ({ db, temporal, clock, config }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ staffToken: [] }];
    const view = async (row: Record<string, any>) => {
      const calendar = new BusinessCalendar(await readCalendar(db), { ...DEFAULT_SETTINGS, zone: config.operatorTimeZone });
      let noticeDueAt: string | null = null;
      try {
        noticeDueAt = calendar.addWorkingDays(row.started_at, NOTICE_WORKING_DAYS).toISOString();
      } catch (error) {
        if (!(error instanceof CalendarYearMissingError)) throw error;
      }
      const until = row.ended_at ? new Date(row.ended_at) : clock.now();
      return {
        id: row.id,
        startedAt: new Date(row.started_at).toISOString(),
        endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
        processes: row.processes,
        description: row.description,
        evidence: row.evidence ?? null,
        noticeDueAt,
        notifiedAt: row.notified_at ? new Date(row.notified_at).toISOString() : null,
        wellKnown: row.well_known,
        reliedOn: noticeDueAt === null ? row.well_known : reliedOn(calendar, { startedAt: row.started_at, notifiedAt: row.notified_at, wellKnown: row.well_known }, clock.now()),
        terminationMayBeAgreed: calendar.addCalendarDays(row.started_at, TERMINATION_DAYS).getTime() <= until.getTime(),
      };
    };

    app.get(
      '/force-majeure',
      { config: { auth: { staff: STAFF_ROLES } }, schema: { tags: ['force majeure'], summary: 'Force-majeure events, newest first', security, response: { 200: Type.Object({ events: Type.Array(Event) }), ...authErrors } } },
      async () => ({ events: await Promise.all((await db('force_majeure_events').orderBy('started_at', 'desc')).map(view)) }),
    );

    app.post(
      '/force-majeure',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['force majeure'],
          summary: 'Record a force-majeure event (8.3): the deadlines of the affected processes stand still from its start',
          description: 'Every running workflow waiting on a deadline recomputes it at once. Without an end, the event lasts until recorded over.',
          security,
          body: Type.Object(
            {
              startedAt: IsoInstant,
              endedAt: Type.Optional(IsoInstant),
              processes: Type.Array(StringEnum(FORCE_MAJEURE_PROCESSES), { minItems: 1, uniqueItems: true }),
              description: Type.String({ minLength: 5, maxLength: 5000 }),
              evidence: Type.Optional(Type.String({ maxLength: 5000, description: 'E.g. the certificate of the Chamber of Commerce' })),
              notifiedAt: Type.Optional(IsoInstant),
              wellKnown: Type.Optional(Type.Boolean({ description: 'A well-known fact (8.5): relied on without notice or proof' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Event, ...authErrors, ...errorResponses(400) },
        },
      },
      async (request, reply) => {
        const { startedAt, endedAt, processes, description, evidence, notifiedAt, wellKnown } = request.body;
        if (endedAt && endedAt <= startedAt) throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after startedAt');
        const [row] = await db('force_majeure_events')
          .insert({ started_at: startedAt, ended_at: endedAt ?? null, processes, description, evidence: evidence ?? null, notified_at: notifiedAt ?? null, well_known: wellKnown ?? false, recorded_by: requireStaff(request).staffUserId })
          .returning('*');
        const workflowsSignalled = await signalDeadlineWaiters(temporal, config.temporalTaskQueue);
        return reply.status(201).send({ ...(await view(row)), workflowsSignalled });
      },
    );

    app.post(
      '/force-majeure/:eventId/end',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['force majeure'],
          summary: 'Record the end of a force-majeure event: the suspended deadlines run again from then',
          security,
          params: IdParams('eventId'),
          body: Type.Object({ endedAt: IsoInstant }, { additionalProperties: false }),
          response: { 200: Event, ...authErrors, ...errorResponses(400, 404, 409) },
        },
      },
      async (request) => {
        const event = await db('force_majeure_events').where({ id: request.params.eventId }).first();
        if (!event) throw notFound('force-majeure event', request.params.eventId);
        if (event.ended_at) throw conflict('ALREADY_ENDED', 'The event has ended already');
        if (new Date(request.body.endedAt) <= new Date(event.started_at)) throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after the start');
        const [row] = await db('force_majeure_events').where({ id: event.id }).update({ ended_at: request.body.endedAt }).returning('*');
        const workflowsSignalled = await signalDeadlineWaiters(temporal, config.temporalTaskQueue);
        return { ...(await view(row)), workflowsSignalled };
      },
    );

    app.post(
      '/force-majeure/:eventId/notify',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['force majeure'],
          summary: 'Tell every client of the event (8.3): its nature, the obligations it prevents and the evidence, in the cabinet and by e-mail',
          description: 'Due within 5 working days of the start; records the notice as given now. Sent in batches by a workflow.',
          security,
          params: IdParams('eventId'),
          response: { 200: Event, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await db.transaction(async (trx) => {
          const event = await trx('force_majeure_events').where({ id: request.params.eventId }).forUpdate().first();
          if (!event) throw notFound('force-majeure event', request.params.eventId);
          if (event.notified_at) throw conflict('ALREADY_NOTIFIED', `The clients were notified at ${new Date(event.notified_at).toISOString()}`);
          const [updated] = await trx('force_majeure_events').where({ id: event.id }).update({ notified_at: clock.now() }).returning('*');
          await temporal.client.workflow.start(forceMajeureAnnouncement, {
            taskQueue: config.temporalTaskQueue,
            workflowId: forceMajeureAnnouncementWorkflowId(event.id),
            args: [{ eventId: event.id }],
            typedSearchAttributes: [{ key: BusinessStatus, value: 'force_majeure_notifying' }],
            staticSummary: `Force-majeure notice (8.3) to every client`,
          });
          return updated;
        });
        return view(row);
      },
    );
  };
