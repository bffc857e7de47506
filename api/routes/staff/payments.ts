import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  assignUnassignedPayment,
  PaymentStateError,
  recordPayment,
  returnUnassignedPayment,
} from '../../../db/payments';
import { parseBankStatement, StatementFormatError } from '../../../lib/bank-statements';
import { isValidBinIin, isValidIik } from '../../../lib/kz-identifiers';
import { OPERATOR } from '../../../lib/operator';
import { importBankStatement, paymentHooks } from '../../intake/payments';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { uploadBodyLimit } from '../../http/limits';
import { ApiError, conflict, notFound } from '../../http/errors';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import {
  AssignPaymentBody,
  ImportQuery,
  ImportSummary,
  Payment,
  PaymentList,
  PaymentListQuery,
  RecordOutcome,
  RecordPaymentBody,
  ReturnPaymentBody,
  toPayment,
} from '../../schemas/payments';
import { existingClient } from '../../views/clients';
import { paymentById, paymentsIn } from '../../views/payments';

const security = [{ staffToken: [] }];
const accountants = { staff: ['accountant', 'admin'] as const };

const invalidField = (path: string, message: string) =>
  new ApiError(400, 'VALIDATION_FAILED', `${path.slice(1)}: ${message}`, [{ location: 'body', path, message }]);

/**
 * Top-ups (3.4, 6.2, Прил. 2 п.2): accountants record bank payments by hand or import bank
 * statements; matched payments are credited and the client is told by e-mail; the rest
 * wait in a queue to be assigned or returned.
 */
