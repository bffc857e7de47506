import type { Knex } from 'knex';

/**
 * The EDS trust store's tables (migration 029, docs/EDS.md). Every change bumps
 * eds_trust_state.version in its transaction, which the store-backed verifiers read before each
 * check to reload without a restart.
 */

export interface TrustState {
  version: number;
  strictRevocation: boolean;
  signingTimeToleranceMinutes: number;
  directoryImportedAt: Date | null;
  changedAt: Date;
  changedBy: string | null;
}

export interface NewTrustedCertificate {
  der: Uint8Array;
  sha256: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  subjectKeyIdentifier?: string;
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  source: 'api' | 'directory';
  addedBy?: string;
  note?: string;
}

export interface NewCrl {
  der: Uint8Array;
  sha256: string;
  issuer: string;
  issuerKey: string;
  issuerCertificateId: string;
  crlNumber?: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: Array<{ serialNumber: string; revokedAt: string }>;
  importedBy?: string;
  note?: string;
}

const CERTIFICATE_COLUMNS = [
  'id',
  'sha256',
  'subject',
  'issuer',
  'serial_number',
  'subject_key_identifier',
  'not_before',
  'not_after',
  'self_signed',
  'source',
  'added_by',
  'added_at',
  'removed_by',
  'removed_at',
  'note',
];
const CRL_COLUMNS = [
  'id',
  'sha256',
  'issuer',
  'issuer_key',
  'issuer_certificate_id',
  'crl_number',
  'this_update',
  'next_update',
  'revoked_count',
  'imported_by',
  'imported_at',
  'note',
];

async function bump(trx: Knex, by?: string | null, changes: Record<string, unknown> = {}) {
  await trx('eds_trust_state')
    .where({ id: true })
    .update({ ...changes, version: trx.raw('version + 1'), changed_at: trx.fn.now(), changed_by: by ?? null });
}

export async function readTrustState(db: Knex): Promise<TrustState> {
  const row = await db('eds_trust_state').where({ id: true }).first();
  return {
    version: Number(row.version),
    strictRevocation: row.strict_revocation,
    signingTimeToleranceMinutes: row.signing_time_tolerance_minutes,
    directoryImportedAt: row.directory_imported_at,
    changedAt: row.changed_at,
    changedBy: row.changed_by,
  };
}

/** The cheap check a verifier makes before each verification. */
export async function trustVersion(db: Knex): Promise<number> {
  const row = await db('eds_trust_state').where({ id: true }).first('version');
  return Number(row.version);
}

/** What a verifier loads when the version changed: the active certificates' DER and the latest CRL of each issuer. */
export async function loadTrustRows(
  db: Knex,
): Promise<{ state: TrustState; certificates: Array<{ id: string; der: Buffer }>; crls: Buffer[] }> {
  return db.transaction(
    async (trx) => {
      const state = await readTrustState(trx);
      const certificates = await activeTrustedCertificates(trx);
      const crls = await trx
        .select('der')
        .from(
          trx('eds_crls')
            .distinctOn('issuer_key')
            .orderBy([
              { column: 'issuer_key' },
              { column: 'this_update', order: 'desc' },
              { column: 'imported_at', order: 'desc' },
            ])
            .as('current'),
        )
        .pluck('der');
      return { state, certificates, crls };
    },
    { isolationLevel: 'repeatable read', readOnly: true },
  );
}

export const activeTrustedCertificates = (db: Knex): Promise<Array<{ id: string; der: Buffer }>> =>
  db('eds_trusted_certificates').whereNull('removed_at').orderBy('added_at').select('id', 'der');

export async function countActiveTrustedCertificates(db: Knex): Promise<number> {
  const [{ n }] = await db('eds_trusted_certificates').whereNull('removed_at').count<{ n: string }[]>('* as n');
  return Number(n);
}

export const listTrustedCertificates = (db: Knex, options: { includeRemoved?: boolean } = {}) =>
  db('eds_trusted_certificates')
    .modify((q) => {
      if (!options.includeRemoved) q.whereNull('removed_at');
    })
    .orderBy('added_at')
    .select(...CERTIFICATE_COLUMNS, db.raw("encode(der, 'base64') as der_base64"));

