import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { accountView, statementCsv, statementView, wholeStatement } from '../../views/account';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { Account, Statement, StatementQuery } from '../../schemas/account';
import { authErrors } from '../../schemas/common';
import { attachment } from '../../http/attachment';

/** The cabinet's personal account (3.5, 6.10, Прил. 2 п.8): balances, operations, exports. */
export const clientAccountRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, config } = deps;
    const security = [{ clientToken: [] }];

    app.get(
      '/account',
      {
        schema: {
          tags: ['cabinet'],
          summary: 'The personal account: available and reserved money, paid in, charged, the price in force (6.10)',
          security,
          response: { 200: Account, ...authErrors },
        },
      },
      async (request) => accountView(db, requireClient(request).clientId, deps),
    );

    app.get(
      '/account/statement',
      {
        schema: {
          tags: ['cabinet'],
          summary: 'Operations on the personal account, newest first, by period, paged',
          security,
          querystring: StatementQuery,
          response: { 200: Statement, ...authErrors },
        },
      },
      async (request) => statementView(db, requireClient(request).clientId, request.query, config),
    );

    app.get(
      '/account/statement.csv',
      {
        schema: {
          tags: ['cabinet'],
          summary:
            'The statement of a period as CSV for a Russian Excel (UTF-8 with BOM, `;`, CRLF, dd.MM.yyyy dates, tenge with a decimal comma, bank document numbers)',
          security,
          querystring: StatementQuery,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const lines = await wholeStatement(db, requireClient(request).clientId, request.query, config);
        const period = `${request.query.from ?? 'start'}_${request.query.to ?? 'now'}`;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', attachment(`statement_${period}.csv`))
          .send(statementCsv(lines, config));
      },
    );
  };
