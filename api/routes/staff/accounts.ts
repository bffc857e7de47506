import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkLedger } from '../../../db/ledger';
import { decideManualCredit, manualCredits, moveMoneyByHand } from '../../intake/manual-credits';
import { accountView, statementView } from '../../views/account';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { existingClient } from '../../views/clients';
import {
  Account,
  CompensationBody,
  CorrectionBody,
  IdempotencyHeaders,
  LedgerCheck,
  LedgerTransaction,
  Statement,
  StatementQuery,
} from '../../schemas/account';
import { authErrors, errorResponses, IdParams, IsoInstant, StringEnum, Uuid } from '../../schemas/common';

const ManualCreditView = Type.Object(
  {
    id: Uuid,
    kind: StringEnum(['correction', 'compensation']),
    clientId: Uuid,
    amountTiyn: Type.Integer(),
    details: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The reason, and for a compensation its clause and reference',
    }),
    proposedBy: Uuid,
    proposedAt: IsoInstant,
    status: StringEnum(['pending', 'approved', 'rejected']),
    decidedBy: Type.Union([Uuid, Type.Null()]),
    decidedAt: Type.Union([IsoInstant, Type.Null()]),
    decisionNote: Type.Union([Type.String(), Type.Null()]),
    ledgerTransactionId: Type.Union([Type.Integer(), Type.Null()]),
  },
  { $id: 'ManualCredit', title: 'Money moved by hand above the threshold' },
);

const ClientParams = IdParams('clientId');
const security = [{ staffToken: [] }];

/** Accountants' view of personal accounts and the movements only staff may book. */
export const staffAccountRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config } = deps;
    const clientExists = (clientId: string) => existingClient(db, clientId, 'id');

    app.get(
      '/clients/:clientId/account',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['accounts'],
          summary: "A client's personal account",
          security,
          params: ClientParams,
          response: { 200: Account, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        await clientExists(request.params.clientId);
        return accountView(db, request.params.clientId, deps);
      },
    );

    app.get(
      '/clients/:clientId/account/statement',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['accounts'],
          summary: "A client's operations, newest first",
          security,
          params: ClientParams,
          querystring: StatementQuery,
          response: { 200: Statement, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        await clientExists(request.params.clientId);
        return statementView(db, request.params.clientId, request.query, config);
      },
    );

    app.post(
      '/clients/:clientId/corrections',
      {
        config: { auth: { staff: ['accountant', 'admin'] } },
        schema: {
          tags: ['accounts'],
          summary: 'Correct the available balance with a reason (6.6.4); never below zero',
          description:
            'Booked as a new transaction; nothing booked is ever edited. Same Idempotency-Key → one effect. Above the configured threshold ' +
            '(MANUAL_CREDIT_APPROVAL_TIYN, either way) nothing is booked yet: 202 with a proposal a second person approves at /manual-credits/{id}/approve.',
          security,
          params: ClientParams,
          headers: IdempotencyHeaders,
          body: CorrectionBody,
          response: {
            201: LedgerTransaction,
            200: LedgerTransaction,
            202: ManualCreditView,
            ...authErrors,
            ...errorResponses(404, 409),
          },
        },
      },
      async (request, reply) => {
        await clientExists(request.params.clientId);
        const moved = await moveMoneyByHand(
          deps,
          requireStaff(request).staffUserId,
          `staff:${request.headers['idempotency-key']}`,
          {
            kind: 'correction',
            clientId: request.params.clientId,
            amountTiyn: request.body.amountTiyn,
            reason: request.body.reason,
          },
        );
        if (moved.pending) return reply.status(202).send(moved.pending);
        return reply
          .status(moved.booked.replayed ? 200 : 201)
          .send({ ...moved.booked.transaction, replayed: moved.booked.replayed });
      },
    );

    app.post(
      '/clients/:clientId/compensations',
      {
        config: { auth: { staff: ['accountant', 'admin'] } },
        schema: {
          tags: ['accounts'],
          summary:
            'Credit a compensation to the personal account (7.2 defect act, 7.3 late service); above the threshold, 202: a second person approves',
          security,
          params: ClientParams,
          headers: IdempotencyHeaders,
          body: CompensationBody,
          response: {
            201: LedgerTransaction,
            200: LedgerTransaction,
            202: ManualCreditView,
            ...authErrors,
            ...errorResponses(404, 409),
          },
        },
      },
      async (request, reply) => {
        await clientExists(request.params.clientId);
        const moved = await moveMoneyByHand(
          deps,
          requireStaff(request).staffUserId,
          `staff:${request.headers['idempotency-key']}`,
          {
            kind: 'compensation',
            clientId: request.params.clientId,
            amountTiyn: request.body.amountTiyn,
            clause: request.body.clause,
            reference: request.body.reference,
            reason: request.body.reason,
          },
        );
        if (moved.pending) return reply.status(202).send(moved.pending);
        return reply
          .status(moved.booked.replayed ? 200 : 201)
          .send({ ...moved.booked.transaction, replayed: moved.booked.replayed });
      },
    );

    app.get(
      '/manual-credits',
      {
        config: { auth: { staff: ['accountant', 'admin'] } },
        schema: {
          tags: ['accounts'],
          summary:
            'Corrections and compensations above the threshold: proposed, approved or rejected, with who and when',
          security,
          querystring: Type.Object(
            { status: Type.Optional(StringEnum(['pending', 'approved', 'rejected'])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ credits: Type.Array(ManualCreditView) }), ...authErrors },
        },
      },
      async (request) => ({ credits: await manualCredits(deps, request.query.status) }),
    );

    for (const decision of ['approve', 'reject'] as const) {
      app.post(
        `/manual-credits/:creditId/${decision}`,
        {
          config: { auth: { staff: ['accountant', 'admin'] } },
          schema: {
            tags: ['accounts'],
            summary:
              decision === 'approve'
                ? 'Approve a proposal (a second person): the money is booked, once'
                : 'Reject a proposal (a second person): nothing is booked',
            description: 'The person who proposed it cannot decide it (403 SAME_PERSON).',
            security,
            params: IdParams('creditId'),
            body: Type.Object(
              { note: Type.Optional(Type.String({ maxLength: 2000 })) },
              { additionalProperties: false },
            ),
            response: { 200: ManualCreditView, ...authErrors, ...errorResponses(404, 409) },
          },
        },
        async (request) =>
          decideManualCredit(
            deps,
            requireStaff(request).staffUserId,
            request.params.creditId,
            decision === 'approve',
            request.body.note,
          ),
      );
    }

    app.get(
      '/ledger/check',
      {
        config: { auth: { staff: ['accountant', 'admin'] } },
        schema: {
          tags: ['accounts'],
          summary: 'Recompute every balance from the ledger entries and report any drift',
          security,
          response: { 200: LedgerCheck, ...authErrors },
        },
      },
      async () => {
        const report = await checkLedger(db);
        return { ...report, ok: report.problems.length === 0 };
      },
    );
  };
