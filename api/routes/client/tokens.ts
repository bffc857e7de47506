import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { clientTokens, issueClientToken, revokeClientToken } from '../../intake/api-tokens';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { IssuedToken, IssueTokenBody, RevokeTokenBody, TokenInfo, TokenList } from '../../schemas/clients';
import { authErrors, errorResponses, IdParams } from '../../schemas/common';

const security = [{ clientToken: [] }];

/**
 * The client's own API tokens: listed with their last use, issued with a purpose (scopes) and a
 * life, revoked at once — rotation without downtime is a new token first, the old one revoked after.
 */
export const clientTokenRoutes =
  ({ db, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/tokens',
      {
        schema: {
          tags: ['clients'],
          summary: 'The client’s API tokens with scopes, expiry and last use (never the secrets)',
          security,
          response: { 200: TokenList, ...authErrors },
        },
      },
      async (request) => {
        const { clientId, tokenId } = requireClient(request);
        return { tokens: await clientTokens(db, clientId, tokenId) };
      },
    );

    app.post(
      '/tokens',
      {
        schema: {
          tags: ['clients'],
          summary:
            'Issue a new API token (needs the cabinet scope): e.g. a station-only token for the integration software',
          security,
          body: IssueTokenBody,
          response: { 201: IssuedToken, ...authErrors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await issueClientToken(db, requireClient(request).clientId, request.body, clock.now())),
    );

    app.post(
      '/tokens/:tokenId/revoke',
      {
        schema: {
          tags: ['clients'],
          summary: 'Revoke one of the client’s tokens at once (the one in use too)',
          security,
          params: IdParams('tokenId'),
          body: RevokeTokenBody,
          response: { 200: TokenInfo, ...authErrors, ...errorResponses(404) },
        },
      },
      async (request) => {
        const { clientId } = requireClient(request);
        return revokeClientToken(
          db,
          request.params.tokenId,
          'client',
          request.body.reason ?? 'revoked by the client',
          clientId,
        );
      },
    );
  };
