import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret token; only its SHA-256 is stored. */
export const generateToken = (kind: 'client' | 'staff') => `ismet_${kind}_${randomBytes(32).toString('base64url')}`;

/**
 * What a client token may do: `station` — the order station's API (/api/v2), what an integrator
 * pastes into its software; `cabinet_read` — read the cabinet; `cabinet` — the whole cabinet.
 */
export const TOKEN_SCOPES = ['station', 'cabinet_read', 'cabinet'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The scope a request needs: the order station's routes `station`; reading `cabinet_read`; anything else `cabinet`. */
export function requiredScope(method: string, url: string): TokenScope {
  if (url.startsWith('/api/v2/')) return 'station';
  return method === 'GET' || method === 'HEAD' ? 'cabinet_read' : 'cabinet';
}

/** A client token lives a year unless asked otherwise: rotated before, it never stops an integration. */
export const DEFAULT_TOKEN_DAYS = 365;
export const tokenExpiry = (now: Date, days = DEFAULT_TOKEN_DAYS) => new Date(now.getTime() + days * 86_400_000);

/** Whether a token's scopes cover the one needed (the whole cabinet includes reading it). */
export const scopeAllows = (scopes: readonly string[], needed: TokenScope) => scopes.includes(needed) || (needed === 'cabinet_read' && scopes.includes('cabinet'));

/** Creates a token row and returns the secret, shown once. */
export async function issueToken(
  db: Db,
  owner: { clientId: string } | { staffUserId: string },
  label: string,
  options: { scopes?: readonly TokenScope[]; expiresAt?: Date | null } = {},
): Promise<{ id: string; token: string; scopes: TokenScope[]; expiresAt: string | null }> {
  const kind = 'clientId' in owner ? 'client' : 'staff';
  const token = generateToken(kind);
  const [row] = await db('api_tokens')
    .insert({
      token_hash: hashToken(token),
      client_id: 'clientId' in owner ? owner.clientId : null,
      staff_user_id: 'staffUserId' in owner ? owner.staffUserId : null,
      label,
      ...(options.scopes ? { scopes: [...new Set(options.scopes)] } : {}),
      expires_at: options.expiresAt ?? null,
    })
    .returning(['id', 'scopes', 'expires_at']);
  return { id: row.id, token, scopes: row.scopes, expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null };
}

/** Revokes tokens at once, recording who and why; already revoked ones keep their first revocation. */
export async function revokeTokens(db: Db, where: { id?: string; clientId?: string; staffUserId?: string }, by: string, reason: string): Promise<number> {
  if (!where.id && !where.clientId && !where.staffUserId) throw new Error('revokeTokens: name the token, the client or the staff user');
  return db('api_tokens')
    .whereNull('revoked_at')
    .modify((q) => {
      if (where.id) q.where({ id: where.id });
      if (where.clientId) q.where({ client_id: where.clientId });
      if (where.staffUserId) q.where({ staff_user_id: where.staffUserId });
    })
    .update({ revoked_at: db.fn.now(), revoked_by: by, revoke_reason: reason });
}
