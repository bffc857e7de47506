import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UpdateDefinition } from '@temporalio/common';
import { Type } from 'typebox';
import { addDaysToDate } from '../../../lib/calendar';
import {
  ReconciliationActState,
  reconciliationActWorkflowId,
  refuseReconciliationActUpdate,
  signReconciliationActUpdate,
} from '../../../workflows/reconciliation-act';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import { requestReconciliationAct } from '../../intake/reconciliation-acts';
import { operatorCalendar } from '../../views/operator-calendar';
import { authErrors, errorResponses, IdParams, StringEnum, Uuid } from '../../schemas/common';
import { updateOrRefuse } from '../../http/workflow-errors';
import { attachment } from '../../http/attachment';
import { OperatorSignature, operatorSignatureOf } from '../../views/operator-keys';
import { clientReconciliationAct, clientReconciliationActs } from '../../views/reconciliation';

const BASE = '/client/v1/reconciliation-acts';

/** `unsigned`: made before reconciliation acts were signed (migration 020), never sent for signing. */
const STATUSES = ['unsigned', 'issued', 'signed', 'refused', 'auto_accepted'] as const;

const ReconciliationAct = Type.Object({
  id: Uuid,
  number: Type.String(),
  periodFrom: Type.String({ format: 'date' }),
  periodTo: Type.String({ format: 'date' }),
  openingTiyn: Type.Integer({ description: '6.6.1 unused money at the start' }),
  paymentsTiyn: Type.Integer({ description: '6.6.2 paid in' }),
  servicesTiyn: Type.Integer({ description: '6.6.3 services rendered (VAT included)' }),
  correctionsTiyn: Type.Integer({ description: '6.6.4 corrections and compensations' }),
  refundsTiyn: Type.Integer(),
  closingTiyn: Type.Integer({ description: '6.6.5 unused money at the end' }),
  status: StringEnum(STATUSES, {
    description:
      'issued: awaits the client (6.8); signed with EDS; refused with reasons; auto_accepted: counts as signed',
  }),
  issuedAt: Type.String({ format: 'date-time' }),
  dueAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'End of the 5th working day after issue (6.8)',
  }),
  timeLeftMs: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Until dueAt, while the act awaits the client; negative when overdue',
  }),
  overdue: Type.Boolean(),
  signedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the client signed it, or it came to count as signed',
  }),
  refusalReason: Type.Union([Type.String(), Type.Null()]),
  pdf: Type.String({ description: 'The PDF (as files.pdf)' }),
  files: Type.Object({ pdf: Type.String(), operatorSignature: Type.Union([Type.String(), Type.Null()]) }),
});

const Request = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date' })),
    to: Type.Optional(Type.String({ format: 'date' })),
    quarter: Type.Optional(
      Type.String({ pattern: '^[0-9]{4}-Q[1-4]$', description: 'e.g. 2026-Q3 (instead of from/to)' }),
    ),
  },
  { additionalProperties: false },
);

const iso = (instant: Date | string | null) => (instant ? new Date(instant).toISOString() : null);

function toAct(row: Record<string, any>, now: Date) {
  const awaiting = row.status === 'issued';
  const left = row.due_at ? new Date(row.due_at).getTime() - now.getTime() : null;
  const pdf = `${BASE}/${row.id}/pdf`;
  return {
    id: row.id,
    number: row.number,
    periodFrom: row.period_from,
    periodTo: row.period_to,
    openingTiyn: row.opening,
    paymentsTiyn: row.payments,
    servicesTiyn: row.services,
    correctionsTiyn: row.corrections,
    refundsTiyn: row.refunds,
    closingTiyn: row.closing,
    status: row.status,
    issuedAt: iso(row.issued_at)!,
    dueAt: iso(row.due_at),
    timeLeftMs: awaiting ? left : null,
    overdue: awaiting && left !== null && left < 0,
    signedAt: iso(row.accepted_at),
    refusalReason: row.refusal_reason ?? null,
    pdf,
    files: { pdf, operatorSignature: row.operator_signature ? `${BASE}/${row.id}/operator-signature` : null },
  };
}

/**
 * Reconciliation acts (6.6-6.8, Прил. 2 п.7): on the client's request, for a quarter or any
 * period, from the ledger; signed by the operator and sent for the client's EDS signature or
 * motivated refusal within 5 working days, after which it counts as signed.
 */
