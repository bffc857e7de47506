import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/connection';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new secret token; only its SHA-256 is stored. */
export const generateToken = (kind: 'client' | 'staff') => `ismet_${kind}_${randomBytes(32).toString('base64url')}`;

/** Creates a token row and returns the secret, shown once. */
export async function issueToken(
  db: Db,
  owner: { clientId: string } | { staffUserId: string },
  label: string,
): Promise<{ id: string; token: string }> {
  const kind = 'clientId' in owner ? 'client' : 'staff';
  const token = generateToken(kind);
  const [row] = await db('api_tokens')
    .insert({
      token_hash: hashToken(token),
      client_id: 'clientId' in owner ? owner.clientId : null,
      staff_user_id: 'staffUserId' in owner ? owner.staffUserId : null,
      label,
    })
    .returning('id');
  return { id: row.id, token };
}