export const staffPaymentRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const hooks = paymentHooks(deps, (error) => app.log.warn({ err: error }, 'lifecycle not signalled'));

    app.removeContentTypeParser('text/plain');
    app.addContentTypeParser(
      ['application/octet-stream', 'text/plain', 'text/csv'],
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    );

    app.post(
      '/payments',
      {
        config: { auth: accountants },
        schema: {
          tags: ['payments'],
          summary:
            'Record one bank payment to the operator account; credited to the personal account its purpose names',
          description:
            'Matching: the personal account number in the purpose (LS00000012), else a client BIN/IIN in the purpose, else the ' +
            "payer's BIN/IIN. Unmatched payments wait in the queue. The same bank document (date, number, payer account, amount) " +
            'recorded again — by hand or by an import — is a duplicate and changes nothing.',
          security,
          body: RecordPaymentBody,
          response: { 201: RecordOutcome, 200: RecordOutcome, ...authErrors, ...errorResponses(503) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (body.payerBinIin && !isValidBinIin(body.payerBinIin))
          throw invalidField('/payerBinIin', 'invalid BIN/IIN check digit');
        if (body.payerIik && !isValidIik(body.payerIik))
          throw invalidField('/payerIik', 'not a valid Kazakhstan IBAN (KZ, 20 characters, mod-97)');
        const outcome = await recordPayment(
          db,
          {
            documentNumber: body.documentNumber,
            documentDate: body.documentDate,
            receivedOn: body.receivedOn ?? body.documentDate,
            amountTiyn: body.amountTiyn,
            payerName: body.payerName,
            payerBinIin: body.payerBinIin ?? null,
            payerIik: body.payerIik?.replace(/\s/g, '').toUpperCase() ?? null,
            payerBik: body.payerBik ?? null,
            purpose: body.purpose,
            knp: body.knp ?? null,
            source: 'manual',
            recordedBy: requireStaff(request).staffUserId,
          },
          hooks,
        );
        return reply
          .status(outcome.status === 'duplicate' ? 200 : 201)
          .send({ status: outcome.status, payment: toPayment(outcome.payment) });
      },
    );

    app.post(
      '/bank-statements',
      {
        config: { auth: accountants },
        bodyLimit: uploadBodyLimit(deps.config),
        schema: {
          tags: ['payments'],
          summary:
            'Import a bank statement: 1CClientBankExchange (Windows-1251, DOS or UTF-8) or CSV; the file is the request body',
          description:
            'Send the file as the body (Content-Type application/octet-stream, text/plain or text/csv). Incoming payments to the ' +
            'operator account are recorded as by POST /payments; a statement imported twice credits nothing twice. A file that ' +
            'cannot be read as a statement — an empty one too — is a 422 STATEMENT_UNREADABLE and records nothing.',
          security,
          querystring: ImportQuery,
          response: { 201: ImportSummary, ...authErrors, ...errorResponses(413, 415, 422, 503) },
        },
      },
      async (request, reply) => {
        const file = request.body as unknown;
        // No file in one of those media types is a 415; an empty file sent in one is a statement we cannot read (422 below).
        if (!Buffer.isBuffer(file)) {
          throw new ApiError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'Send the statement file as the body with Content-Type application/octet-stream, text/plain or text/csv',
          );
        }
        let parsed;
        try {
          parsed = parseBankStatement(file, { operatorIik: OPERATOR.iik, format: request.query.format ?? 'auto' });
        } catch (error) {
          if (error instanceof StatementFormatError) throw new ApiError(422, 'STATEMENT_UNREADABLE', error.message);
          throw error;
        }
        const summary = await importBankStatement(
          db,
          { file, fileName: request.query.fileName ?? null, parsed, by: requireStaff(request).staffUserId },
          hooks,
        );
        return reply.status(201).send(summary);
      },
    );

    app.get(
      '/payments',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['payments'],
          summary: 'Bank payments, by default the queue of unassigned ones (oldest first)',
          security,
          querystring: PaymentListQuery,
          response: { 200: PaymentList, ...authErrors },
        },
      },
      async (request) => {
        const { status = 'unassigned', clientId, limit = 100 } = request.query;
        const rows = await paymentsIn(db, { status, clientId, limit });
        return { payments: rows.map(toPayment) };
      },
    );

    app.get(
      '/payments/:paymentId',
      {
        config: { auth: { staff: ['accountant', 'admin', 'support'] } },
        schema: {
          tags: ['payments'],
          summary: 'A bank payment',
          security,
          params: IdParams('paymentId'),
          response: { 200: Payment, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        return toPayment(await paymentById(db, request.params.paymentId));
      },
    );

    const stateConflict = (error: unknown) => {
      if (error instanceof PaymentStateError)
        return conflict('PAYMENT_NOT_UNASSIGNED', error.message, { status: error.payment.status });
      return error;
    };

    app.post(
      '/payments/:paymentId/assign',
      {
        config: { auth: accountants },
        schema: {
          tags: ['payments'],
          summary: "Credit an unassigned payment to a client's personal account; the client is told by e-mail",
          security,
          params: IdParams('paymentId'),
          body: AssignPaymentBody,
          response: { 200: Payment, ...authErrors, ...errorResponses(404, 409, 503) },
        },
      },
      async (request) => {
        const client = await existingClient(db, request.body.clientId, 'id', 'status');
        if (client.status !== 'active') throw conflict('CLIENT_NOT_ACTIVE', `The client is ${client.status}`);
        const payment = await assignUnassignedPayment(
          db,
          { paymentId: request.params.paymentId, clientId: client.id, by: requireStaff(request).staffUserId },
          hooks,
        ).catch((e) => {
          throw stateConflict(e);
        });
        if (!payment) throw notFound('payment', request.params.paymentId);
        return toPayment(payment);
      },
    );

    app.post(
      '/payments/:paymentId/return',
      {
        config: { auth: accountants },
        schema: {
          tags: ['payments'],
          summary: 'Return an unassigned payment to its payer, with the reason',
          security,
          params: IdParams('paymentId'),
          body: ReturnPaymentBody,
          response: { 200: Payment, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const payment = await returnUnassignedPayment(db, {
          paymentId: request.params.paymentId,
          reason: request.body.reason,
          by: requireStaff(request).staffUserId,
        }).catch((e) => {
          throw stateConflict(e);
        });
        if (!payment) throw notFound('payment', request.params.paymentId);
        return toPayment(payment);
      },
    );
  };
