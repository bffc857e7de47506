import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { checkLedger, compensationCredit, correction } from '../../../db/ledger';
import { accountView, statementView } from '../../account-view';
import { requireStaff } from '../../auth';
import type { AppDeps } from '../../deps';
import { notFound } from '../../errors';
import { Account, CompensationBody, CorrectionBody, IdempotencyHeaders, LedgerCheck, LedgerTransaction, Statement, StatementQuery } from '../../schemas/account';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';

const ClientParams = IdParams('clientId');
const security = [{ staffToken: [] }];

/** Accountants' view of personal accounts and the movements only staff may book. */
export const staffAccountRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config } = deps;
    const clientExists = async (clientId: string) => {
      if (!(await db('clients').where({ id: clientId }).first('id'))) throw notFound('client', clientId);
    };

    app.get(
      '/clients/:clientId/account',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: { tags: ['accounts'], summary: "A client's personal account", security, params: ClientParams, response: { 200: Account, ...authErrors, ...errorResponses(404) } },
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
        schema: { tags: ['accounts'], summary: "A client's operations, newest first", security, params: ClientParams, querystring: StatementQuery, response: { 200: Statement, ...authErrors, ...errorResponses(404) } },
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
          description: 'Booked as a new transaction; nothing booked is ever edited. Same Idempotency-Key → one effect.',
          security,
          params: ClientParams,
          headers: IdempotencyHeaders,
          body: CorrectionBody,
          response: { 201: LedgerTransaction, 200: LedgerTransaction, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        await clientExists(request.params.clientId);
        const { transaction, replayed } = await correction(db, {
          idempotencyKey: `staff:${request.headers['idempotency-key']}`,
          clientId: request.params.clientId,
          amountTiyn: request.body.amountTiyn,
          reason: request.body.reason,
          createdBy: requireStaff(request).staffUserId,
        });
        return reply.status(replayed ? 200 : 201).send({ ...transaction, replayed });
      },
    );

    app.post(
      '/clients/:clientId/compensations',
      {
        config: { auth: { staff: ['accountant', 'admin'] } },
        schema: {
          tags: ['accounts'],
          summary: 'Credit a compensation to the personal account (7.2 defect act, 7.3 late service)',
          security,
          params: ClientParams,
          headers: IdempotencyHeaders,
          body: CompensationBody,
          response: { 201: LedgerTransaction, 200: LedgerTransaction, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        await clientExists(request.params.clientId);
        const { transaction, replayed } = await compensationCredit(db, {
          idempotencyKey: `staff:${request.headers['idempotency-key']}`,
          clientId: request.params.clientId,
          amountTiyn: request.body.amountTiyn,
          clause: request.body.clause,
          reference: request.body.reference,
          memo: request.body.reason,
          createdBy: requireStaff(request).staffUserId,
        });
        return reply.status(replayed ? 200 : 201).send({ ...transaction, replayed });
      },
    );

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
