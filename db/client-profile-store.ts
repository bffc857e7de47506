import type { Language } from '../lib/i18n/languages';
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
    consent: {
      givenAt: iso(client.personal_data_consent_at),
      withdrawnAt: iso(client.personal_data_consent_withdrawn_at),
    },
    language: client.language as Language,
  };
}

/** The language a client reads first; Russian for no client (a ticket from an unknown sender). */
export async function clientLanguage(db: Db, clientId: string | null | undefined): Promise<Language> {
  if (!clientId) return 'ru';
  const row = await db('clients').where({ id: clientId }).first('language');
  return (row?.language as Language | undefined) ?? 'ru';
}

/** The language the client reads first (issue #21): kept as it chose; false when there is no such client. */
export async function setClientLanguage(db: Db, clientId: string, language: Language): Promise<boolean> {
  return (await db('clients').where({ id: clientId }).update({ language })) === 1;
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
      signed: c.signature_basis
        ? {
            basis: c.signature_basis,
            signer: {
              commonName: c.signer?.commonName ?? null,
              iin: c.signer?.iin ?? null,
              bin: c.signer?.bin ?? null,
            },
            signedAt: iso(c.signed_at),
            powerOfAttorneyId: c.power_of_attorney_id ?? null,
          }
        : null,
    })),
    consentEvents: consent.map((e) => ({ kind: e.kind, at: iso(e.at)!, note: e.note ?? null })),
  };
}

/** The client's BIN/IIN (the signer of its instructions is checked against it). */
export async function clientBinIin(db: Db, clientId: string): Promise<string | undefined> {
  return (await db('clients').where({ id: clientId }).first('bin_iin'))?.bin_iin;
}

/**
 * 10.2.2: the client's changed details, recorded with the version before and after — and, for the
 * bank details and the e-mail of record, the client's signed document (columns of signedColumns).
 * False when the client has no application details to change (registered directly by staff).
 */
export async function changeDetails(
  db: Db,
  c: {
    clientId: string;
    patch: Record<string, string>;
    occurredOn: string;
    reportedLate: boolean;
    at: Date;
    signed?: Record<string, unknown>;
  },
) {
  return db.transaction(async (trx) => {
    const client = await trx('clients').where({ id: c.clientId }).forUpdate().first();
    if (!client?.details) return false;
    const after = { ...client.details, ...c.patch };
    await trx('clients')
      .where({ id: c.clientId })
      .update({ details: after, name: after.companyName, email: after.email });
    await trx('client_detail_changes').insert({
      client_id: c.clientId,
      before: client.details,
      after,
      occurred_on: c.occurredOn,
      reported_late: c.reportedLate,
      changed_by_kind: 'client',
      changed_by_id: c.clientId,
      changed_at: c.at,
      ...c.signed,
    });
    return true;
  });
}

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

/** Records the withdrawal of consent to personal-data processing (10.7.3) with its event, in one transaction; false when it was withdrawn already. */
export function withdrawConsent(db: Db, clientId: string, at: Date, note: string | null): Promise<boolean> {
  return db.transaction(async (trx) => {
    const updated = await trx('clients')
      .where({ id: clientId })
      .whereNull('personal_data_consent_withdrawn_at')
      .update({ personal_data_consent_withdrawn_at: at });
    if (updated === 0) return false;
    await trx('consent_events').insert({ client_id: clientId, kind: 'withdrawn', at, note });
    return true;
  });
}
