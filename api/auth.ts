import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Db } from '../db/connection';
import { hashToken, requiredScope, scopeAllows } from '../lib/api-tokens';
import type { StaffRole } from '../lib/roles';
import { ApiError } from './errors';

export type Principal =
  | { kind: 'client'; clientId: string; tokenId: string; scopes: string[]; clientStatus: string; contractEnded?: boolean }
  | { kind: 'staff'; staffUserId: string; roles: StaffRole[]; tokenId: string };

/** What a route allows; routes without `auth` are public. */
export interface RouteAuth {
  client?: boolean;
  staff?: readonly StaffRole[];
  /** Anyone may call; a token, when presented, must be valid and tells who calls. */
  optional?: boolean;
  /** A client whose contract has ended may still call (its claims about the contract's time, 9.2-9.4). */
  afterContractEnd?: boolean;
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

/** Checks each route's declared `config.auth` against the presented token: 401, then 403. */
export const authPlugin = fp(async (app: FastifyInstance, options: { db: Db }) => {
  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config?.auth;
    if (!auth) return;
    const token = presentedToken(request);
    if (!token && auth.optional) return;
    if (!token) throw new ApiError(401, 'UNAUTHENTICATED', 'An API token is required (Authorization: Bearer <token>)');
    const principal = await resolvePrincipal(options.db, token);
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'The API token is unknown or revoked');
    const allowed =
      principal.kind === 'client' ? !!auth.client : (auth.staff ?? []).some((role) => principal.roles.includes(role));
    if (principal.kind === 'client' && principal.contractEnded && !auth.afterContractEnd) {
      throw new ApiError(403, 'CONTRACT_ENDED', 'The contract has ended: this token may only present and read claims about its time (9.2-9.4)');
    }
    if (principal.kind === 'client' && allowed) checkClientToken(principal, request);
    if (!allowed) {
      throw new ApiError(403, 'FORBIDDEN', 'This token may not use this route', {
        allowed: { client: !!auth.client, staffRoles: auth.staff ?? [] },
      });
    }
    request.principal = principal;
  });
});

/** A client token does what its scopes say; a suspended client's only reads. */
function checkClientToken(principal: Extract<Principal, { kind: 'client' }>, request: FastifyRequest): void {
  const needed = requiredScope(request.method, request.url);
  if (!scopeAllows(principal.scopes, needed)) {
    throw new ApiError(403, 'TOKEN_SCOPE', `This token is for ${principal.scopes.join(', ')}; this request needs the scope ${needed}`, { scopes: principal.scopes, needed });
  }
  if (principal.clientStatus === 'suspended' && needed !== 'cabinet_read') {
    throw new ApiError(403, 'CLIENT_SUSPENDED', 'Access is suspended: the cabinet can be read, nothing can be ordered or changed');
  }
}

export function requireClient(request: FastifyRequest): Extract<Principal, { kind: 'client' }> {
  if (request.principal?.kind !== 'client') throw new ApiError(403, 'FORBIDDEN', 'A client token is required');
  return request.principal;
}

export function requireStaff(request: FastifyRequest): Extract<Principal, { kind: 'staff' }> {
  if (request.principal?.kind !== 'staff') throw new ApiError(403, 'FORBIDDEN', 'A staff token is required');
  return request.principal;
}
