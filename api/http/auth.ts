import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { Db } from '../../db/connection';
import { tokenOwner, touchToken } from '../../db/api-tokens';
import { checkClientSession, CLIENT_SESSION_COOKIE, recordPersonAction } from '../../db/client-people';
import { checkSession, SESSION_COOKIE } from '../../db/staff-sessions';
import { hashToken, requiredScope, scopeAllows, type TokenScope } from '../../lib/api-tokens';
import { CLIENT_ROLE_NAMES_RU, personMay, type ClientPersonRole } from '../../lib/client-roles';
import type { StaffRole } from '../../lib/roles';
import { ApiError } from './errors';
import { startTokenCache, type TokenCache } from './token-cache';

export type Principal =
  /**
   * A client API token (`tokenId`, its `scopes`), or a person of the company signed in to the cabinet with
   * EDS (`person`: their session and roles — lib/client-roles.ts says what each role may change).
   */
  | {
      kind: 'client';
      clientId: string;
      tokenId?: string;
      scopes: string[];
      clientStatus: string;
      contractEnded?: boolean;
      person?: { id: string; sessionId: string; roles: ClientPersonRole[]; fullName: string };
    }
  /** A staff API token (`tokenId`), or a console session after signing in through the OpenID Connect provider (`sessionId`). */
  | { kind: 'staff'; staffUserId: string; roles: StaffRole[]; tokenId?: string; sessionId?: string };

/** What a route allows; routes without `auth` are public. */
export interface RouteAuth {
  client?: boolean;
  staff?: readonly StaffRole[];
  /** Anyone may call; a token, when presented, must be valid and tells who calls. */
  optional?: boolean;
  /** A client whose contract has ended may still call (its claims about the contract's time, 9.2-9.4). */
  afterContractEnd?: boolean;
  /** The client token scope the route needs, when its method does not say it (a read sent as POST). */
  scope?: TokenScope;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** The person of a cabinet session, set before the route's check: what they tried is recorded, refusals too. */
    actingPerson?: { clientId: string; personId: string; sessionId: string };
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Open to anyone under a prefix whose routes are otherwise a client's (api/http/audiences.ts). */
    public?: boolean;
  }
}

function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  // The order station's API (СУЗ) passes the client's token in a `clientToken` header.
  const clientToken = request.headers.clienttoken;
  return typeof clientToken === 'string' ? clientToken.trim() : undefined;
}

async function resolvePrincipal(db: Db, token: string, cache?: TokenCache): Promise<Principal | undefined> {
  const hash = hashToken(token);
  let row = cache?.get(hash);
  if (!row) {
    const generation = cache?.generation ?? 0;
    row = await tokenOwner(db, hash);
    if (row) cache?.set(hash, row, generation);
  }
  if (!row) return undefined;
  if (row.staff_user_id && !row.active) return undefined;
  if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now())
    throw new ApiError(
      401,
      'TOKEN_EXPIRED',
      'The API token has expired: issue a new one in the cabinet, or ask the operator',
    );
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await touchToken(db, row.id);
    row.last_used_at = new Date();
  }
  return row.client_id
    ? {
        kind: 'client',
        clientId: row.client_id,
        tokenId: row.id,
        scopes: row.scopes,
        clientStatus: row.client_status!,
        ...(row.client_status === 'terminated' ? { contractEnded: true } : {}),
      }
    : { kind: 'staff', staffUserId: row.staff_user_id!, roles: row.roles as StaffRole[], tokenId: row.id };
}

/**
 * The console session cookie opens staff routes (/staff/...) only — never a client's or the order station's;
 * a client person's cabinet session cookie opens the client's routes (/client/..., the order station /api/v2/...) only.
 */
