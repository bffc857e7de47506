import { randomBytes } from 'node:crypto';
import type { Db } from './connection';
import { hashToken } from '../lib/api-tokens';

/**
 * What the staff consoles' sessions (staff_sessions) and the cabinet's sessions of the company's people
 * (client_sessions) share: the browser holds only a random secret in an HttpOnly cookie, the database keeps
 * its SHA-256, the expiry, the last use and, once ended, when and why. Each table's owner columns differ.
 */
export type SessionTable = 'staff_sessions' | 'client_sessions';

/** A last use is written at most this often, so that reads do not each write. */
const LAST_SEEN_EVERY_MS = 60_000;

export async function insertSession(
  db: Db,
  table: SessionTable,
  owner: Record<string, unknown>,
  options: { minutes: number; ip?: string; userAgent?: string },
): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const secret = randomBytes(32).toString('base64url');
  const [row] = await db(table)
    .insert({
      ...owner,
      token_hash: hashToken(secret),
      expires_at: db.raw(`now() + make_interval(mins => ?)`, [options.minutes]),
      ip: options.ip ?? null,
      user_agent: options.userAgent?.slice(0, 500) ?? null,
    })
    .returning(['id', 'expires_at']);
  return { id: row.id, secret, expiresAt: new Date(row.expires_at) };
}

/** The `expired` column of a session row aliased `x`: past its expiry, or unused for `idleMinutes`. */
export const expiredColumn = (db: Db, idleMinutes: number) =>
  db.raw('(x.expires_at <= now() OR x.last_seen_at <= now() - make_interval(mins => ?)) AS expired', [idleMinutes]);

/** Records that a session was used (at most once a minute). */
export async function touchSession(db: Db, table: SessionTable, row: { id: string; last_seen_at: string | Date }) {
  if (Date.now() - new Date(row.last_seen_at).getTime() > LAST_SEEN_EVERY_MS)
    await db(table).where({ id: row.id }).update({ last_seen_at: db.fn.now() });
}

/** Ends the sessions still open that `where` selects (by `secret` as its hash), with the reason; returns the rows ended. */
export function revokeSessionRows(
  db: Db,
  table: SessionTable,
  where: Record<string, unknown> | { secret: string },
  reason: string,
  returning: string[],
) {
  const condition = 'secret' in where ? { token_hash: hashToken(where.secret as string) } : where;
  return db(table)
    .where(condition)
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now(), revoke_reason: reason })
    .returning(returning);
}
