import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { DECLARATION_STATUSES, FORCE_MAJEURE_PROCESSES, isSecondPerson, lateNoticeOutcome, missingProof, reliedOn } from '../../../lib/force-majeure';
import { STAFF_ROLES } from '../../../lib/roles';
import { attachment } from '../../http/attachment';
import { requireStaff } from '../../http/auth';
import { signalDeadlineWaiters } from '../../intake/deadline-waiters';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { deadline, operatorCalendar } from '../../views/operator-calendar';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { DeclarationCase, ForceMajeureEvent as Event, noticeDue, toDeclarationCase, toEventTrail } from '../../schemas/force-majeure';
import { BusinessStatus } from '../../../lib/search-attributes';
import { forceMajeureAnnouncement, forceMajeureAnnouncementWorkflowId } from '../../../workflows/force-majeure-announcement';
import { declarationViews } from '../client/force-majeure';

/** After 30 days of force majeure the parties may agree to end the contract (8.6). */
const TERMINATION_DAYS = 30;

const security = [{ staffToken: [] }];
const admins = { staff: ['admin'] as const };
const DeclarationParams = IdParams('declarationId');
const Reason = Type.String({ minLength: 10, maxLength: 5000 });

/**
 * The four-eyes rule: a proposal waiting for confirmation (`pending_confirmation`), locked, that
 * the staff user `by` may decide — anyone but its proposer (the column `proposer` names).
 */
async function pendingForSecondPerson(trx: Knex.Transaction, table: string, what: string, id: string, proposer: string, by: string) {
  const row = await trx(table).where({ id }).forUpdate().first();
  if (!row) throw notFound(what, id);
  if (row.status !== 'pending_confirmation') throw conflict('NOT_PENDING_CONFIRMATION', `The ${what} is ${row.status}: only one pending confirmation is confirmed or rejected here`);
  if (!isSecondPerson(row[proposer], by)) throw new ApiError(403, 'SAME_PERSON', `The ${what} was proposed by you: a different admin confirms or rejects it`);
  return row;
}

/**
 * Force majeure (8.3-8.6): the events staff record, the deadlines of the processes they affect
 * standing still while they last; a late-noticed one relied on anyway only with a reason and a
 * second admin's confirmation. And the clients' declarations (8.3-8.5), which staff review.
 */