export const trustedCertificateById = (db: Knex, id: string) =>
  db('eds_trusted_certificates')
    .where({ id })
    .first(...CERTIFICATE_COLUMNS, db.raw("encode(der, 'base64') as der_base64"));

export const activeTrustedCertificateBySha256 = (db: Knex, sha256: string) =>
  db('eds_trusted_certificates').where({ sha256 }).whereNull('removed_at').first('id');

/** Adds a certificate; `undefined` when the same certificate is trusted already. */
const certificateRow = (c: NewTrustedCertificate) => ({
  der: Buffer.from(c.der),
  sha256: c.sha256,
  subject: c.subject,
  issuer: c.issuer,
  serial_number: c.serialNumber,
  subject_key_identifier: c.subjectKeyIdentifier ?? null,
  not_before: c.notBefore,
  not_after: c.notAfter,
  self_signed: c.selfSigned,
  source: c.source,
  added_by: c.addedBy ?? null,
  note: c.note ?? null,
});

/** Inserts unless the same certificate is trusted (active) already; its id, or undefined. */
async function insertCertificate(trx: Knex, c: NewTrustedCertificate): Promise<{ id: string } | undefined> {
  const result = await trx.raw('? ON CONFLICT (sha256) WHERE removed_at IS NULL DO NOTHING RETURNING id', [
    trx('eds_trusted_certificates').insert(certificateRow(c)),
  ]);
  return result.rows[0];
}

/** Adds a certificate; `undefined` when the same certificate is trusted already. */
export async function addTrustedCertificate(db: Knex, c: NewTrustedCertificate): Promise<{ id: string } | undefined> {
  return db.transaction(async (trx) => {
    const row = await insertCertificate(trx, c);
    if (!row) return undefined;
    await bump(trx, c.addedBy);
    return row;
  });
}

/** Removes a trusted certificate: 'not_found', 'already_removed', or the row's id. */
export async function removeTrustedCertificate(
  db: Knex,
  id: string,
  by: string,
  note?: string,
): Promise<'not_found' | 'already_removed' | { id: string }> {
  return db.transaction(async (trx) => {
    const row = await trx('eds_trusted_certificates').where({ id }).forUpdate().first('id', 'removed_at', 'note');
    if (!row) return 'not_found';
    if (row.removed_at) return 'already_removed';
    await trx('eds_trusted_certificates')
      .where({ id })
      .update({
        removed_at: trx.fn.now(),
        removed_by: by,
        ...(note ? { note: row.note ? `${row.note}\n${note}` : note } : {}),
      });
    await bump(trx, by);
    return { id };
  });
}

export const crlBySha256 = (db: Knex, sha256: string) => db('eds_crls').where({ sha256 }).first('id');

export async function insertCrl(db: Knex, c: NewCrl): Promise<{ id: string }> {
  return db.transaction(async (trx) => {
    const [row] = await trx('eds_crls')
      .insert({
        der: Buffer.from(c.der),
        sha256: c.sha256,
        issuer: c.issuer,
        issuer_key: c.issuerKey,
        issuer_certificate_id: c.issuerCertificateId,
        crl_number: c.crlNumber ?? null,
        this_update: c.thisUpdate,
        next_update: c.nextUpdate ?? null,
        revoked: JSON.stringify(c.revoked),
        revoked_count: c.revoked.length,
        imported_by: c.importedBy ?? null,
        note: c.note ?? null,
      })
      .returning('id');
    await bump(trx, c.importedBy);
    return row;
  });
}

const LATEST =
  'NOT EXISTS (SELECT 1 FROM eds_crls n WHERE n.issuer_key = c.issuer_key AND (n.this_update, n.imported_at) > (c.this_update, c.imported_at)) AS latest';

