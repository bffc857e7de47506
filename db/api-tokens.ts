import { generateToken, hashToken, type TokenScope } from '../lib/api-tokens';
import type { Db } from './connection';
import { prepared } from './prepared';

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

export interface TokenOwner {
  id: string;
  client_id: string | null;
  staff_user_id: string | null;
  last_used_at: Date | null;
  scopes: TokenScope[];
  expires_at: Date | null;
  /** The staff user's, for a staff token. */
  roles: string[] | null;
  active: boolean | null;
  /** The client's, for a client token. */
  client_status: string | null;
}

const TOKEN_OWNER = `
  SELECT t.id, t.client_id, t.staff_user_id, t.last_used_at, t.scopes, t.expires_at, s.roles, s.active, c.status AS client_status
    FROM api_tokens t
    LEFT JOIN staff_users s ON s.id = t.staff_user_id
    LEFT JOIN clients c ON c.id = t.client_id
   WHERE t.token_hash = $1 AND t.revoked_at IS NULL`;

/** The unrevoked token with this hash and who holds it: one indexed lookup, prepared (it runs on every request). */
export async function tokenOwner(db: Db, tokenHash: string): Promise<TokenOwner | undefined> {
  const [row] = await prepared(db, 'token-owner', TOKEN_OWNER, [tokenHash]);
  return row;
}

/** Marks the token used now. */
export async function touchToken(db: Db, id: string): Promise<void> {
  await db('api_tokens').where({ id }).update({ last_used_at: db.fn.now() });
}
