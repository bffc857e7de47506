import { randomBytes } from 'node:crypto';
import type { Db } from './connection';
import { expiredColumn, insertSession, revokeSessionRows, touchSession } from './browser-sessions';
import { hashToken } from '../lib/api-tokens';
import type { StaffRole } from '../lib/roles';

/**
 * The staff consoles' server-side sessions (after signing in through the OpenID Connect provider)
 * and the sign-in record. The browser holds only a random secret in an HttpOnly cookie; the database
 * keeps its SHA-256, the person, the expiry and the last use.
 */

/** The session cookie: HttpOnly, SameSite=Strict, Secure behind https, path / (the consoles call /staff/v1). */
export const SESSION_COOKIE = 'ismet_staff_session';
/** The cookie of an authorization request under way (SameSite=Lax: it comes back with the provider's redirect). */
export const SIGN_IN_COOKIE = 'ismet_staff_sign_in';
/** A session unused this long ends before its expiry. */
export const SESSION_IDLE_MINUTES = 60;
/** An authorization request must come back within this. */
export const SIGN_IN_REQUEST_MINUTES = 10;

export type SessionCheck =
  | { ok: true; sessionId: string; staffUserId: string; roles: StaffRole[] }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'inactive' };

export const createSession = (
  db: Db,
  staffUserId: string,
  options: { minutes: number; ip?: string; userAgent?: string },
) => insertSession(db, 'staff_sessions', { staff_user_id: staffUserId }, options);

/**
 * The person a session cookie speaks for — checked on every request: unknown, revoked, past its expiry or
 * idle, or its staff user deactivated (then the session is revoked too), it opens nothing.
 */
export async function checkSession(db: Db, secret: string): Promise<SessionCheck> {
  const row = await db('staff_sessions as x')
    .join('staff_users as s', 's.id', 'x.staff_user_id')
    .where('x.token_hash', hashToken(secret))
    .first(
      'x.id',
      'x.staff_user_id',
      'x.revoked_at',
      'x.last_seen_at',
      's.roles',
      's.active',
      expiredColumn(db, SESSION_IDLE_MINUTES),
    );
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (!row.active) {
    await revokeSessions(db, { staffUserId: row.staff_user_id }, 'staff user deactivated');
    return { ok: false, reason: 'inactive' };
  }
  if (row.expired) return { ok: false, reason: 'expired' };
  await touchSession(db, 'staff_sessions', row);
  return { ok: true, sessionId: row.id, staffUserId: row.staff_user_id, roles: row.roles };
}

/** Ends sessions at once: one (by its secret or id) or every one of a staff user. */
export async function revokeSessions(
  db: Db,
  which: { secret: string } | { id: string } | { staffUserId: string },
  reason: string,
): Promise<Array<{ id: string; staffUserId: string }>> {
  const where = 'secret' in which ? which : 'id' in which ? { id: which.id } : { staff_user_id: which.staffUserId };
  const rows = await revokeSessionRows(db, 'staff_sessions', where, reason, ['id', 'staff_user_id']);
  return rows.map((r: { id: string; staff_user_id: string }) => ({ id: r.id, staffUserId: r.staff_user_id }));
}

export interface ProviderPerson {
  issuer: string;
  subject: string;
}

/** The staff user a person at the provider signed in as before (its `iss` + `sub`). */
export const staffUserOfPerson = (db: Db, person: ProviderPerson) =>
  db('staff_users').where({ oidc_issuer: person.issuer, oidc_subject: person.subject }).first();

export const staffUserByEmail = (db: Db, email: string) =>
  db('staff_users').whereRaw('lower(email) = ?', [email.toLowerCase()]).first();

/** Binds a person at the provider to a staff user not bound yet; undefined if bound meanwhile. */
export async function bindPerson(db: Db, staffUserId: string, person: ProviderPerson) {
  const [user] = await db('staff_users')
    .where({ id: staffUserId })
    .whereNull('oidc_subject')
    .update({ oidc_issuer: person.issuer, oidc_subject: person.subject })
    .returning('*');
  return user;
}

/** The sign-in record, newest first. */
export async function listSignIns(db: Db, p: { staffUserId?: string; limit: number }) {
  const rows = await db('staff_sign_ins')
    .modify((q) => void (p.staffUserId && q.where({ staff_user_id: p.staffUserId })))
    .orderBy('id', 'desc')
    .limit(p.limit);
  return rows.map((r: Record<string, any>) => ({
    at: new Date(r.at).toISOString(),
    outcome: r.outcome,
    staffUserId: r.staff_user_id,
    issuer: r.issuer,
    subject: r.subject,
    email: r.email,
    ip: r.ip,
    userAgent: r.user_agent,
    detail: r.detail,
  }));
}

export type SignInOutcome =
  'signed_in' | 'signed_out' | 'refused_unknown' | 'refused_inactive' | 'refused_conflict' | 'failed';

/** One line of the sign-in record: who (as the provider named them, and the staff user), when, from where, and what came of it. */
export async function recordSignIn(
  db: Db,
  entry: {
    outcome: SignInOutcome;
    staffUserId?: string | null;
    sessionId?: string | null;
    issuer?: string;
    subject?: string;
    email?: string | null;
    ip?: string;
    userAgent?: string;
    detail?: string;
  },
): Promise<void> {
  await db('staff_sign_ins').insert({
    outcome: entry.outcome,
    staff_user_id: entry.staffUserId ?? null,
    session_id: entry.sessionId ?? null,
    issuer: entry.issuer ?? null,
    subject: entry.subject ?? null,
    email: entry.email ?? null,
    ip: entry.ip ?? null,
    user_agent: entry.userAgent?.slice(0, 500) ?? null,
    detail: entry.detail?.slice(0, 1000) ?? null,
  });
}

export interface SignInRequest {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** Keeps an authorization request under way; the browser gets the returned key in the sign-in cookie. */
export async function saveSignInRequest(db: Db, request: SignInRequest): Promise<string> {
  const key = randomBytes(32).toString('base64url');
  await db('staff_sign_in_requests').where('expires_at', '<', db.fn.now()).delete();
  await db('staff_sign_in_requests').insert({
    id_hash: hashToken(key),
    state: request.state,
    nonce: request.nonce,
    code_verifier: request.codeVerifier,
    return_to: request.returnTo,
    expires_at: db.raw(`now() + make_interval(mins => ?)`, [SIGN_IN_REQUEST_MINUTES]),
  });
  return key;
}

/** The request under the key, taken once (deleted); undefined when unknown or too old. */
export async function takeSignInRequest(db: Db, key: string): Promise<SignInRequest | undefined> {
  const [row] = await db('staff_sign_in_requests')
    .where({ id_hash: hashToken(key) })
    .delete()
    .returning('*');
  if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, returnTo: row.return_to };
}
