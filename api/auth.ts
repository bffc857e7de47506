import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { Db } from '../db/connection';
import { checkSession, SESSION_COOKIE } from '../db/staff-sessions';
import { hashToken, requiredScope, scopeAllows, type TokenScope } from '../lib/api-tokens';
import type { StaffRole } from '../lib/roles';
import { ApiError } from './errors';

export type Principal =
  | { kind: 'client'; clientId: string; tokenId: string; scopes: string[]; clientStatus: string; contractEnded?: boolean }
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
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

function presentedToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  // The order station's API (СУЗ) passes the client's token in a `clientToken` header.
  const clientToken = request.headers.clienttoken;
  return typeof clientToken === 'string' ? clientToken.trim() : undefined;
}

async function resolvePrincipal(db: Db, token: string): Promise<Principal | undefined> {
  const row = await db('api_tokens as t')
    .leftJoin('staff_users as s', 's.id', 't.staff_user_id')
    .leftJoin('clients as c', 'c.id', 't.client_id')
    .where('t.token_hash', hashToken(token))
    .whereNull('t.revoked_at')
    .first('t.id', 't.client_id', 't.staff_user_id', 't.last_used_at', 't.scopes', db.raw('(t.expires_at IS NOT NULL AND t.expires_at <= now()) AS expired'), 's.roles', 's.active', 'c.status as client_status');
  if (!row) return undefined;
  if (row.staff_user_id && !row.active) return undefined;
  if (row.expired) throw new ApiError(401, 'TOKEN_EXPIRED', 'The API token has expired: issue a new one in the cabinet, or ask the operator');
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db('api_tokens').where({ id: row.id }).update({ last_used_at: db.fn.now() });
  }
  return row.client_id
    ? { kind: 'client', clientId: row.client_id, tokenId: row.id, scopes: row.scopes, clientStatus: row.client_status, ...(row.client_status === 'terminated' ? { contractEnded: true } : {}) }
    : { kind: 'staff', staffUserId: row.staff_user_id, roles: row.roles, tokenId: row.id };
}

/** The console session cookie opens staff routes (/staff/...) only — never a client's or the order station's. */
function sessionCookie(request: FastifyRequest, auth: RouteAuth): string | undefined {
  if (!auth.staff?.length || !request.routeOptions.url?.startsWith('/staff/')) return undefined;
  const value = request.cookies?.[SESSION_COOKIE];
  return value ? value : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The staff user of a console session. Against cross-site request forgery, besides the cookie's SameSite=Strict:
 * a request that changes anything must come from the back office's own pages — its Origin header is the public
 * URL's origin, and it carries `x-requested-with` (a header no form can send, nor another site's script without
 * a CORS preflight the API never grants).
 */
async function resolveSession(db: Db, secret: string, request: FastifyRequest, publicUrl: string | undefined): Promise<Principal> {
  if (!SAFE_METHODS.has(request.method)) {
    const expected = publicUrl ? new URL(publicUrl).origin : undefined;
    const origin = request.headers.origin;
    if (!origin || origin !== expected || !request.headers['x-requested-with']) {
      throw new ApiError(403, 'CROSS_SITE_REQUEST', 'A console session changes nothing but from the back office’s own pages (same Origin and the x-requested-with header)');
    }
  }
  const session = await checkSession(db, secret);
  if (!session.ok) {
    throw session.reason === 'expired'
      ? new ApiError(401, 'SESSION_EXPIRED', 'The console session has ended: sign in again')
      : new ApiError(401, 'UNAUTHENTICATED', 'The console session is unknown or was ended: sign in again');
  }
  return { kind: 'staff', staffUserId: session.staffUserId, roles: session.roles, sessionId: session.sessionId };
}

/**
 * Checks each route's declared `config.auth` against the presented token — or, on staff routes without a token,
 * the console session cookie: 401, then 403.
 */
export const authPlugin = fp(async (app: FastifyInstance, options: { db: Db; publicUrl?: string }) => {
  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config?.auth;
    if (!auth) return;
    const token = presentedToken(request);
    const session = token ? undefined : sessionCookie(request, auth);
    if (!token && !session && auth.optional) return;
    if (!token && !session) throw new ApiError(401, 'UNAUTHENTICATED', 'An API token is required (Authorization: Bearer <token>)');
    const principal = token ? await resolvePrincipal(options.db, token) : await resolveSession(options.db, session!, request, options.publicUrl);
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'The API token is unknown or revoked');
    const refusal = refusalOf(principal, auth, request);
    // A public route answers anyone: a valid token that may not have the owner's view gets the public answer.
    if (refusal && auth.optional) return;
    if (refusal) throw refusal;
    request.principal = principal;
  });
});

/** Why this principal may not use this route (403), or undefined when it may. */
function refusalOf(principal: Principal, auth: RouteAuth, request: FastifyRequest): ApiError | undefined {
  const allowed = principal.kind === 'client' ? !!auth.client : (auth.staff ?? []).some((role) => principal.roles.includes(role));
  if (principal.kind === 'client' && principal.contractEnded && !auth.afterContractEnd) {
    return new ApiError(403, 'CONTRACT_ENDED', 'The contract has ended: this token may only present and read claims about its time (9.2-9.4)');
  }
  if (!allowed) return new ApiError(403, 'FORBIDDEN', 'This token may not use this route', { allowed: { client: !!auth.client, staffRoles: auth.staff ?? [] } });
  return principal.kind === 'client' ? clientTokenRefusal(principal, auth.scope ?? requiredScope(request.method, request.url)) : undefined;
}

/** A client token does what its scopes say; a suspended client's only reads. */
function clientTokenRefusal(principal: Extract<Principal, { kind: 'client' }>, needed: TokenScope): ApiError | undefined {
  if (!scopeAllows(principal.scopes, needed)) {
    return new ApiError(403, 'TOKEN_SCOPE', `This token is for ${principal.scopes.join(', ')}; this request needs the scope ${needed}`, { scopes: principal.scopes, needed });
  }
  if (principal.clientStatus === 'suspended' && needed !== 'cabinet_read') {
    return new ApiError(403, 'CLIENT_SUSPENDED', 'Access is suspended: the cabinet can be read, nothing can be ordered or changed');
  }
  return undefined;
}

export function requireClient(request: FastifyRequest): Extract<Principal, { kind: 'client' }> {
  if (request.principal?.kind !== 'client') throw new ApiError(403, 'FORBIDDEN', 'A client token is required');
  return request.principal;
}

export function requireStaff(request: FastifyRequest): Extract<Principal, { kind: 'staff' }> {
  if (request.principal?.kind !== 'staff') throw new ApiError(403, 'FORBIDDEN', 'A staff token is required');
  return request.principal;
}
