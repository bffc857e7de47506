import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CLIENT_PERSON_ROLES } from '../../../lib/client-roles';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { Client, toClient } from '../../schemas/clients';
import { authErrors, errorResponses, StringEnum, Uuid } from '../../schemas/common';
import { LanguageBody } from '../../schemas/profile';
import { conflict } from '../../http/errors';
import { clientLanguage } from '../../../db/client-profile-store';
import { personLanguage, setPersonLanguage } from '../../../db/user-language-store';
import { LANGUAGES } from '../../../lib/i18n/languages';
import type { FastifyRequest } from 'fastify';
import { clientById } from '../../views/clients';

/** The client, and — in a person's cabinet session — who the person is. */
const Me = Type.Object({
  ...Client.properties,
  language: StringEnum(LANGUAGES, { description: 'The language the client reads first (its e-mails, its cabinet)' }),
  person: Type.Optional(
    Type.Object(
      {
        id: Uuid,
        fullName: Type.String(),
        roles: Type.Array(StringEnum(CLIENT_PERSON_ROLES)),
        language: Type.Union([StringEnum(LANGUAGES), Type.Null()], {
          description: 'The language the person reads the cabinet in; null until chosen (then the client’s)',
        }),
      },
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
      async (request) => me(request),
    );

    app.put(
      '/me/language',
      {
        // Anyone of the company chooses their own language (a read's scope: no role needed).
        config: { auth: { scope: 'cabinet_read' as const } },
        schema: {
          tags: ['client'],
          summary:
            'The language the person of the cabinet session reads it in (kk or ru), kept for wherever they sign in; an API token keeps its choice in its browser',
          security: [{ clientToken: [] }],
          body: LanguageBody,
          response: { 200: Me, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request) => {
        const { clientId, person } = requireClient(request);
        if (!person)
          throw conflict('NO_PERSON', 'An API token is not a person: the cabinet keeps its language in the browser');
        await setPersonLanguage(db, clientId, person.id, request.body.language);
        return me(request);
      },
    );

    async function me(request: FastifyRequest) {
      const principal = requireClient(request);
      const [row, language] = await Promise.all([
        clientById(db, principal.clientId),
        clientLanguage(db, principal.clientId),
      ]);
      const client = { ...toClient(row), language };
      if (!principal.person) return client;
      const { id, fullName, roles } = principal.person;
      return { ...client, person: { id, fullName, roles, language: await personLanguage(db, id) } };
    }
  };
