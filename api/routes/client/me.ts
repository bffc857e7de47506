import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CLIENT_PERSON_ROLES } from '../../../lib/client-roles';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { Client, toClient } from '../../schemas/clients';
import { authErrors, StringEnum, Uuid } from '../../schemas/common';
import { clientById } from '../../views/clients';

/** The client, and — in a person's cabinet session — who the person is. */
const Me = Type.Object({
  ...Client.properties,
  person: Type.Optional(
    Type.Object(
      { id: Uuid, fullName: Type.String(), roles: Type.Array(StringEnum(CLIENT_PERSON_ROLES)) },
      { description: 'The person signed in with EDS (absent for an API token)' },
    ),
  ),
});

export const clientMeRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/me',
      {
        schema: {
          tags: ['client'],
          summary: 'The client of the token or of the person’s session',
          security: [{ clientToken: [] }],
          response: { 200: Me, ...authErrors },
        },
      },
      async (request) => {
        const principal = requireClient(request);
        const client = toClient(await clientById(db, principal.clientId));
        return principal.person
          ? {
              ...client,
              person: { id: principal.person.id, fullName: principal.person.fullName, roles: principal.person.roles },
            }
          : client;
      },
    );
  };
