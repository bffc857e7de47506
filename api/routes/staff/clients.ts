import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { readHistory, readProfile } from '../../../db/client-profile-store';
import { openPersonalAccount } from '../../../db/personal-accounts';
import { checkDetails } from '../../../lib/joining/form';
import { isValidBinIin } from '../../../lib/kz-identifiers';
import { STAFF_ROLES } from '../../../lib/roles';
import { clientTokens, issueClientToken, revokeClientToken } from '../../api-tokens';
import { requireStaff } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, conflict, notFound } from '../../errors';
import { Client, CreateClientBody, IssuedToken, IssueTokenBody, RevokeTokenBody, toClient, TokenInfo, TokenList } from '../../schemas/clients';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';
import { History, Profile } from '../../schemas/profile';

const ClientParams = IdParams('clientId');

export const staffClientRoutes =
  ({ db, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/clients',
      {
        config: { auth: { staff: ['admin', 'moderator'] } },
        schema: {
          tags: ['clients'],
          summary: 'Register a client directly (staff), with the requisites its invoices and acts carry; clients normally join through the application process',
          security: [{ staffToken: [] }],
          body: CreateClientBody,
          response: { 201: Client, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const { binIin, name, email, requisites } = request.body;
        if (!isValidBinIin(binIin)) {
          throw new ApiError(400, 'VALIDATION_FAILED', 'binIin has an invalid check digit', [
            { location: 'body', path: '/binIin', message: 'invalid BIN/IIN check digit' },
          ]);
        }
        const problems = checkDetails(requisites);
        if (problems.length) {
          throw new ApiError(400, 'VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems.map((p) => ({ location: 'body', path: `/requisites${p.path}`, message: p.message })));
        }
        const row = await db.transaction(async (trx) => {
          const [row] = await trx('clients')
            .insert({ bin_iin: binIin, name, email: email.toLowerCase(), details: { ...requisites, email: email.toLowerCase() } })
            .onConflict('bin_iin')
            .ignore()
            .returning('*');
          if (!row) throw conflict('CLIENT_EXISTS', `A client with BIN/IIN ${binIin} already exists`);
          await openPersonalAccount(trx, row.id, clock.now());
          return row;
        });
        return reply.status(201).send(toClient(row));
      },
    );

    app.get(
      '/clients/:clientId',
      {
        config: { auth: { staff: STAFF_ROLES } },
        schema: { tags: ['clients'], summary: 'A client', security: [{ staffToken: [] }], params: ClientParams, response: { 200: Client, ...authErrors, ...errorResponses(404) } },
      },
      async (request) => {
        const row = await db('clients').where({ id: request.params.clientId }).first();
        if (!row) throw notFound('client', request.params.clientId);
        return toClient(row);
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
        const client = await db('clients').where({ id: request.params.clientId }).first();
        if (!client) throw notFound('client', request.params.clientId);
        return reply.status(201).send(await issueClientToken(db, client.id, request.body, clock.now()));
      },
    );

    app.get(
      '/clients/:clientId/tokens',
      {
        config: { auth: { staff: ['admin', 'support'] } },
        schema: { tags: ['clients'], summary: "A client's API tokens with scopes, expiry, last use and revocations", security: [{ staffToken: [] }], params: ClientParams, response: { 200: TokenList, ...authErrors, ...errorResponses(404) } },
      },
      async (request) => {
        if (!(await db('clients').where({ id: request.params.clientId }).first('id'))) throw notFound('client', request.params.clientId);
        return { tokens: await clientTokens(db, request.params.clientId) };
      },
    );

    app.post(
      '/client-tokens/:tokenId/revoke',
      {
        config: { auth: { staff: ['admin'] } },
        schema: { tags: ['clients'], summary: "Revoke a client's API token at once (admin), with the reason", security: [{ staffToken: [] }], params: IdParams('tokenId'), body: RevokeTokenBody, response: { 200: TokenInfo, ...authErrors, ...errorResponses(404) } },
      },
      async (request) => revokeClientToken(db, request.params.tokenId, `staff:${requireStaff(request).staffUserId}`, request.body.reason ?? 'revoked by the operator'),
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
        if (!(await db('clients').where({ id: request.params.clientId }).first())) throw notFound('client', request.params.clientId);
        return readHistory(db, request.params.clientId);
      },
    );
  };
