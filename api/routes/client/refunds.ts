import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { requestRefund } from '../../lifecycle';
import { authErrors, errorResponses } from '../../schemas/common';
import { Refund, toRefund } from '../../schemas/lifecycle';

/** Refunds of unused money (6.11): asked for by the client, answered within 15 calendar days. */
export const clientRefundRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { client: true };
    const security = [{ clientToken: [] }];

    app.post(
      '/refunds',
      {
        config: { auth },
        schema: {
          tags: ['refunds'],
          summary: 'Ask for the unused money back (6.11): answered within 15 calendar days, paid to the bank account from the application less the actual bank fee',
          security,
          body: Type.Object(
            {
              amountTiyn: Type.Optional(Type.Integer({ minimum: 1, description: 'Part of the unused balance; without it, all of it' })),
              note: Type.Optional(Type.String({ maxLength: 2000 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Refund, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => reply.status(201).send(toRefund(await requestRefund(deps, { clientId: requireClient(request).clientId, ...request.body }))),
    );

    app.get(
      '/refunds',
      { config: { auth }, schema: { tags: ['refunds'], summary: 'The client’s refunds, newest first', security, response: { 200: Type.Object({ refunds: Type.Array(Refund) }), ...authErrors } } },
      async (request) => ({ refunds: (await deps.db('refund_requests').where({ client_id: requireClient(request).clientId }).orderBy('requested_at', 'desc')).map(toRefund) }),
    );
  };
