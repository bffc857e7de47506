import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { Client, toClient } from '../../schemas/clients';
import { authErrors } from '../../schemas/common';

export const clientMeRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/me',
      {
        config: { auth: { client: true } },
        schema: { tags: ['client'], summary: 'The client of the token', security: [{ clientToken: [] }], response: { 200: Client, ...authErrors } },
      },
      async (request) => toClient(await db('clients').where({ id: requireClient(request).clientId }).first()),
    );
  };
