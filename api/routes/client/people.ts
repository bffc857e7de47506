import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  addPerson,
  listPeople,
  listPersonActions,
  removePerson,
  updatePerson,
  type PersonChange,
} from '../../../db/client-people';
import { isValidBinIin } from '../../../lib/kz-identifiers';
import { requireClient, type Principal } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, conflict, notFound } from '../../http/errors';
import {
  AddPersonBody,
  ClientPeople,
  ClientPerson,
  PersonActions,
  PersonActionsQuery,
  UpdatePersonBody,
} from '../../schemas/client-people';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';

const security = [{ clientToken: [] }];

/** Who did it, as the people's record names it: the person of a session, or the API token. */
const actor = (p: Extract<Principal, { kind: 'client' }>) =>
  p.person ? `person:${p.person.id}` : `token:${p.tokenId}`;

function changed(result: PersonChange, personId: string) {
  if (result.ok) return result.person;
  if (result.reason === 'unknown') throw notFound('Person', personId);
  throw conflict(
    'LAST_ADMINISTRATOR',
    'The company keeps at least one administrator in the cabinet: make another person an administrator first',
  );
}

/**
 * The company's people in the cabinet (1.1): its administrator (or a token with the cabinet scope) adds
 * employees with their IIN and roles, changes their roles, removes them — their sessions end at once; every
 * person reads the list; what each did is recorded.
 */
export const clientPeopleRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/people',
      {
        schema: {
          tags: ['clients'],
          summary: 'The company’s people in the cabinet, with roles and last sign-in',
          security,
          response: { 200: ClientPeople, ...authErrors },
        },
      },
      async (request) => ({ people: await listPeople(db, requireClient(request).clientId) }),
    );

    app.post(
      '/people',
      {
        schema: {
          tags: ['clients'],
          summary: 'Add a person (administrator): they sign in with the EDS that names their IIN',
          security,
          body: AddPersonBody,
          response: { 201: ClientPerson, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const principal = requireClient(request);
        if (!isValidBinIin(request.body.iin))
          throw new ApiError(400, 'INVALID_IIN', 'The IIN’s check digit is wrong', { field: '/iin' });
        const person = await addPerson(db, {
          clientId: principal.clientId,
          ...request.body,
          createdBy: actor(principal),
        });
        if (!person)
          throw conflict(
            'PERSON_EXISTS',
            `A person with IIN ${request.body.iin} is already among the company’s people`,
          );
        return reply.status(201).send(person);
      },
    );

    app.patch(
      '/people/:personId',
      {
        schema: {
          tags: ['clients'],
          summary: 'Change a person’s roles, name or e-mail (administrator)',
          security,
          params: IdParams('personId'),
          body: UpdatePersonBody,
          response: { 200: ClientPerson, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        changed(
          await updatePerson(db, requireClient(request).clientId, request.params.personId, request.body),
          request.params.personId,
        ),
    );

    app.delete(
      '/people/:personId',
      {
        schema: {
          tags: ['clients'],
          summary: 'Remove a person (administrator): their cabinet sessions end at once',
          security,
          params: IdParams('personId'),
          response: { 200: ClientPerson, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const principal = requireClient(request);
        return changed(
          await removePerson(db, principal.clientId, request.params.personId, actor(principal)),
          request.params.personId,
        );
      },
    );

    app.get(
      '/people/actions',
      {
        schema: {
          tags: ['clients'],
          summary: 'What the company’s people did through their sessions, and their sign-ins, newest first',
          security,
          querystring: PersonActionsQuery,
          response: { 200: PersonActions, ...authErrors },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        const limit = request.query.limit ?? 100;
        const actions = await listPersonActions(db, {
          clientId,
          personId: request.query.personId,
          limit,
          before: request.query.before,
        });
        return { actions, nextBefore: actions.length === limit ? actions[actions.length - 1].id : null };
      },
    );
  };
