import type { Db } from '../../db/connection';
import { issueToken, revokeTokens } from '../../db/api-tokens';
import { tokenExpiry, TokenScope } from '../../lib/api-tokens';
import { notFound } from '../http/errors';

const toTokenInfo = (row: Record<string, any>, currentId?: string) => ({
  id: row.id,
  label: row.label,
  scopes: row.scopes,
  createdAt: new Date(row.created_at).toISOString(),
  lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  expiresAt: row.expires_at ? new Date(row.expires_at).toISOString() : null,
  revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  revokedBy: row.revoked_by ?? null,
  current: row.id === currentId,
});

/** A client's tokens, newest first, with their last use — never their secrets. */
export async function clientTokens(db: Db, clientId: string, currentId?: string) {
  return (await db('api_tokens').where({ client_id: clientId }).orderBy('created_at', 'desc')).map((row) =>
    toTokenInfo(row, currentId),
  );
}

/** A new client token with its scopes and life (rotation: issue the new one, then revoke the old). */
export function issueClientToken(
  db: Db,
  clientId: string,
  body: { label: string; scopes?: TokenScope[]; expiresInDays?: number },
  now: Date,
) {
  return issueToken(db, { clientId }, body.label, {
    scopes: body.scopes ?? ['station', 'cabinet'],
    expiresAt: tokenExpiry(now, body.expiresInDays),
  });
}

/** Revokes one of a client's tokens at once (by the client itself or by staff); another's is not found. */
export async function revokeClientToken(db: Db, tokenId: string, by: string, reason: string, clientId?: string) {
  const row = await db('api_tokens')
    .where({ id: tokenId })
    .modify((q) => void (clientId && q.where({ client_id: clientId })))
    .whereNotNull('client_id')
    .first();
  if (!row) throw notFound('token', tokenId);
  await revokeTokens(db, { id: tokenId }, by, reason);
  return toTokenInfo(await db('api_tokens').where({ id: tokenId }).first());
}
