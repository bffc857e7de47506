import type { Db } from './connection';
import { expiredColumn, insertSession, revokeSessionRows, touchSession } from './browser-sessions';
import { hashToken } from '../lib/api-tokens';
import type { ClientPersonRole } from '../lib/client-roles';

/**
 * The company's people (client_people), their cabinet sessions after signing in with EDS, the sign-in
 * challenges they sign, and the record of what each did (migration 033). The browser holds only a random
 * secret in an HttpOnly cookie; the database keeps its SHA-256.
 */

export const CLIENT_SESSION_COOKIE = 'ismet_client_session';
/** A session unused this long ends before its expiry. */
export const CLIENT_SESSION_IDLE_MINUTES = 60;
/** A sign-in challenge must come back signed within this. */
export const CHALLENGE_MINUTES = 5;

export interface ClientPerson {
  id: string;
  clientId: string;
  iin: string;
  fullName: string;
  email: string | null;
  roles: ClientPersonRole[];
  createdAt: string;
  createdBy: string;
  removedAt: string | null;
  removedBy: string | null;
  lastSignInAt: string | null;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);
const personOf = (r: Record<string, any>): ClientPerson => ({
  id: r.id,
  clientId: r.client_id,
  iin: r.iin,
  fullName: r.full_name,
  email: r.email,
  roles: r.roles,
  createdAt: iso(r.created_at)!,
  createdBy: r.created_by,
  removedAt: iso(r.removed_at),
  removedBy: r.removed_by,
  lastSignInAt: iso(r.last_sign_in_at),
});

export async function listPeople(
  db: Db,
  clientId: string,
  options: { includeRemoved?: boolean } = {},
): Promise<ClientPerson[]> {
  const rows = await db('client_people')
    .where({ client_id: clientId })
    .modify((q) => void (options.includeRemoved ? q : q.whereNull('removed_at')))
    .orderBy([{ column: 'removed_at', order: 'desc', nulls: 'first' }, { column: 'full_name' }]);
  return rows.map(personOf);
}

export async function personById(db: Db, clientId: string, personId: string): Promise<ClientPerson | undefined> {
  const row = await db('client_people').where({ client_id: clientId, id: personId }).first();
  return row ? personOf(row) : undefined;
}

/** Adds a person; undefined when the company already has a current person with this IIN. */
export async function addPerson(
  db: Db,
  p: {
    clientId: string;
    iin: string;
    fullName: string;
    email?: string | null;
    roles: readonly ClientPersonRole[];
    createdBy: string;
  },
): Promise<ClientPerson | undefined> {
  const [row] = await db('client_people')
    .insert({
      client_id: p.clientId,
      iin: p.iin,
      full_name: p.fullName,
      email: p.email ?? null,
      roles: [...new Set(p.roles)],
      created_by: p.createdBy,
    })
    .onConflict(db.raw('(client_id, iin) WHERE removed_at IS NULL'))
    .ignore()
    .returning('*');
  return row ? personOf(row) : undefined;
}

/** How many current administrators the company has, the rows locked (no two removals race past the last one). */
async function lockedAdministrators(trx: Db, clientId: string): Promise<string[]> {
  const rows = await trx('client_people')
    .where({ client_id: clientId })
    .whereNull('removed_at')
    .whereRaw(`roles @> ARRAY['admin']::text[]`)
    .forUpdate()
    .select('id');
  return rows.map((r: { id: string }) => r.id);
}

export type PersonChange = { ok: true; person: ClientPerson } | { ok: false; reason: 'unknown' | 'last_administrator' };

