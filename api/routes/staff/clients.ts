import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readHistory, readProfile } from '../../../db/client-profile-store';
import { Type } from 'typebox';
import { STAFF_ROLES } from '../../../lib/roles';
import { clientRegistrations, decideClientRegistration, proposeClient } from '../../intake/client-registrations';
import { clientTokens, issueClientToken, revokeClientToken } from '../../intake/api-tokens';
import { requireStaff } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { notFound } from '../../http/errors';
import { existingClient } from '../../views/clients';
import {
  Client,
  ClientRegistration,
  CreateClientBody,
  IssuedToken,
  IssueTokenBody,
  RevokeTokenBody,
  toClient,
  TokenInfo,
  TokenList,
} from '../../schemas/clients';
import { authErrors, errorResponses, IdParams, StringEnum } from '../../schemas/common';
import { History, Profile } from '../../schemas/profile';

const ClientParams = IdParams('clientId');
const DecisionBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);

export const staffClientRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, clock } = deps;
    app.post(
      '/clients',
      {
        config: { auth: { staff: ['admin', 'moderator'] } },
        schema: {
          tags: ['clients'],
          summary:
            'Propose registering a client directly, without an EDS application (clients normally join through one, 10.5)',
          description:
            'Nothing is created yet: 202 with the proposal, which another admin or moderator approves at /client-registrations/{id}/approve (the client and its personal account are created then, with the requisites its invoices and acts carry) or rejects. Both are recorded.',
          security: [{ staffToken: [] }],
          body: CreateClientBody,
          response: { 202: ClientRegistration, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) =>
        reply.status(202).send(await proposeClient(deps, requireStaff(request).staffUserId, request.body)),
    );

    app.get(
      '/client-registrations',
      {
        config: { auth: { staff: ['admin', 'moderator'] } },
        schema: {
          tags: ['clients'],
          summary: 'Clients registered without an application: proposed, approved or rejected, with who and when',
          security: [{ staffToken: [] }],
          querystring: Type.Object(
            { status: Type.Optional(StringEnum(['pending', 'approved', 'rejected'])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ registrations: Type.Array(ClientRegistration) }), ...authErrors },
        },
      },
      async (request) => ({ registrations: await clientRegistrations(deps, request.query.status) }),
    );

    app.post(
      '/client-registrations/:registrationId/approve',
      {
        config: { auth: { staff: ['admin', 'moderator'] } },
        schema: {
          tags: ['clients'],
          summary: 'Approve a proposed registration (a second person): the client is created, once',
          description: 'The person who proposed it cannot decide it (403 SAME_PERSON).',
          security: [{ staffToken: [] }],
          params: IdParams('registrationId'),
          body: DecisionBody,
          response: { 201: Client, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request, reply) => {
        const { client } = await decideClientRegistration(
          deps,
          requireStaff(request).staffUserId,
          request.params.registrationId,
          true,
          request.body.note,
        );
        return reply.status(201).send(toClient(client!));
      },
    );

    app.post(
      '/client-registrations/:registrationId/reject',
      {
        config: { auth: { staff: ['admin', 'moderator'] } },
        schema: {
          tags: ['clients'],
          summary: 'Reject a proposed registration (a second person): nothing is created',
          description: 'The person who proposed it cannot decide it (403 SAME_PERSON).',
          security: [{ staffToken: [] }],
          params: IdParams('registrationId'),
          body: DecisionBody,
          response: { 200: ClientRegistration, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) =>
        (
          await decideClientRegistration(
            deps,
            requireStaff(request).staffUserId,
            request.params.registrationId,
            false,
            request.body.note,
          )
        ).registration,
    );

    app.get(
      '/clients/:clientId',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['clients'],
          summary: 'A client',
          security: [{ staffToken: [] }],
          params: ClientParams,
          response: { 200: Client, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        return toClient(await existingClient(db, request.params.clientId));
      },
    );

    app.post(
      '/clients/:clientId/tokens',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['clients'],
          summary: "Issue an API token for a client's integration (admin), with its scopes and life",
          security: [{ staffToken: [] }],
          params: ClientParams,
          body: IssueTokenBody,
          response: { 201: IssuedToken, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request, reply) => {
        const client = await existingClient(db, request.params.clientId);
        return reply.status(201).send(await issueClientToken(db, client.id, request.body, clock.now()));
      },
    );

    app.get(
      '/clients/:clientId/tokens',
      {
        config: { auth: { staff: ['admin', 'support'] } },
        schema: {
          tags: ['clients'],
          summary: "A client's API tokens with scopes, expiry, last use and revocations",
          security: [{ staffToken: [] }],
          params: ClientParams,
          response: { 200: TokenList, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        await existingClient(db, request.params.clientId, 'id');
        return { tokens: await clientTokens(db, request.params.clientId) };
      },
    );

    app.post(
      '/client-tokens/:tokenId/revoke',
      {
        config: { auth: { staff: ['admin'] } },
        schema: {
          tags: ['clients'],
          summary: "Revoke a client's API token at once (admin), with the reason",
          security: [{ staffToken: [] }],
          params: IdParams('tokenId'),
          body: RevokeTokenBody,
          response: { 200: TokenInfo, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) =>
        revokeClientToken(
          db,
          request.params.tokenId,
          `staff:${requireStaff(request).staffUserId}`,
          request.body.reason ?? 'revoked by the operator',
        ),
    );

    app.get(
      '/clients/:clientId/profile',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['clients'],
          summary: "A client's details, personal account and consent (withdrawn consent shows here, 10.7.3)",
          security: [{ staffToken: [] }],
          params: ClientParams,
          response: { 200: Profile, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const profile = await readProfile(db, request.params.clientId);
        if (!profile) throw notFound('client', request.params.clientId);
        return profile;
      },
    );

    app.get(
      '/clients/:clientId/history',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: {
          tags: ['clients'],
          summary: "Every change of a client's details (10.2.2) and consent (10.7), newest first",
          security: [{ staffToken: [] }],
          params: ClientParams,
          response: { 200: History, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        await existingClient(db, request.params.clientId);
        return readHistory(db, request.params.clientId);
      },
    );
  };
