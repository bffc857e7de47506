import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { answerClaimUpdate, claimWorkflowId } from '../../../workflows/claim';
import {
  compensationWorkflowId,
  payCompensationUpdate,
  refuseCompensationUpdate,
} from '../../../workflows/compensation';
import { attachment } from '../../http/attachment';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { uploadBodyLimit } from '../../http/limits';
import { ApiError, conflict } from '../../http/errors';
import { registerClaim } from '../../intake/claims';
import { openCompensation } from '../../intake/compensation';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';
import { Breach, Claim, Compensation } from '../../schemas/lifecycle';
import { updateOrRefuse } from '../../http/workflow-errors';
import { safeMediaType } from '../../http/request-guards';
import {
  claimCase,
  claimCases,
  claimDocumentFile,
  compensationCase,
  CompensationCase as CompensationView,
  compensationCases,
  eligibility,
} from '../../views/claims';
import { ClaimInput, Eligibility } from '../client/claims';

const security = [{ staffToken: [] }];
const claimHandlers = { staff: ['admin', 'accountant'] as const };
const StatusQuery = <T extends readonly string[]>(values: T) =>
  Type.Object(
    { status: Type.Optional(StringEnum(values)), clientId: Type.Optional(Uuid) },
    { additionalProperties: false },
  );

const ClaimCase = Type.Object({ ...Claim.properties, clientName: Type.String() });
const CompensationCase = Type.Object({ ...Compensation.properties, clientName: Type.String() });

