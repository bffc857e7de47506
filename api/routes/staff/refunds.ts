import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UpdateDefinition } from '@temporalio/common';
import { Type } from 'typebox';
import { approveRefundUpdate, refundWorkflowId, refuseRefundUpdate } from '../../../workflows/refund-request';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict } from '../../http/errors';
import { authErrors, errorResponses, IdParams, StringEnum } from '../../schemas/common';
import { Refund } from '../../schemas/lifecycle';
import { refundCase, refundCases, refundRow } from '../../views/refunds';
import { updateOrRefuse } from '../../http/workflow-errors';

const security = [{ staffToken: [] }];
const accountants = { staff: ['accountant', 'admin'] as const };
const NO_WORKFLOW = 'NO_WORKFLOW';

const RefundCase = Type.Object({
  ...Refund.properties,
  clientName: Type.String(),
  availableTiyn: Type.Integer({ description: 'The unused balance now' }),
  refusalGrounds: Type.Array(Type.String(), { description: 'Empty: the refund may not be refused (6.11)' }),
});

/** The accountants' refund desk (6.11, 3.7, 4.1.2, 10.4): answer within 15 calendar days, pay under the refund's clause. */
export const staffRefundRoutes =
  ({ db, temporal }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    /**
     * One decision on a pending refund through its workflow. A refund the contract opened itself
     * (3.7, 10.4) is recorded a moment before its workflow starts: asked in that moment, the
     * answer is to retry, not that the refund was decided.
     */
    const decide = async <A extends [any]>(
      id: string,
      update: UpdateDefinition<unknown, A>,
      args: A,
      refused: string,
    ) => {
      const row = await refundRow(db, id);
      if (row.status !== 'pending') throw conflict('REFUND_DECIDED', `The refund is already ${row.status}`);
      try {
        await updateOrRefuse(temporal.client.workflow.getHandle(refundWorkflowId(row.id)), update, args, {
          refused,
          closed: NO_WORKFLOW,
        });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === NO_WORKFLOW)) throw error;
        const now = await refundRow(db, id);
        if (now.status !== 'pending') throw conflict('REFUND_DECIDED', `The refund is already ${now.status}`);
        throw new ApiError(409, 'REFUND_NOT_READY', 'The refund is still being opened; retry in a moment');
      }
      return refundCase(db, await refundRow(db, row.id));
    };

    app.get(
      '/refunds',
      {
        config: { auth: accountants },
        schema: {
          tags: ['refunds'],
          summary: 'Refunds, the pending ones first by due date',
          security,
          querystring: Type.Object(
            { status: Type.Optional(StringEnum(['pending', 'paid', 'refused'] as const)) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ refunds: Type.Array(RefundCase) }), ...authErrors },
        },
      },
      async (request) => ({ refunds: await refundCases(db, request.query.status) }),
    );

    app.post(
      '/refunds/:refundId/pay',
      {
        config: { auth: accountants },
        schema: {
          tags: ['refunds'],
          summary: 'Pay the refund to the bank account from the application under its clause',
          description:
            '6.11 (on request) and 10.4 (the contract ended): the whole unused advance. 3.7 (a year unused): less the operator’s actual ' +
            'bank cost (`bankFeeTiyn`) — the only clause that allows a deduction (400 BANK_FEE_NOT_ALLOWED otherwise). 4.1.2 (the client ' +
            'ended the contract for the operator’s breach, 10.4.2): with the client’s own bank fees (`clientBankFeesTiyn`, documented by ' +
            '`clientBankFeesDocument`), paid by the operator on top (400 CLIENT_FEES_NOT_ALLOWED otherwise).',
          security,
          params: IdParams('refundId'),
          body: Type.Object(
            {
              bankFeeTiyn: Type.Optional(
                Type.Integer({
                  minimum: 0,
                  description: '3.7 only: the operator’s actual bank cost of the transfer, kept from the refund, tiyn',
                }),
              ),
              clientBankFeesTiyn: Type.Optional(
                Type.Integer({
                  minimum: 0,
                  description: '4.1.2 only: the client’s bank fees, reimbursed on top, tiyn',
                }),
              ),
              clientBankFeesDocument: Type.Optional(
                Type.String({
                  minLength: 1,
                  maxLength: 500,
                  description: '4.1.2: the client’s document showing its bank fees (number, date)',
                }),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: RefundCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        decide(
          request.params.refundId,
          approveRefundUpdate,
          [{ staffId: requireStaff(request).staffUserId, ...request.body }],
          'REFUND_DECIDED',
        ),
    );

    app.post(
      '/refunds/:refundId/refuse',
      {
        config: { auth: accountants },
        schema: {
          tags: ['refunds'],
          summary:
            'Refuse the refund — refused in turn (409 REFUSAL_NOT_ALLOWED) when the client owes nothing and has no unfulfilled order in progress (6.11)',
          security,
          params: IdParams('refundId'),
          body: Type.Object(
            { reason: Type.String({ minLength: 5, maxLength: 5000 }) },
            { additionalProperties: false },
          ),
          response: { 200: RefundCase, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        decide(
          request.params.refundId,
          refuseRefundUpdate,
          [{ staffId: requireStaff(request).staffUserId, reason: request.body.reason }],
          'REFUSAL_NOT_ALLOWED',
        ),
    );
  };
