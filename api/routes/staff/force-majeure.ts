import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DECLARATION_STATUSES, FORCE_MAJEURE_PROCESSES } from '../../../lib/force-majeure';
import { STAFF_ROLES } from '../../../lib/roles';
import { attachment } from '../../http/attachment';
import { requireStaff } from '../../http/auth';
import {
  acceptDeclaration,
  decideProposal,
  endForceMajeureEvent,
  notifyForceMajeureEvent,
  recordForceMajeureEvent,
  rejectDeclaration,
} from '../../intake/force-majeure';
import type { AppDeps } from '../../http/deps';
import { safeMediaType } from '../../http/request-guards';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { DeclarationCase, ForceMajeureEvent as Event } from '../../schemas/force-majeure';
import {
  declarationCase,
  declarationCases,
  eventView,
  evidenceFile,
  forceMajeureEvents,
} from '../../views/force-majeure';

const security = [{ staffToken: [] }];
const admins = { staff: ['admin'] as const };
const DeclarationParams = IdParams('declarationId');
const Reason = Type.String({ minLength: 10, maxLength: 5000 });

/**
 * Force majeure (8.3-8.6): the events staff record, the deadlines of the processes they affect
 * standing still while they last; a late-noticed one relied on anyway only with a reason and a
 * second admin's confirmation. And the clients' declarations (8.3-8.5), which staff review.
 */