export const staffForceMajeureRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal, clock, config } = deps;
    const view = async (row: Record<string, any>) => {
      const calendar = await operatorCalendar(deps);
      const noticeDueAt = noticeDue(calendar, row.started_at);
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
        reliedOn:
          noticeDueAt === null && row.status === 'recorded'
            ? row.well_known
            : reliedOn(calendar, { startedAt: row.started_at, notifiedAt: row.notified_at, wellKnown: row.well_known, status: row.status }, clock.now()),
        ...toEventTrail(row),
        terminationMayBeAgreed: calendar.addCalendarDays(row.started_at, TERMINATION_DAYS).getTime() <= until.getTime(),
      };
    };
    const signalled = () => signalDeadlineWaiters(temporal, config.temporalTaskQueue);
    /** The second admin's decision on a proposal (`pending_confirmation`), with who and when. */
    const decide = (table: 'force_majeure_events' | 'force_majeure_declarations', id: string, by: string, patch: Record<string, string>) =>
      db.transaction(async (trx) => {
        const [what, proposer] = table === 'force_majeure_events' ? ['force-majeure event', 'recorded_by'] : ['force-majeure declaration', 'reviewed_by'];
        await pendingForSecondPerson(trx, table, what, id, proposer, by);
        const [updated] = await trx(table).where({ id }).update({ ...patch, decided_by: by, decided_at: clock.now() }).returning('*');
        return updated;
      });

    app.get(
      '/force-majeure',
      { config: { auth: { staff: STAFF_ROLES } }, schema: { tags: ['force majeure'], summary: 'Force-majeure events, newest first', security, response: { 200: Type.Object({ events: Type.Array(Event) }), ...authErrors } } },
      async () => ({ events: await Promise.all((await db('force_majeure_events').orderBy('started_at', 'desc')).map(view)) }),
    );

    app.post(
      '/force-majeure',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Record a force-majeure event (8.3): the deadlines of the affected processes stand still from its start',
          description:
            'Every running workflow waiting on a deadline recomputes it at once. Without an end, the event lasts until recorded over. ' +
            'One whose start is more than 5 working days before its notice (notifiedAt, or now) cannot be relied on (8.3) and is recorded so; ' +
            'with lateNoticeReason it is proposed to be relied on anyway and stays pending_confirmation — suspending nothing — until a different admin confirms or rejects it.',
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
              lateNoticeReason: Type.Optional(
                Type.String({ minLength: 10, maxLength: 5000, description: 'Why an event noticed later than 5 working days after its start is to be relied on anyway (e.g. it kept the notice from going out, 8.3): a second admin must confirm' }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: Event, ...authErrors, ...errorResponses(422) },
        },
      },
      async (request, reply) => {
        const { startedAt, endedAt, processes, description, evidence, notifiedAt, wellKnown, lateNoticeReason } = request.body;
        if (endedAt && Date.parse(endedAt) <= Date.parse(startedAt)) throw new ApiError(400, 'BAD_PERIOD', 'endedAt must be after startedAt');
        const calendar = await operatorCalendar(deps);
        const outcome = deadline(() => lateNoticeOutcome(calendar, { startedAt, notifiedAt: notifiedAt ?? null, wellKnown: wellKnown ?? false }, clock.now(), lateNoticeReason));
        if (outcome === 'reason_not_needed') {
          throw new ApiError(400, 'REASON_NOT_NEEDED', wellKnown ? 'A well-known fact is relied on without notice (8.5): no lateNoticeReason is needed' : 'The notice is within 5 working days of the start (8.3): no lateNoticeReason is needed');
        }
        const [row] = await db('force_majeure_events')
          .insert({
            started_at: startedAt,
            ended_at: endedAt ?? null,
            processes,
            description,
            evidence: evidence ?? null,
            notified_at: notifiedAt ?? null,
            well_known: wellKnown ?? false,
            recorded_by: requireStaff(request).staffUserId,
            recorded_at: clock.now(),
            ...(outcome === 'needs_confirmation' ? { status: 'pending_confirmation', late_notice_reason: lateNoticeReason } : {}),
          })
          .returning('*');
        // One waiting for a second admin suspends nothing yet: no deadline to recompute.
        const workflowsSignalled = outcome === 'needs_confirmation' ? 0 : await signalled();
        return reply.status(201).send({ ...(await view(row)), workflowsSignalled });
      },
    );

    app.post(
      '/force-majeure/:eventId/end',
      {
        config: { auth: admins },
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
        return { ...(await view(row)), workflowsSignalled: await signalled() };
      },
    );

    app.post(
      '/force-majeure/:eventId/notify',
      {
        config: { auth: admins },
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

    app.post(
      '/force-majeure/:eventId/confirm',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Confirm relying on a late-noticed event (8.3) another admin proposed: its deadlines stand still from its start',
          description: 'The four-eyes rule: the admin who recorded it with the reason may not confirm it (403 SAME_PERSON). Recorded with who and when.',
          security,
          params: IdParams('eventId'),
          response: { 200: Event, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await decide('force_majeure_events', request.params.eventId, requireStaff(request).staffUserId, { status: 'confirmed' });
        return { ...(await view(row)), workflowsSignalled: await signalled() };
      },
    );

    app.post(
      '/force-majeure/:eventId/reject',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Reject relying on a late-noticed event (8.3) another admin proposed: it stays on record, relied on by nothing',
          security,
          params: IdParams('eventId'),
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: Event, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => view(await decide('force_majeure_events', request.params.eventId, requireStaff(request).staffUserId, { status: 'rejected', rejection_reason: request.body.reason })),
    );

    // ——— The clients' declarations (8.3-8.5) ———

    const declarationRows = () => db('force_majeure_declarations as d').join('clients as c', 'c.id', 'd.client_id').select('d.*', 'c.name as client_name');
    const declarationCase = async (id: string) => {
      const row = await declarationRows().where('d.id', id).first();
      if (!row) throw notFound('force-majeure declaration', id);
      return (await declarationViews(db, await operatorCalendar(deps), [row], toDeclarationCase))[0];
    };
    /** A declaration under review, locked: accepting or rejecting it the first time. */
    const underReview = async (trx: Knex.Transaction, id: string) => {
      const row = await trx('force_majeure_declarations').where({ id }).forUpdate().first();
      if (!row) throw notFound('force-majeure declaration', id);
      if (row.status !== 'under_review') throw conflict('NOT_UNDER_REVIEW', `The declaration is ${row.status} already`);
      return row;
    };

    app.get(
      '/force-majeure/declarations',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['force majeure'],
          summary: 'The clients’ force-majeure declarations: those waiting for a second admin, then those under review, then the rest, newest first',
          security,
          querystring: Type.Object({ status: Type.Optional(StringEnum(DECLARATION_STATUSES)), clientId: Type.Optional(Uuid) }, { additionalProperties: false }),
          response: { 200: Type.Object({ declarations: Type.Array(DeclarationCase) }), ...authErrors },
        },
      },
      async (request) => {
        const { status, clientId } = request.query;
        const rows = await declarationRows()
          .modify((q) => void (status && q.where('d.status', status)))
          .modify((q) => void (clientId && q.where('d.client_id', clientId)))
          .orderByRaw(`d.status = 'pending_confirmation' DESC, d.status = 'under_review' DESC, d.received_at DESC`)
          .limit(500);
        return { declarations: await declarationViews(db, await operatorCalendar(deps), rows, toDeclarationCase) };
      },
    );

    app.get(
      '/force-majeure/declarations/:declarationId',
      { config: { auth: { staff: STAFF_ROLES } }, schema: { tags: ['force majeure'], summary: 'A client’s force-majeure declaration with its evidence and review', security, params: DeclarationParams, response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404) } } },
      async (request) => declarationCase(request.params.declarationId),
    );

    app.get(
      '/force-majeure/declarations/:declarationId/evidence/:evidenceId',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['force majeure'],
          summary: 'A file of a declaration’s evidence (8.5), as the client sent it',
          security,
          params: Type.Object({ declarationId: Uuid, evidenceId: Type.Integer({ minimum: 1 }) }),
          response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The file, with its content type' }), ...authErrors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const file = await db('force_majeure_evidence').where({ declaration_id: request.params.declarationId, id: request.params.evidenceId }).first();
        if (!file) throw notFound('evidence', String(request.params.evidenceId));
        return reply.header('content-disposition', attachment(file.filename)).type(file.content_type).send(file.content);
      },
    );

    app.post(
      '/force-majeure/declarations/:declarationId/accept',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Accept a client’s declaration: the client’s deadlines of the obligations it names stand still while it lasts (8.4)',
          description:
            'Only with the proof: a certificate (8.5), unless a well-known fact (409 EVIDENCE_REQUIRED). One received later than 5 working days after its start cannot be relied on (8.3): ' +
            'without lateNoticeReason it is refused (409 NOTICE_LATE: reject it, or give the reason); with it, it waits for a different admin’s confirmation (pending_confirmation).',
          security,
          params: DeclarationParams,
          body: Type.Object(
            { lateNoticeReason: Type.Optional(Type.String({ minLength: 10, maxLength: 5000, description: 'Why a late one is to be relied on anyway (e.g. the event kept the notice from going out, 8.3)' })) },
            { additionalProperties: false },
          ),
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request) => {
        const by = requireStaff(request).staffUserId;
        const { lateNoticeReason } = request.body;
        const calendar = await operatorCalendar(deps);
        const accepted = await db.transaction(async (trx) => {
          const d = await underReview(trx, request.params.declarationId);
          const kinds = (await trx('force_majeure_evidence').where({ declaration_id: d.id }).select('kind')).map((e: { kind: string }) => e.kind);
          const unproven = missingProof({ wellKnown: d.well_known, evidenceKinds: kinds });
          if (unproven) throw conflict('EVIDENCE_REQUIRED', unproven);
          const outcome = deadline(() => lateNoticeOutcome(calendar, { startedAt: d.started_at, notifiedAt: d.received_at, wellKnown: d.well_known }, clock.now(), lateNoticeReason));
          if (outcome === 'reason_not_needed') throw new ApiError(400, 'REASON_NOT_NEEDED', d.well_known ? 'A well-known fact needs no notice (8.5): no lateNoticeReason is needed' : 'The notice came within 5 working days of the start (8.3): no lateNoticeReason is needed');
          if (outcome === 'late') {
            throw conflict('NOTICE_LATE', `The notice came after ${noticeDue(calendar, d.started_at)}, later than 5 working days after the start: the client cannot rely on it (8.3). Reject it, or give lateNoticeReason for a second admin to confirm`);
          }
          const status = outcome === 'needs_confirmation' ? 'pending_confirmation' : 'accepted';
          await trx('force_majeure_declarations').where({ id: d.id }).update({ status, reviewed_by: by, reviewed_at: clock.now(), late_notice_reason: status === 'accepted' ? null : lateNoticeReason });
          return status === 'accepted';
        });
        if (accepted) await signalled();
        return declarationCase(request.params.declarationId);
      },
    );

    app.post(
      '/force-majeure/declarations/:declarationId/confirm',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Confirm accepting a late declaration another admin proposed (8.3): it suspends the client’s deadlines (8.4)',
          description: 'The four-eyes rule: the admin who proposed it may not confirm it (403 SAME_PERSON).',
          security,
          params: DeclarationParams,
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        await decide('force_majeure_declarations', request.params.declarationId, requireStaff(request).staffUserId, { status: 'accepted' });
        await signalled();
        return declarationCase(request.params.declarationId);
      },
    );

    app.post(
      '/force-majeure/declarations/:declarationId/reject',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Reject a client’s declaration, with the reason: it moves none of the client’s deadlines',
          description: 'A declaration under review is rejected by any admin; one waiting for confirmation only by an admin other than its proposer (403 SAME_PERSON).',
          security,
          params: DeclarationParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const by = requireStaff(request).staffUserId;
        const id = request.params.declarationId;
        const rejection = { status: 'rejected', rejection_reason: request.body.reason };
        // Waiting for a second admin: that admin's decision. Under review: the first one.
        const current = await db('force_majeure_declarations').where({ id }).first();
        if (current?.status === 'pending_confirmation') await decide('force_majeure_declarations', id, by, rejection);
        else {
          await db.transaction(async (trx) => {
            await underReview(trx, id);
            await trx('force_majeure_declarations').where({ id }).update({ ...rejection, reviewed_by: by, reviewed_at: clock.now() });
          });
        }
        return declarationCase(id);
      },
    );
  };
