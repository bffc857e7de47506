import type { Db } from './connection';

/** A client's details, consent and their history, as the client and staff see them. */

export async function readProfile(db: Db, clientId: string) {
  const client = await db('clients').where({ id: clientId }).first();
  if (!client) return undefined;
  const account = await db('personal_accounts').where({ client_id: clientId }).first();
  return {
    id: client.id,
    binIin: client.bin_iin,
    status: client.status,
    details: client.details ?? null,
    joinedOn: client.joined_on ?? null,
    effectiveFrom: client.effective_from ?? null,
    personalAccount: account ? { number: account.number, status: account.status } : null,
    consent: { givenAt: iso(client.personal_data_consent_at), withdrawnAt: iso(client.personal_data_consent_withdrawn_at) },
  };
}

export async function readHistory(db: Db, clientId: string) {
  const [changes, consent] = await Promise.all([
    db('client_detail_changes').where({ client_id: clientId }).orderBy('id', 'desc'),
    db('consent_events').where({ client_id: clientId }).orderBy('id', 'desc'),
  ]);
  return {
    detailChanges: changes.map((c) => ({
      id: c.id,
      occurredOn: c.occurred_on,
      reportedLate: c.reported_late,
      changedBy: c.changed_by_kind,
      changedAt: iso(c.changed_at)!,
      before: c.before,
      after: c.after,
    })),
    consentEvents: consent.map((e) => ({ kind: e.kind, at: iso(e.at)!, note: e.note ?? null })),
  };
}

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);
