import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { Client, toClient } from '../../schemas/clients';
import { authErrors } from '../../schemas/common';
import { Notice, toNotice } from '../../schemas/notices';

export const clientMeRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { client: true };
    const security = [{ clientToken: [] }];

    app.get(
      '/me',
      { config: { auth }, schema: { tags: ['client'], summary: 'The client of the token', security, response: { 200: Client, ...authErrors } } },
      async (request) => toClient(await db('clients').where({ id: requireClient(request).clientId }).first()),
    );

    app.get(
      '/notices',
      {
        config: { auth },
        schema: {
          tags: ['client'],
          summary: 'Notices sent to the client, newest first',
          security,
          response: { 200: Type.Object({ notices: Type.Array(Notice) }), ...authErrors },
        },
      },
      async (request) => {
        const rows = await db('notices').where({ client_id: requireClient(request).clientId }).orderBy('created_at', 'desc').limit(200);
        return { notices: rows.map(toNotice) };
      },
    );
  };