function sessionCookie(
  request: FastifyRequest,
  auth: RouteAuth,
): { kind: 'staff' | 'client'; secret: string } | undefined {
  const url = request.routeOptions.url ?? '';
  if (auth.staff?.length && url.startsWith('/staff/')) {
    const secret = request.cookies?.[SESSION_COOKIE];
    return secret ? { kind: 'staff', secret } : undefined;
  }
  if (auth.client && (url.startsWith('/client/') || url.startsWith('/api/v2/'))) {
    const secret = request.cookies?.[CLIENT_SESSION_COOKIE];
    return secret ? { kind: 'client', secret } : undefined;
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes that only build the exact document to sign (POST for their body): nothing changes, nothing to record. */
const PREPARES_DOCUMENT = /\/document$/;

/**
 * The staff user of a console session. Against cross-site request forgery, besides the cookie's SameSite=Strict:
 * a request that changes anything must come from the back office's own pages — its Origin header is the public
 * URL's origin, and it carries `x-requested-with` (a header no form can send, nor another site's script without
 * a CORS preflight the API never grants).
 */
export function refuseCrossSite(request: FastifyRequest, publicUrl: string | undefined) {
  if (SAFE_METHODS.has(request.method)) return;
  const expected = publicUrl ? new URL(publicUrl).origin : undefined;
  const origin = request.headers.origin;
  if (!origin || origin !== expected || !request.headers['x-requested-with']) {
    throw new ApiError(
      403,
      'CROSS_SITE_REQUEST',
      'A session changes nothing but from the back office’s own pages (same Origin and the x-requested-with header)',
    );
  }
}

async function resolveSession(
  db: Db,
  secret: string,
  request: FastifyRequest,
  publicUrl: string | undefined,
): Promise<Principal> {
  refuseCrossSite(request, publicUrl);
  const session = await checkSession(db, secret);
  if (!session.ok) {
    throw session.reason === 'expired'
      ? new ApiError(401, 'SESSION_EXPIRED', 'The console session has ended: sign in again')
      : new ApiError(401, 'UNAUTHENTICATED', 'The console session is unknown or was ended: sign in again');
  }
  return { kind: 'staff', staffUserId: session.staffUserId, roles: session.roles, sessionId: session.sessionId };
}

/** The person of a cabinet session (signed in with EDS), checked as a console session is. */
async function resolveClientSession(
  db: Db,
  secret: string,
  request: FastifyRequest,
  publicUrl: string | undefined,
): Promise<Principal> {
  refuseCrossSite(request, publicUrl);
  const session = await checkClientSession(db, secret);
  if (!session.ok) {
    throw session.reason === 'expired'
      ? new ApiError(401, 'SESSION_EXPIRED', 'The cabinet session has ended: sign in again')
      : new ApiError(
          401,
          'UNAUTHENTICATED',
          session.reason === 'removed'
            ? 'You are no longer among the company’s people in the cabinet'
            : 'The cabinet session is unknown or was ended: sign in again',
        );
  }
  return {
    kind: 'client',
    clientId: session.clientId,
    scopes: ['cabinet', 'station'],
    clientStatus: session.clientStatus,
    ...(session.clientStatus === 'terminated' ? { contractEnded: true } : {}),
    person: { id: session.personId, sessionId: session.sessionId, roles: session.roles, fullName: session.fullName },
  };
}

/**
 * Checks each route's declared `config.auth` against the presented token — or, on staff routes without a token,
 * the console session cookie: 401, then 403.
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: { db: Db; publicUrl?: string; tokenCacheSeconds?: number }) => {
    const cache = options.tokenCacheSeconds
      ? startTokenCache(options.db, { seconds: options.tokenCacheSeconds, log: app.log })
      : undefined;
    if (cache) app.addHook('onClose', () => cache.close());
    app.addHook('onRequest', async (request) => {
      const auth = request.routeOptions.config?.auth;
      if (!auth) return;
      const token = presentedToken(request);
      const session = token ? undefined : sessionCookie(request, auth);
      if (!token && !session && auth.optional) return;
      if (!token && !session)
        throw new ApiError(401, 'UNAUTHENTICATED', 'An API token is required (Authorization: Bearer <token>)');
      const principal = token
        ? await resolvePrincipal(options.db, token, cache)
        : session!.kind === 'staff'
          ? await resolveSession(options.db, session!.secret, request, options.publicUrl)
          : await resolveClientSession(options.db, session!.secret, request, options.publicUrl);
      if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'The API token is unknown or revoked');
      if (principal.kind === 'client' && principal.person)
        request.actingPerson = {
          clientId: principal.clientId,
          personId: principal.person.id,
          sessionId: principal.person.sessionId,
        };
      const refusal = refusalOf(principal, auth, request);
      // A public route answers anyone: a valid token that may not have the owner's view gets the public answer.
      if (refusal && auth.optional) return;
      if (refusal) throw refusal;
      request.principal = principal;
    });
    // What a person of the company changed through their cabinet session is recorded with them (issue #17).
    app.addHook('onResponse', async (request, reply) => {
      const person = request.actingPerson;
      if (!person || SAFE_METHODS.has(request.method) || PREPARES_DOCUMENT.test(request.routeOptions.url ?? '')) return;
      await recordPersonAction(options.db, {
        clientId: person.clientId,
        personId: person.personId,
        sessionId: person.sessionId,
        method: request.method,
        route: request.routeOptions.url ?? request.url,
        path: request.url,
        statusCode: reply.statusCode,
      }).catch((error) => request.log.error({ err: error }, 'recording a person’s action failed'));
    });
  },
);

/** Why this principal may not use this route (403), or undefined when it may. */
function refusalOf(principal: Principal, auth: RouteAuth, request: FastifyRequest): ApiError | undefined {
  const allowed =
    principal.kind === 'client' ? !!auth.client : (auth.staff ?? []).some((role) => principal.roles.includes(role));
  if (principal.kind === 'client' && principal.contractEnded && !auth.afterContractEnd) {
    return new ApiError(
      403,
      'CONTRACT_ENDED',
      'The contract has ended: this token may only present and read claims about its time (9.2-9.4)',
    );
  }
  if (!allowed)
    return new ApiError(403, 'FORBIDDEN', 'This token may not use this route', {
      allowed: { client: !!auth.client, staffRoles: auth.staff ?? [] },
    });
  if (principal.kind !== 'client') return undefined;
  const needed = auth.scope ?? requiredScope(request.method, request.url);
  return (
    (principal.person
      ? personRoleRefusal(principal.person.roles, auth, request)
      : tokenScopeRefusal(principal.scopes, needed)) ?? suspendedRefusal(principal.clientStatus, needed)
  );
}

/** A person changes only what their roles cover (lib/client-roles.ts). */
function personRoleRefusal(roles: ClientPersonRole[], auth: RouteAuth, request: FastifyRequest): ApiError | undefined {
  const may = personMay(roles, {
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    scope: auth.scope,
  });
  if (may.ok) return undefined;
  return new ApiError(
    403,
    'PERSON_ROLE',
    `This needs the role «${CLIENT_ROLE_NAMES_RU[may.needed]}» (${may.needed}) in the company's cabinet; ask its administrator`,
    { roles, needed: may.needed },
  );
}

/** A client token does what its scopes say. */
function tokenScopeRefusal(scopes: string[], needed: TokenScope): ApiError | undefined {
  if (scopeAllows(scopes, needed)) return undefined;
  return new ApiError(
    403,
    'TOKEN_SCOPE',
    `This token is for ${scopes.join(', ')}; this request needs the scope ${needed}`,
    { scopes, needed },
  );
}

/** A suspended client — by token or by its people — only reads. */
function suspendedRefusal(clientStatus: string, needed: TokenScope): ApiError | undefined {
  if (clientStatus !== 'suspended' || needed === 'cabinet_read') return undefined;
  return new ApiError(
    403,
    'CLIENT_SUSPENDED',
    'Access is suspended: the cabinet can be read, nothing can be ordered or changed',
  );
}

export function requireClient(request: FastifyRequest): Extract<Principal, { kind: 'client' }> {
  if (request.principal?.kind !== 'client') throw new ApiError(403, 'FORBIDDEN', 'A client token is required');
  return request.principal;
}

export function requireStaff(request: FastifyRequest): Extract<Principal, { kind: 'staff' }> {
  if (request.principal?.kind !== 'staff') throw new ApiError(403, 'FORBIDDEN', 'A staff token is required');
  return request.principal;
}
