import type { Db } from '../../db/connection';
import { localDateIn } from '../../lib/calendar';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';

/** Powers of attorney of clients' representatives (9.4) as staff see them: with who recorded and who revoked them, and their standing today. */

type Deps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

const select = (db: Db) =>
  db('powers_of_attorney as p')
    .join('staff_users as r', 'r.id', 'p.recorded_by')
    .leftJoin('staff_users as v', 'v.id', 'p.revoked_by')
    .select('p.*', 'r.name as recorded_by_name', 'v.name as revoked_by_name');

function view({ clock, config }: Deps, p: Record<string, any>) {
  const today = localDateIn(config.operatorTimeZone, clock.now());
  const status = p.revoked_at
    ? 'revoked'
    : today < p.valid_from
      ? 'not_yet_valid'
      : today > p.valid_until
        ? 'expired'
        : 'valid';
  return {
    id: p.id,
    clientId: p.client_id,
    attorneyIin: p.attorney_iin,
    attorneyName: p.attorney_name,
    number: p.number,
    issuedOn: p.issued_on,
    validFrom: p.valid_from,
    validUntil: p.valid_until,
    scopes: p.scopes,
    note: p.note ?? null,
    status: status as 'valid' | 'not_yet_valid' | 'expired' | 'revoked',
    recordedAt: new Date(p.recorded_at).toISOString(),
    recordedBy: { id: p.recorded_by, name: p.recorded_by_name },
    revokedAt: p.revoked_at ? new Date(p.revoked_at).toISOString() : null,
    revokedBy: p.revoked_by ? { id: p.revoked_by, name: p.revoked_by_name } : null,
    revocationReason: p.revocation_reason ?? null,
  };
}

export async function powerOfAttorney(deps: Deps, id: string) {
  const row = await select(deps.db).where('p.id', id).first();
  if (!row) throw notFound('power of attorney', id);
  return view(deps, row);
}

/** 404 for a client that does not exist. */
export async function knownClient(db: Db, id: string) {
  if (!(await db('clients').where({ id }).first('id'))) throw notFound('client', id);
}

/** The client's powers of attorney, the latest valid first. */
export async function clientPowersOfAttorney(deps: Deps, clientId: string) {
  await knownClient(deps.db, clientId);
  const rows = await select(deps.db)
    .where('p.client_id', clientId)
    .orderByRaw('p.revoked_at IS NOT NULL, p.valid_until DESC, p.recorded_at DESC');
  return rows.map((row: Record<string, any>) => view(deps, row));
}