/** Every imported CRL, newest first, with whether it is its issuer's latest (the one checks use). */
export const listCrls = (db: Knex, limit = 200) =>
  db('eds_crls as c')
    .orderBy('c.imported_at', 'desc')
    .limit(limit)
    .select(...CRL_COLUMNS.map((c) => `c.${c}`), db.raw(LATEST));

export const crlById = (db: Knex, id: string) =>
  db('eds_crls as c')
    .where('c.id', id)
    .first(...CRL_COLUMNS.map((c) => `c.${c}`), db.raw(LATEST));

export async function updateTrustSettings(
  db: Knex,
  p: { strictRevocation?: boolean; signingTimeToleranceMinutes?: number; by: string },
): Promise<TrustState> {
  await db.transaction(async (trx) => {
    const changes: Record<string, unknown> = {};
    if (p.strictRevocation !== undefined) changes.strict_revocation = p.strictRevocation;
    if (p.signingTimeToleranceMinutes !== undefined)
      changes.signing_time_tolerance_minutes = p.signingTimeToleranceMinutes;
    await bump(trx, p.by, changes);
  });
  return readTrustState(db);
}

/**
 * Imports the certificates of EDS_TRUSTED_CA_DIR once (a deployment from before the store keeps
 * working): only while no import has run and the directory holds certificates. Returns how many were added.
 */
export async function importDirectoryOnce(
  db: Knex,
  certificates: NewTrustedCertificate[],
): Promise<number | undefined> {
  if (certificates.length === 0) return undefined;
  return db.transaction(async (trx) => {
    const state = await trx('eds_trust_state').where({ id: true }).forUpdate().first('directory_imported_at');
    if (state.directory_imported_at) return undefined;
    let added = 0;
    for (const c of certificates) if (await insertCertificate(trx, { ...c, source: 'directory' })) added++;
    await bump(trx, null, { directory_imported_at: trx.fn.now() });
    return added;
  });
}

/** Refusals kept per hour from one address (or for one BIN/IIN): a flood of bad signatures cannot fill the database. */
export const REJECTIONS_KEPT_PER_HOUR = 20;

/**
 * A join application the public route refused for its signature, kept for the moderators — up to
 * REJECTIONS_KEPT_PER_HOUR from one address or for one BIN/IIN; beyond that undefined (not kept).
 */
export async function recordRejectedApplication(
  db: Knex,
  p: {
    binIin: string;
    email: string;
    form: unknown;
    signature: string;
    problems: unknown;
    signatureCheck: unknown;
    receivedAt: Date;
    clientIp?: string;
  },
) {
  const since = new Date(p.receivedAt.getTime() - 3_600_000);
  const recent = await db('join_application_rejections')
    .where('received_at', '>', since)
    .where((q) => void q.where({ bin_iin: p.binIin }).orWhere({ client_ip: p.clientIp ?? null }))
    .count<{ n: string }[]>('* as n');
  if (Number(recent[0].n) >= REJECTIONS_KEPT_PER_HOUR) return undefined;
  const [row] = await db('join_application_rejections')
    .insert({
      bin_iin: p.binIin,
      email: p.email,
      form: JSON.stringify(p.form),
      signature: p.signature,
      problems: JSON.stringify(p.problems),
      signature_check: JSON.stringify(p.signatureCheck),
      received_at: p.receivedAt,
      client_ip: p.clientIp ?? null,
    })
    .returning('id');
  return row as { id: string };
}

/** Refused applications, newest first. */
export const listRejectedApplications = (db: Knex, p: { binIin?: string; limit: number }) =>
  db('join_application_rejections')
    .modify((q) => {
      if (p.binIin) q.where({ bin_iin: p.binIin });
    })
    .orderBy('received_at', 'desc')
    .limit(p.limit)
    .select('id', 'bin_iin', 'email', 'form', 'problems', 'signature_check', 'received_at', 'client_ip');

/** Staff names by id, for who added, removed or imported what. */
export async function staffNames(db: Knex, ids: Array<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (wanted.length === 0) return new Map();
  const rows = await db('staff_users').whereIn('id', wanted).select('id', 'name');
  return new Map(rows.map((r: { id: string; name: string }) => [r.id, r.name]));
}