export const clientReconciliationRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, clock, temporal } = deps;
    const security = [{ clientToken: [] }];
    const ActParams = IdParams('id');
    const own = (clientId: string, id: string, columns?: string[]) =>
      clientReconciliationAct(db, clientId, id, columns);
    const summaryOf = async (clientId: string, id: string) => toAct(await own(clientId, id), clock.now());
    /** A decision of the client, heard by the act's workflow; only an act that awaits the client takes one. */
    const decide = async <A extends [unknown]>(
      clientId: string,
      id: string,
      update: UpdateDefinition<ReconciliationActState, A>,
      ...args: A
    ) => {
      const row = await own(clientId, id);
      if (row.status !== 'issued')
        throw conflict(
          'ACT_NOT_OPEN',
          `The reconciliation act is ${row.status}: it no longer awaits a signature or refusal`,
        );
      await updateOrRefuse(temporal.client.workflow.getHandle(reconciliationActWorkflowId(id)), update, args, {
        refused: 'ACT_NOT_OPEN',
        closed: 'ACT_NOT_OPEN',
      });
      return summaryOf(clientId, id);
    };

    app.post(
      '/reconciliation-acts',
      {
        schema: {
          tags: ['acts'],
          summary:
            'Request a reconciliation act for a quarter or a period: opening balance, payments, services, corrections, closing balance',
          description:
            'Issued at once, signed by the operator (6.7) and sent for signing: the client signs it with EDS or refuses it with reasons within 5 working days, otherwise it counts as signed (6.8).',
          security,
          body: Request,
          response: { 201: ReconciliationAct, ...authErrors, ...errorResponses(400) },
        },
      },
      async (request, reply) => {
        const { clientId } = requireClient(request);
        const calendar = await operatorCalendar(deps);
        const issuedAt = clock.now();
        const today = calendar.localDate(issuedAt);
        let { from, to } = request.body;
        if (request.body.quarter) {
          const [year, q] = [Number(request.body.quarter.slice(0, 4)), Number(request.body.quarter.slice(-1))];
          from = `${year}-${String(q * 3 - 2).padStart(2, '0')}-01`;
          to = addDaysToDate(q === 4 ? `${year + 1}-01-01` : `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`, -1);
        }
        if (!from || !to || from > to || to > today) {
          throw new ApiError(400, 'BAD_PERIOD', 'Give a quarter, or from and to (from ≤ to, to not after today)', {
            from,
            to,
            today,
          });
        }
        const row = await requestReconciliationAct(deps, calendar, { clientId, from, to, issuedAt });
        return reply.status(201).send(toAct(row, clock.now()));
      },
    );

    app.get(
      '/reconciliation-acts',
      {
        schema: {
          tags: ['acts'],
          summary: 'The client’s reconciliation acts, newest first, with the signing deadline',
          security,
          response: { 200: Type.Object({ reconciliationActs: Type.Array(ReconciliationAct) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await clientReconciliationActs(db, requireClient(request).clientId);
        return { reconciliationActs: rows.map((row) => toAct(row, clock.now())) };
      },
    );

    app.get(
      '/reconciliation-acts/:id',
      {
        schema: {
          tags: ['acts'],
          summary: 'A reconciliation act: its figures, status and signing deadline',
          security,
          params: ActParams,
          response: { 200: ReconciliationAct, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => summaryOf(requireClient(request).clientId, request.params.id),
    );

    app.get(
      '/reconciliation-acts/:id/pdf',
      {
        schema: {
          tags: ['acts'],
          summary: 'A reconciliation act as PDF: the bytes the operator signed and the client signs',
          security,
          params: ActParams,
          produces: ['application/pdf'],
          response: {
            200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'The PDF' }),
            ...authErrors,
            ...errorResponses(404, 409),
          },
        },
      },
      async (request, reply) => {
        const row = await own(requireClient(request).clientId, request.params.id, ['number', 'pdf']);
        return reply
          .type('application/pdf')
          .header('content-disposition', attachment(`reconciliation_${row.number}.pdf`))
          .send(row.pdf);
      },
    );

    app.get(
      '/reconciliation-acts/:id/operator-signature',
      {
        schema: {
          tags: ['acts'],
          summary:
            'The operator’s signature of the reconciliation act’s PDF (6.7; ECDSA P-256, SHA-256) and the public key to verify it',
          security,
          params: ActParams,
          response: { 200: OperatorSignature, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const row = await own(requireClient(request).clientId, request.params.id, [
          'id',
          'pdf',
          'operator_signature',
          'operator_key_id',
        ]);
        // Reconciliation acts made before they were signed (`unsigned`) have none.
        if (!row.operator_signature) throw notFound('operator signature of reconciliation act', row.id);
        return operatorSignatureOf(db, {
          keyId: row.operator_key_id,
          signature: row.operator_signature,
          document: row.pdf,
        });
      },
    );

    app.post(
      '/reconciliation-acts/:id/sign',
      {
        schema: {
          tags: ['acts'],
          summary:
            'Sign the reconciliation act with EDS (6.7, 6.8): a CMS signature (PKCS#7, attached or detached, base64 or PEM) over the act’s PDF bytes',
          description:
            'Verified as for the join application: signature, certificate at signing time, chain to the trusted CAs, key usage, and the client’s BIN/IIN. A bad signature → 422 BAD_SIGNATURE, nothing recorded; an act no longer awaiting the client → 409 ACT_NOT_OPEN.',
          security,
          params: ActParams,
          body: Type.Object(
            { signature: Type.String({ minLength: 16, maxLength: 200_000 }) },
            { additionalProperties: false },
          ),
          response: { 200: ReconciliationAct, ...authErrors, ...errorResponses(404, 409, 422) },
        },
      },
      async (request) =>
        decide(requireClient(request).clientId, request.params.id, signReconciliationActUpdate, {
          signature: request.body.signature,
        }),
    );

    app.post(
      '/reconciliation-acts/:id/refuse',
      {
        schema: {
          tags: ['acts'],
          summary: 'Send a motivated refusal to sign the reconciliation act (6.8)',
          security,
          params: ActParams,
          body: Type.Object(
            {
              reason: Type.String({ minLength: 10, maxLength: 5000, description: 'The reasons (a motivated refusal)' }),
            },
            { additionalProperties: false },
          ),
          response: { 200: ReconciliationAct, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        decide(requireClient(request).clientId, request.params.id, refuseReconciliationActUpdate, {
          reason: request.body.reason,
        }),
    );
  };