/** Claims (9.2-9.4) answered within 15 working days; compensations (7.2, 7.3) paid within 5 or 10. */
export const staffClaimRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal } = deps;

    app.get(
      '/claims',
      {
        config: { auth: claimHandlers },
        schema: {
          tags: ['claims'],
          summary: 'Claims, the ones under review first by due date',
          security,
          querystring: StatusQuery([
            'not_considered',
            'under_review',
            'satisfied',
            'partially_satisfied',
            'refused',
          ] as const),
          response: { 200: Type.Object({ claims: Type.Array(ClaimCase) }), ...authErrors },
        },
      },
      async (request) => ({ claims: await claimCases(db, request.query) }),
    );

    app.post(
      '/claims',
      {
        config: { auth: claimHandlers },
        // The claim's documents travel in the body (base64): the larger limit of uploads.
        bodyLimit: uploadBodyLimit(deps.config),
        schema: {
          tags: ['claims'],
          summary: 'Register a claim received by e-mail or post (9.2: presented on the day it was sent)',
          security,
          body: Type.Object(
            {
              ...ClaimInput.properties,
              clientId: Uuid,
              channel: StringEnum(['email', 'post'] as const),
              receivedAt: IsoInstant,
            },
            { additionalProperties: false },
          ),
          response: { 201: ClaimCase, ...authErrors, ...errorResponses(404, 409, 413, 422) },
        },
      },
      async (request, reply) => {
        const row = await registerClaim(deps, { ...request.body, recordedBy: requireStaff(request).staffUserId });
        return reply.status(201).send(await claimCase(db, row.id));
      },
    );

    app.get(
      '/claims/:claimId/documents/:documentId',
      {
        config: { auth: claimHandlers },
        schema: {
          tags: ['claims'],
          summary: 'A document of the claim',
          security,
          params: Type.Object({ claimId: Uuid, documentId: Type.Integer() }),
          response: { ...authErrors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const doc = await claimDocumentFile(db, request.params.claimId, request.params.documentId);
        return reply
          .header('content-disposition', attachment(doc.filename))
          .type(safeMediaType(doc.content_type))
          .send(doc.content);
      },
    );

    app.post(
      '/claims/:claimId/answer',
      {
        config: { auth: claimHandlers },
        schema: {
          tags: ['claims'],
          summary: 'Answer the claim on the merits (9.3): satisfied in full or in part, or refused, with the reasons',
          security,
          params: IdParams('claimId'),
          body: Type.Object(
            {
              decision: StringEnum(['satisfied', 'partially_satisfied', 'refused'] as const),
              answer: Type.String({ minLength: 10, maxLength: 20_000 }),
              amountAwardedTiyn: Type.Optional(Type.Integer({ minimum: 1 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: ClaimCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const claim = await claimCase(db, request.params.claimId);
        // The workflow's validator refuses these too, but under one code; the API tells them apart.
        if (claim.status !== 'under_review') {
          throw conflict(
            'CLAIM_NOT_UNDER_REVIEW',
            claim.status === 'not_considered'
              ? 'The claim is not considered (9.4): it gets no answer on the merits'
              : `The claim was answered already: ${claim.status.replace(/_/g, ' ')}`,
          );
        }
        if (request.body.decision === 'refused' && request.body.amountAwardedTiyn !== undefined)
          throw new ApiError(400, 'AMOUNT_WITH_REFUSAL', 'A refused claim awards no amount');
        await updateOrRefuse(
          temporal.client.workflow.getHandle(claimWorkflowId(claim.id)),
          answerClaimUpdate,
          [{ ...request.body, staffId: requireStaff(request).staffUserId }],
          { refused: 'CLAIM_NOT_UNDER_REVIEW', closed: 'CLAIM_NOT_UNDER_REVIEW' },
        );
        return claimCase(db, claim.id);
      },
    );

    app.get(
      '/compensations',
      {
        config: { auth: claimHandlers },
        schema: {
          tags: ['claims'],
          summary: 'Compensations, the pending ones first by due date',
          security,
          querystring: StatusQuery(['pending', 'paid', 'refused'] as const),
          response: { 200: Type.Object({ compensations: Type.Array(CompensationCase) }), ...authErrors },
        },
      },
      async (request) => ({ compensations: await compensationCases(db, request.query) }),
    );

    app.post(
      '/compensations',
      {
        config: { auth: claimHandlers },
        schema: {
          tags: ['claims'],
          summary:
            'Record a signed defect act (7.2: its cost back to the personal account within 5 working days) or a demand for damage received on paper (7.3)',
          security,
          body: Type.Object(
            {
              clientId: Uuid,
              basis: StringEnum(['defect_act', 'late_service'] as const),
              description: Type.String({ minLength: 10, maxLength: 10_000 }),
              amountTiyn: Type.Integer({ minimum: 1 }),
              eventAt: Type.String({
                format: 'date-time',
                description: 'When both parties signed the defect act, or the demand was received',
              }),
              payTo: StringEnum(['account', 'bank'] as const),
              breaches: Type.Optional(Type.Array(Breach, { maxItems: 100 })),
              claimId: Type.Optional(Uuid),
            },
            { additionalProperties: false },
          ),
          response: { 201: CompensationCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const row = await openCompensation(deps, { ...request.body, recordedBy: requireStaff(request).staffUserId });
        return reply.status(201).send(await compensationCase(db, row.id));
      },
    );

    app.get(
      '/clients/:clientId/compensation-eligibility',
      {
        config: { auth: claimHandlers },
        schema: {
          tags: ['claims'],
          summary: 'The client’s missed deadlines open to a 7.3 demand',
          security,
          params: IdParams('clientId'),
          response: { 200: Eligibility, ...authErrors },
        },
      },
      async (request) => eligibility(db, request.params.clientId),
    );

    const decision = <B extends Record<string, unknown>>(
      path: string,
      summary: string,
      body: ReturnType<typeof Type.Object>,
      check: (compensation: CompensationView, body: B) => void,
      run: (id: string, body: B, staffId: string) => Promise<unknown>,
    ) =>
      app.post(
        `/compensations/:compensationId/${path}`,
        {
          config: { auth: claimHandlers },
          schema: {
            tags: ['claims'],
            summary,
            security,
            params: IdParams('compensationId'),
            body,
            response: { 200: CompensationCase, ...authErrors, ...errorResponses(404, 409) },
          },
        },
        async (request) => {
          const { compensationId } = request.params as { compensationId: string };
          const compensation = await compensationCase(db, compensationId);
          // The workflow's validators refuse these too, but under one code; the API tells them apart.
          if (compensation.status !== 'pending')
            throw conflict('COMPENSATION_DECIDED', `The compensation is ${compensation.status} already`);
          check(compensation, request.body as B);
          await run(compensationId, request.body as B, requireStaff(request).staffUserId);
          return compensationCase(db, compensationId);
        },
      );
    const handle = (id: string) => temporal.client.workflow.getHandle(compensationWorkflowId(id));
    decision<{ amountTiyn: number }>(
      'pay',
      'Pay the compensation: the defect act’s cost (7.2) or the actual damage established, at most what was demanded (7.3)',
      Type.Object({ amountTiyn: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      (c, { amountTiyn }) => {
        if (amountTiyn > c.amountClaimedTiyn)
          throw new ApiError(
            400,
            'AMOUNT_EXCEEDS_CLAIM',
            `At most the ${c.amountClaimedTiyn} tiyn demanded is paid (7.3)`,
            { amountClaimedTiyn: c.amountClaimedTiyn },
          );
        if (c.basis === 'defect_act' && amountTiyn !== c.amountClaimedTiyn)
          throw conflict(
            'AMOUNT_FIXED_BY_ACT',
            `A signed defect act is compensated in the amount it states: ${c.amountClaimedTiyn} tiyn (7.2)`,
            { amountClaimedTiyn: c.amountClaimedTiyn },
          );
      },
      (id, body, staffId) =>
        updateOrRefuse(handle(id), payCompensationUpdate, [{ ...body, staffId }], {
          refused: 'COMPENSATION_DECIDED',
          closed: 'COMPENSATION_DECIDED',
        }),
    );
    decision<{ reason: string }>(
      'refuse',
      'Refuse a demand for damage (7.3) with the reason; a signed defect act (7.2) may not be refused',
      Type.Object({ reason: Type.String({ minLength: 5, maxLength: 5000 }) }, { additionalProperties: false }),
      (c) => {
        if (c.basis === 'defect_act')
          throw conflict('REFUSAL_NOT_ALLOWED', 'A signed defect act is owed (7.2) and may not be refused');
      },
      (id, body, staffId) =>
        updateOrRefuse(handle(id), refuseCompensationUpdate, [{ ...body, staffId }], {
          refused: 'REFUSAL_NOT_ALLOWED',
          closed: 'COMPENSATION_DECIDED',
        }),
    );
  };
