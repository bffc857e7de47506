import type { Knex } from 'knex';
import { issueToken, revokeTokens } from '../../db/api-tokens';
import { revokeSessions } from '../../db/staff-sessions';
import { conflict, notFound } from '../http/errors';

/** Staff users, created and deactivated by an admin. */

/** A new staff user with a first API token, in one transaction; an e-mail already used → 409. */
export function createStaffUser(
  db: Knex,
  p: { name: string; email: string; roles: readonly string[] },
): Promise<{ staffUser: Record<string, any>; token: string }> {
  const { name, email, roles } = p;
  return db.transaction(async (trx) => {
    const [row] = await trx('staff_users')
      .insert({ name, email: email.toLowerCase(), roles })
      .onConflict('email')
      .ignore()
      .returning('*');
    if (!row) throw conflict('STAFF_USER_EXISTS', `A staff user with e-mail ${email} already exists`);
    const { token } = await issueToken(trx, { staffUserId: row.id }, 'first token');
    return { staffUser: row, token };
  });
}

/** Deactivates a staff user and, in the same transaction, revokes every token and session of theirs; unknown → 404. */
export function deactivateStaffUser(db: Knex, staffUserId: string, adminId: string): Promise<Record<string, any>> {
  return db.transaction(async (trx) => {
    const [row] = await trx('staff_users')
      .where({ id: staffUserId })
      .update({ active: false, deactivated_at: trx.fn.now(), deactivated_by: adminId })
      .returning('*');
    if (!row) throw notFound('staff user', staffUserId);
    await revokeTokens(trx, { staffUserId: row.id }, `staff:${adminId}`, 'staff user deactivated');
    await revokeSessions(trx, { staffUserId: row.id }, 'staff user deactivated');
    return row;
  });
}