/** Changes a current person's roles, name or e-mail; the last administrator keeps the role. */
export async function updatePerson(
  db: Db,
  clientId: string,
  personId: string,
  change: { roles?: readonly ClientPersonRole[]; fullName?: string; email?: string | null },
): Promise<PersonChange> {
  return db.transaction(async (trx) => {
    const admins = await lockedAdministrators(trx, clientId);
    const current = await trx('client_people')
      .where({ client_id: clientId, id: personId })
      .whereNull('removed_at')
      .forUpdate()
      .first();
    if (!current) return { ok: false, reason: 'unknown' } as const;
    if (change.roles && !change.roles.includes('admin') && admins.length === 1 && admins[0] === personId)
      return { ok: false, reason: 'last_administrator' } as const;
    const [row] = await trx('client_people')
      .where({ id: personId })
      .update({
        ...(change.roles ? { roles: [...new Set(change.roles)] } : {}),
        ...(change.fullName !== undefined ? { full_name: change.fullName } : {}),
        ...(change.email !== undefined ? { email: change.email } : {}),
      })
      .returning('*');
    return { ok: true, person: personOf(row) } as const;
  });
}

/** Removes a person: their sessions end at once. The last administrator stays. */
export async function removePerson(db: Db, clientId: string, personId: string, by: string): Promise<PersonChange> {
  return db.transaction(async (trx) => {
    const admins = await lockedAdministrators(trx, clientId);
    if (admins.length === 1 && admins[0] === personId) return { ok: false, reason: 'last_administrator' } as const;
    const [row] = await trx('client_people')
      .where({ client_id: clientId, id: personId })
      .whereNull('removed_at')
      .update({ removed_at: trx.fn.now(), removed_by: by })
      .returning('*');
    if (!row) return { ok: false, reason: 'unknown' } as const;
    await revokeClientSessions(trx, { personId }, `person removed by ${by}`);
    return { ok: true, person: personOf(row) } as const;
  });
}

/** The current people with this IIN at clients whose contract has not ended, with their company. */
export async function peopleWithIin(db: Db, iin: string) {
  return db('client_people as p')
    .join('clients as c', 'c.id', 'p.client_id')
    .where('p.iin', iin)
    .whereNull('p.removed_at')
    .whereNot('c.status', 'terminated')
    .select('p.id', 'p.client_id', 'p.roles', 'p.full_name', 'c.bin_iin', 'c.name');
}

/**
 * Who may become a company's first administrator by signing in, when it has none: the person who signed its
 * joining application (their IIN, as the signature check recorded it), or the individual entrepreneur whose
 * IIN is the client's. Returns the clients (not terminated, without a current administrator) `iin` may so open.
 */
export async function clientsAwaitingFirstAdministrator(db: Db, iin: string) {
  return db('clients as c')
    .leftJoin('join_applications as j', 'j.id', 'c.join_application_id')
    .whereNot('c.status', 'terminated')
    .where((q) => q.where('c.bin_iin', iin).orWhereRaw(`j.signature_check->'signer'->>'iin' = ?`, [iin]))
    .whereNotExists((q) =>
      q
        .select(db.raw('1'))
        .from('client_people as p')
        .whereRaw('p.client_id = c.id')
        .whereNull('p.removed_at')
        .whereRaw(`p.roles @> ARRAY['admin']::text[]`),
    )
    .select('c.id as client_id', 'c.bin_iin', 'c.name');
}

export async function createChallenge(
  db: Db,
  document: (id: string) => string,
): Promise<{ id: string; document: string; expiresAt: Date }> {
  await db('client_sign_in_challenges').where('expires_at', '<', db.fn.now()).delete();
  return db.transaction(async (trx) => {
    const [{ id }] = await trx
      .raw(`SELECT gen_random_uuid() AS id`)
      .then((r: { rows: Array<{ id: string }> }) => r.rows);
    const text = document(id);
    const [row] = await trx('client_sign_in_challenges')
      .insert({ id, document: text, expires_at: trx.raw(`now() + make_interval(mins => ?)`, [CHALLENGE_MINUTES]) })
      .returning(['expires_at']);
    return { id, document: text, expiresAt: new Date(row.expires_at) };
  });
}

/** The challenge's text, taken once (deleted); undefined when unknown, used or too old. */
export async function takeChallenge(db: Db, id: string): Promise<string | undefined> {
  const [row] = await db('client_sign_in_challenges').where({ id }).delete().returning('*');
  if (!row || new Date(row.expires_at).getTime() <= Date.now()) return undefined;
  return row.document;
}

