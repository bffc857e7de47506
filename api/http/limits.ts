import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { errorResponses } from '../schemas/common';
import type { AppDeps } from './deps';
import { ApiError } from './errors';

/**
 * Limits of the HTTP API (issue #19).
 *
 * **Rate** (`@fastify/rate-limit`, one window of a minute, counted in this process): a request with a valid API
 * token counts against the token (`RATE_LIMIT_TOKEN_PER_MINUTE`), one of a signed-in session against the
 * session; any other — the routes open without a token: sign-in, join applications, the public pages and
 * `/v1/*`, the order station's `/version` — against the caller's address (`RATE_LIMIT_PUBLIC_PER_MINUTE`; behind a
 * proxy, set `TRUST_PROXY` so that the address is the caller's, not the proxy's).
 * Over the limit: 429 `RATE_LIMITED` in the route's error shape with `Retry-After` (seconds) and the
 * `x-ratelimit-*` headers. `/health` and `/ready` (probes) are never limited. Counted after authentication
 * (a refused token costs nothing: tokens are 256-bit random) and before validation.
 *
 * **Body**: `BODY_LIMIT` for every route; the routes that carry files or long lists raise it to
 * `UPLOAD_BODY_LIMIT` (`uploadBodyLimit`). Over it: 413 `BODY_TOO_LARGE`.
 */

/** Defaults when the embedding code gives none (the values of lib/config.ts). */
export const DEFAULT_LIMITS = {
  uploadBodyLimit: 50_331_648,
  rateLimitPublicPerMinute: 1200,
  rateLimitTokenPerMinute: 3000,
};

const UNLIMITED = new Set(['/health', '/ready']);

/** The limiter's key: the token or session of who is calling, else the address. */
export function rateLimitKey(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.tokenId) return `token:${principal.tokenId}`;
  if (principal?.kind === 'client' && principal.person) return `session:${principal.person.sessionId}`;
  if (principal?.kind === 'staff' && principal.sessionId) return `session:${principal.sessionId}`;
  return `ip:${request.ip}`;
}

export function rateLimitOptions(config: AppDeps['config']): RateLimitPluginOptions {
  const perAddress = config.rateLimitPublicPerMinute ?? DEFAULT_LIMITS.rateLimitPublicPerMinute;
  const perToken = config.rateLimitTokenPerMinute ?? DEFAULT_LIMITS.rateLimitTokenPerMinute;
  return {
    global: true,
    hook: 'preValidation',
    timeWindow: 60_000,
    keyGenerator: rateLimitKey,
    max: (_request, key) => (key.startsWith('ip:') ? perAddress : perToken),
    allowList: (request) => UNLIMITED.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (request, context) => {
      const retryAfter = Math.max(1, Math.ceil(context.ttl / 1000));
      const key = rateLimitKey(request);
      const who = key.startsWith('ip:') ? 'this address' : key.startsWith('token:') ? 'this token' : 'this session';
      return new ApiError(
        429,
        'RATE_LIMITED',
        `Too many requests: ${who} may make ${context.max} a minute; retry in ${retryAfter} s`,
        { limit: context.max, windowSeconds: 60, retryAfterSeconds: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    },
  };
}

/** The larger body limit of the routes that carry files or long lists. */
export const uploadBodyLimit = (config: AppDeps['config']) => config.uploadBodyLimit ?? DEFAULT_LIMITS.uploadBodyLimit;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REQUEST_PARTS = ['params', 'querystring', 'body', 'headers'];
const AUTHENTICATED_PREFIXES = ['/client/', '/staff/v1/'];

/**
 * A route's schema with the answers any route may give declared in its `response` (as `ErrorResponse`), unless
 * the route declares them itself: 400 (bad parameters or body), 401/403 (routes behind a token), 413 and 415 (a
 * body too large or of a type the route does not take), 429 (the rate limit), 503 (PostgreSQL or Temporal out of
 * reach, or a process too slow to answer). The order station's routes declare
 * theirs in `RestResult` (api/http/order-station/route-schema.ts); the docs' own pages are left alone. A route
 * declaring no success answer (a file or a page) gets a 200 of any body, as the OpenAPI document showed it before.
 */
export function declareCommonAnswers(
  schema: Record<string, unknown>,
  route: Pick<RouteOptions, 'method' | 'url' | 'config'>,
): Record<string, unknown> {
  if (schema.hide || route.url.startsWith('/api/v2') || UNLIMITED.has(route.url)) return schema;
  const methods = [route.method].flat().map((m) => m.toUpperCase());
  const config = route.config as { auth?: { optional?: boolean }; public?: boolean } | undefined;
  const takesBody = methods.some((m) => BODY_METHODS.has(m));
  const authenticated =
    !config?.public &&
    ((config?.auth && !config.auth.optional) || AUTHENTICATED_PREFIXES.some((p) => route.url.startsWith(p)));
  const codes: number[] = [429, 503];
  if (takesBody || REQUEST_PARTS.some((part) => schema[part])) codes.push(400);
  if (takesBody) codes.push(413, 415);
  if (authenticated) codes.push(401, 403);
  else if (config?.auth?.optional) codes.push(401);
  const response = { ...(schema.response as Record<string, unknown> | undefined) };
  // A route that declares no success (a file, a page) answers 200 as before: said so, any body.
  if (!Object.keys(response).some((code) => /^[23]/.test(code)))
    response[200] = { description: 'The document (see the operation’s summary for its media type)' };
  const declared = errorResponses(...codes);
  for (const code of codes) if (!(code in response) && !(String(code) in response)) response[code] = declared[code];
  return { ...schema, response };
}
