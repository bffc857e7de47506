import { openPersonalAccount } from '../../db/personal-accounts';
import { checkDetails } from '../../lib/joining/form';
import { isValidBinIin } from '../../lib/kz-identifiers';
import type { AppDeps } from '../http/deps';
import { ApiError, conflict, notFound } from '../http/errors';

type Deps = Pick<AppDeps, 'db' | 'clock'>;

export interface DirectRegistration {
  binIin: string;
  name: string;
  email: string;
  requisites: Record<string, string>;
  grounds: string;
}

export const toRegistration = (row: Record<string, any>) => ({
  id: row.id,
  binIin: row.bin_iin,
  name: row.name,
  email: row.email,
  requisites: row.requisites,
  grounds: row.grounds,
  status: row.status,
  proposedBy: row.proposed_by,
  proposedAt: new Date(row.proposed_at).toISOString(),
  decidedBy: row.decided_by ?? null,
  decidedAt: row.decided_at ? new Date(row.decided_at).toISOString() : null,
  decisionNote: row.decision_note ?? null,
  clientId: row.client_id ?? null,
});

function checkRegistration(r: DirectRegistration) {
  if (!isValidBinIin(r.binIin)) {
    throw new ApiError(400, 'VALIDATION_FAILED', 'binIin has an invalid check digit', [
      { location: 'body', path: '/binIin', message: 'invalid BIN/IIN check digit' },
    ]);
  }
  const problems = checkDetails(r.requisites);
  if (problems.length) {
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      problems.map((p) => p.message).join('; '),
      problems.map((p) => ({ location: 'body', path: `/requisites${p.path}`, message: p.message })),
    );
  }
}

/**
 * A client joins by its EDS-signed application (10.5); registered by staff without one, it is a
 * proposal with its grounds until a second person approves it — nobody alone creates a client that
 * can order codes and be paid refunds.
 */
export async function proposeClient(deps: Deps, staffId: string, r: DirectRegistration) {
  checkRegistration(r);
  const email = r.email.toLowerCase();
  return deps.db.transaction(async (trx) => {
    if (await trx('clients').where({ bin_iin: r.binIin }).first('id'))
      throw conflict('CLIENT_EXISTS', `A client with BIN/IIN ${r.binIin} already exists`);
    const [row] = await trx('client_registrations')
      .insert({
        bin_iin: r.binIin,
        name: r.name,
        email,
        requisites: { ...r.requisites, email },
        grounds: r.grounds,
        proposed_by: staffId,
        proposed_at: deps.clock.now(),
      })
      .onConflict(trx.raw("(bin_iin) WHERE status = 'pending'"))
      .ignore()
      .returning('*');
    if (!row)
      throw conflict(
        'REGISTRATION_PENDING',
        `A registration of BIN/IIN ${r.binIin} already waits for a second person's decision`,
      );
    return toRegistration(row);
  });
}

export const clientRegistrations = async (deps: Deps, status?: string) =>
  (
    await deps
      .db('client_registrations')
      .modify((q) => void (status && q.where({ status })))
      .orderBy('proposed_at', 'desc')
      .limit(500)
  ).map(toRegistration);

/** A second person approves (the client and its personal account are created, once) or rejects; the proposer cannot. */
export async function decideClientRegistration(
  deps: Deps,
  staffId: string,
  id: string,
  approve: boolean,
  note: string | undefined,
) {
  return deps.db.transaction(async (trx) => {
    const row = await trx('client_registrations').where({ id }).forUpdate().first();
    if (!row) throw notFound('client registration', id);
    if (row.status !== 'pending') throw conflict('ALREADY_DECIDED', `The registration was ${row.status} already`);
    if (row.proposed_by === staffId)
      throw new ApiError(
        403,
        'SAME_PERSON',
        'A client registered without an application is approved or rejected by a second person, not by the one who proposed it',
      );
    const now = deps.clock.now();
    let client: Record<string, any> | undefined;
    if (approve) {
      [client] = await trx('clients')
        .insert({ bin_iin: row.bin_iin, name: row.name, email: row.email, details: row.requisites })
        .onConflict('bin_iin')
        .ignore()
        .returning('*');
      if (!client) throw conflict('CLIENT_EXISTS', `A client with BIN/IIN ${row.bin_iin} was registered meanwhile`);
      await openPersonalAccount(trx, client.id, now);
    }
    const [decided] = await trx('client_registrations')
      .where({ id })
      .update({
        status: approve ? 'approved' : 'rejected',
        decided_by: staffId,
        decided_at: now,
        decision_note: note ?? null,
        client_id: client?.id ?? null,
      })
      .returning('*');
    return { registration: toRegistration(decided), client };
  });
}