export async function createClientSession(
  db: Db,
  p: {
    personId: string;
    clientId: string;
    minutes: number;
    certificateSerial?: string;
    ip?: string;
    userAgent?: string;
  },
): Promise<{ id: string; secret: string; expiresAt: Date }> {
  const session = await insertSession(
    db,
    'client_sessions',
    { person_id: p.personId, client_id: p.clientId, certificate_serial: p.certificateSerial ?? null },
    p,
  );
  await db('client_people').where({ id: p.personId }).update({ last_sign_in_at: db.fn.now() });
  return session;
}

export type ClientSessionCheck =
  | {
      ok: true;
      sessionId: string;
      personId: string;
      clientId: string;
      roles: ClientPersonRole[];
      clientStatus: string;
      fullName: string;
    }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'removed' };

/**
 * The person a cabinet session cookie speaks for — checked on every request: unknown, revoked, past its expiry
 * or idle, or its person removed from the company, it opens nothing.
 */
export async function checkClientSession(db: Db, secret: string): Promise<ClientSessionCheck> {
  const row = await db('client_sessions as x')
    .join('client_people as p', 'p.id', 'x.person_id')
    .join('clients as c', 'c.id', 'x.client_id')
    .where('x.token_hash', hashToken(secret))
    .first(
      'x.id',
      'x.person_id',
      'x.client_id',
      'x.revoked_at',
      'x.last_seen_at',
      'p.roles',
      'p.full_name',
      'p.removed_at',
      'c.status as client_status',
      expiredColumn(db, CLIENT_SESSION_IDLE_MINUTES),
    );
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.removed_at) {
    await revokeClientSessions(db, { personId: row.person_id }, 'person removed');
    return { ok: false, reason: 'removed' };
  }
  if (row.expired) return { ok: false, reason: 'expired' };
  await touchSession(db, 'client_sessions', row);
  return {
    ok: true,
    sessionId: row.id,
    personId: row.person_id,
    clientId: row.client_id,
    roles: row.roles,
    clientStatus: row.client_status,
    fullName: row.full_name,
  };
}

/** Ends sessions at once: one (by its secret), every one of a person, or every one of a company. */
export async function revokeClientSessions(
  db: Db,
  which: { secret: string } | { personId: string } | { clientId: string },
  reason: string,
): Promise<number> {
  const where =
    'secret' in which ? which : 'personId' in which ? { person_id: which.personId } : { client_id: which.clientId };
  return (await revokeSessionRows(db, 'client_sessions', where, reason, ['id'])).length;
}

/** One line of what a person did: a change through their session, or signing in and out. */
export async function recordPersonAction(
  db: Db,
  a: {
    clientId: string;
    personId: string;
    sessionId?: string | null;
    method: string;
    route: string;
    path: string;
    statusCode: number;
  },
): Promise<void> {
  await db('client_person_actions').insert({
    client_id: a.clientId,
    person_id: a.personId,
    session_id: a.sessionId ?? null,
    method: a.method,
    route: a.route,
    path: a.path.slice(0, 1000),
    status_code: a.statusCode,
  });
}

/** The company's record of its people's actions, newest first. */
export async function listPersonActions(
  db: Db,
  p: { clientId: string; personId?: string; limit: number; before?: number },
) {
  const rows = await db('client_person_actions as a')
    .join('client_people as p', 'p.id', 'a.person_id')
    .where('a.client_id', p.clientId)
    .modify((q) => {
      if (p.personId) q.where('a.person_id', p.personId);
      if (p.before) q.where('a.id', '<', p.before);
    })
    .orderBy('a.id', 'desc')
    .limit(p.limit)
    .select('a.*', 'p.full_name', 'p.iin');
  return rows.map((r: Record<string, any>) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    personId: r.person_id,
    personName: r.full_name,
    personIin: r.iin,
    method: r.method,
    route: r.route,
    path: r.path,
    statusCode: r.status_code,
  }));
}