export const staffForceMajeureRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/force-majeure',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['force majeure'],
          summary: 'Force-majeure events, newest first',
          security,
          response: { 200: Type.Object({ events: Type.Array(Event) }), ...authErrors },
        },
      },
      async () => ({ events: await forceMajeureEvents(deps) }),
    );

    app.post(
      '/force-majeure',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary:
            'Record a force-majeure event (8.3): the deadlines of the affected processes stand still from its start',
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
              evidence: Type.Optional(
                Type.String({ maxLength: 5000, description: 'E.g. the certificate of the Chamber of Commerce' }),
              ),
              notifiedAt: Type.Optional(IsoInstant),
              wellKnown: Type.Optional(
                Type.Boolean({ description: 'A well-known fact (8.5): relied on without notice or proof' }),
              ),
              lateNoticeReason: Type.Optional(
                Type.String({
                  minLength: 10,
                  maxLength: 5000,
                  description:
                    'Why an event noticed later than 5 working days after its start is to be relied on anyway (e.g. it kept the notice from going out, 8.3): a second admin must confirm',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: Event, ...authErrors, ...errorResponses(422) },
        },
      },
      async (request, reply) => {
        const { row, workflowsSignalled } = await recordForceMajeureEvent(
          deps,
          request.body,
          requireStaff(request).staffUserId,
        );
        // One waiting for a second admin suspends nothing yet: no deadline to recompute.
        return reply.status(201).send({ ...(await eventView(deps, row)), workflowsSignalled });
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
        const { row, workflowsSignalled } = await endForceMajeureEvent(
          deps,
          request.params.eventId,
          request.body.endedAt,
        );
        return { ...(await eventView(deps, row)), workflowsSignalled };
      },
    );

    app.post(
      '/force-majeure/:eventId/notify',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary:
            'Tell every client of the event (8.3): its nature, the obligations it prevents and the evidence, in the cabinet and by e-mail',
          description:
            'Due within 5 working days of the start; records the notice as given now. Sent in batches by a workflow.',
          security,
          params: IdParams('eventId'),
          response: { 200: Event, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await notifyForceMajeureEvent(deps, request.params.eventId);
        return eventView(deps, row);
      },
    );

    app.post(
      '/force-majeure/:eventId/confirm',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary:
            'Confirm relying on a late-noticed event (8.3) another admin proposed: its deadlines stand still from its start',
          description:
            'The four-eyes rule: the admin who recorded it with the reason may not confirm it (403 SAME_PERSON). Recorded with who and when.',
          security,
          params: IdParams('eventId'),
          response: { 200: Event, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { row, workflowsSignalled } = await decideProposal(
          deps,
          'force_majeure_events',
          request.params.eventId,
          requireStaff(request).staffUserId,
          { status: 'confirmed' },
          true,
        );
        return { ...(await eventView(deps, row)), workflowsSignalled };
      },
    );

    app.post(
      '/force-majeure/:eventId/reject',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary:
            'Reject relying on a late-noticed event (8.3) another admin proposed: it stays on record, relied on by nothing',
          security,
          params: IdParams('eventId'),
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: Event, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { row } = await decideProposal(
          deps,
          'force_majeure_events',
          request.params.eventId,
          requireStaff(request).staffUserId,
          { status: 'rejected', rejection_reason: request.body.reason },
        );
        return eventView(deps, row);
      },
    );

    // ——— The clients' declarations (8.3-8.5) ———

    app.get(
      '/force-majeure/declarations',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['force majeure'],
          summary:
            'The clients’ force-majeure declarations: those waiting for a second admin, then those under review, then the rest, newest first',
          security,
          querystring: Type.Object(
            { status: Type.Optional(StringEnum(DECLARATION_STATUSES)), clientId: Type.Optional(Uuid) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ declarations: Type.Array(DeclarationCase) }), ...authErrors },
        },
      },
      async (request) => ({ declarations: await declarationCases(deps, request.query) }),
    );

    app.get(
      '/force-majeure/declarations/:declarationId',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['force majeure'],
          summary: 'A client’s force-majeure declaration with its evidence and review',
          security,
          params: DeclarationParams,
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => declarationCase(deps, request.params.declarationId),
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
          response: {
            200: Type.Unsafe<Buffer>({
              type: 'string',
              format: 'binary',
              description: 'The file, with its content type',
            }),
            ...authErrors,
            ...errorResponses(404),
          },
        },
      },
      async (request, reply) => {
        const file = await evidenceFile(db, request.params.declarationId, request.params.evidenceId);
        return reply
          .header('content-disposition', attachment(file.filename))
          .type(safeMediaType(file.content_type))
          .send(file.content);
      },
    );

    app.post(
      '/force-majeure/declarations/:declarationId/accept',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary:
            'Accept a client’s declaration: the client’s deadlines of the obligations it names stand still while it lasts (8.4)',
          description:
            'Only with the proof: a certificate (8.5), unless a well-known fact (409 EVIDENCE_REQUIRED). One received later than 5 working days after its start cannot be relied on (8.3): ' +
            'without lateNoticeReason it is refused (409 NOTICE_LATE: reject it, or give the reason); with it, it waits for a different admin’s confirmation (pending_confirmation).',
          security,
          params: DeclarationParams,
          body: Type.Object(
            {
              lateNoticeReason: Type.Optional(
                Type.String({
                  minLength: 10,
                  maxLength: 5000,
                  description:
                    'Why a late one is to be relied on anyway (e.g. the event kept the notice from going out, 8.3)',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request) => {
        await acceptDeclaration(
          deps,
          request.params.declarationId,
          requireStaff(request).staffUserId,
          request.body.lateNoticeReason,
        );
        return declarationCase(deps, request.params.declarationId);
      },
    );

    app.post(
      '/force-majeure/declarations/:declarationId/confirm',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary:
            'Confirm accepting a late declaration another admin proposed (8.3): it suspends the client’s deadlines (8.4)',
          description: 'The four-eyes rule: the admin who proposed it may not confirm it (403 SAME_PERSON).',
          security,
          params: DeclarationParams,
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        await decideProposal(
          deps,
          'force_majeure_declarations',
          request.params.declarationId,
          requireStaff(request).staffUserId,
          { status: 'accepted' },
          true,
        );
        return declarationCase(deps, request.params.declarationId);
      },
    );

    app.post(
      '/force-majeure/declarations/:declarationId/reject',
      {
        config: { auth: admins },
        schema: {
          tags: ['force majeure'],
          summary: 'Reject a client’s declaration, with the reason: it moves none of the client’s deadlines',
          description:
            'A declaration under review is rejected by any admin; one waiting for confirmation only by an admin other than its proposer (403 SAME_PERSON).',
          security,
          params: DeclarationParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: DeclarationCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        await rejectDeclaration(
          deps,
          request.params.declarationId,
          requireStaff(request).staffUserId,
          request.body.reason,
        );
        return declarationCase(deps, request.params.declarationId);
      },
    );
  };
