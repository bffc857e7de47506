import { generateToken, hashToken, type TokenScope } from '../lib/api-tokens';
import type { Db } from './connection';

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
  return {
    id: row.id,
    token,
    scopes: row.scopes,
    expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
  };
}

/** Revokes tokens at once, recording who and why; already revoked ones keep their first revocation. */
export async function revokeTokens(
  db: Db,
  where: { id?: string; clientId?: string; staffUserId?: string },
  by: string,
  reason: string,
): Promise<number> {
  if (!where.id && !where.clientId && !where.staffUserId)
    throw new Error('revokeTokens: name the token, the client or the staff user');
  return db('api_tokens')
    .whereNull('revoked_at')
    .modify((q) => {
      if (where.id) q.where({ id: where.id });
      if (where.clientId) q.where({ client_id: where.clientId });
      if (where.staffUserId) q.where({ staff_user_id: where.staffUserId });
    })
    .update({ revoked_at: db.fn.now(), revoked_by: by, revoke_reason: reason });
}
