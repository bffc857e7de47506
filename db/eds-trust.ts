import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type * as pkijs from 'pkijs';
import {
  activeTrustedCertificates,
  addTrustedCertificate,
  countActiveTrustedCertificates,
  crlBySha256,
  importDirectoryOnce,
  insertCrl,
  loadTrustRows,
  trustVersion,
  type NewTrustedCertificate,
} from './eds-trust-store';
import type { Db } from './connection';
import {
  certificateFromInput,
  certificatesFromPem,
  createEdsVerifierFrom,
  InvalidCertificateError,
  InvalidCrlError,
  crlSigner,
  describeCrl,
  issuerKey,
  loadTrustedCertificates,
  parseCrl,
  type EdsTrustMaterial,
  type EdsVerifier,
  type GostProvider,
  type RevocationList,
} from '../lib/eds';
import {
  basicConstraints,
  formatName,
  keyUsages,
  label,
  serialHex,
  subjectKeyIdentifier,
} from '../lib/eds/certificate';
import { hex, isDeltaCrl } from '../lib/eds/crl';

/** What /health and the start banner say when nothing is trusted yet. */
export const NO_TRUSTED_CA_WARNING =
  "No trusted CA certificates: every EDS signature (joining, acts, claims) is refused until an admin adds NCA RK's root and intermediate certificates (POST /staff/v1/eds/trusted-certificates, docs/EDS.md).";

/**
 * The EDS verifier of a process, backed by the trust store in PostgreSQL: before each check it
 * reads the store's version (one row) and reloads the certificates and CRLs when an admin changed them.
 */
export function createStoreEdsVerifier(db: Db, options: { gost?: GostProvider } = {}): EdsVerifier {
  let cached: { version: number; material: Promise<EdsTrustMaterial> } | undefined;
  async function material(): Promise<EdsTrustMaterial> {
    const version = await trustVersion(db);
    if (!cached || cached.version !== version) {
      const loading = loadMaterial(db);
      cached = { version, material: loading };
      loading.catch(() => {
        if (cached?.material === loading) cached = undefined;
      });
    }
    return cached.material;
  }
  return createEdsVerifierFrom(material, options.gost);
}

async function loadMaterial(db: Db): Promise<EdsTrustMaterial> {
  const rows = await loadTrustRows(db);
  const trusted = rows.certificates.map((row) => certificateFromInput(new Uint8Array(row.der)).certificate);
  // Each CRL was checked against a trusted CA at import; one whose CA was removed since no longer counts.
  const crls: RevocationList[] = [];
  for (const der of rows.crls) {
    const { crl } = parseCrl(new Uint8Array(der));
    if ((await crlSigner(crl, trusted)).issuer) crls.push(describeCrl(crl));
  }
  return {
    trusted,
    crls,
    strictRevocation: rows.state.strictRevocation,
    signingTimeToleranceMs: rows.state.signingTimeToleranceMinutes * 60_000,
  };
}

/** Why a certificate cannot be a trust anchor (not a CA), or undefined. */
export function notACaCertificate(certificate: pkijs.Certificate): string | undefined {
  if (!basicConstraints(certificate).cA)
    return `${label(certificate)} is not a CA certificate (basicConstraints cA is not set)`;
  const usages = keyUsages(certificate);
  if (usages && !usages.includes('keyCertSign'))
    return `${label(certificate)} may not sign certificates (keyUsage lacks keyCertSign)`;
  return undefined;
}

/** The store's record of a certificate. */
export function trustedCertificateRecord(
  certificate: pkijs.Certificate,
  der: Uint8Array,
  extra: { source: 'api' | 'directory'; addedBy?: string; note?: string },
): NewTrustedCertificate {
  const ski = subjectKeyIdentifier(certificate);
  return {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    serialNumber: serialHex(certificate),
    subjectKeyIdentifier: ski && hex(ski),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    selfSigned: certificate.subject.isEqual(certificate.issuer),
    ...extra,
  };
}

/**
 * At start: the CA certificates of EDS_TRUSTED_CA_DIR go into the store once, so a deployment
 * that configured the directory keeps working; afterwards the store alone counts. Certificates
 * that are not CAs are skipped with a note. Returns what happened, for the log.
 */
export async function importTrustedDirectory(db: Db, dir: string): Promise<{ imported?: number; skipped: string[] }> {
  if (!fs.existsSync(dir)) return { skipped: [] };
  const skipped: string[] = [];
  const records: NewTrustedCertificate[] = [];
  for (const pem of loadTrustedCertificates(dir)) {
    for (const certificate of certificatesFromPem(pem)) {
      const reason = notACaCertificate(certificate);
      if (reason) {
        skipped.push(reason);
        continue;
      }
      const der = new Uint8Array(certificate.toSchema().toBER());
      records.push(
        trustedCertificateRecord(certificate, der, {
          source: 'directory',
          note: `imported from ${dir} at the first start`,
        }),
      );
    }
  }
  return { imported: await importDirectoryOnce(db, records), skipped };
}

/** How many CA certificates the store trusts; 0 means every signature is refused. */
export const trustedCertificateCount = (db: Db) => countActiveTrustedCertificates(db);

export type TrustStoreRefusal = {
  code:
    | 'INVALID_CERTIFICATE'
    | 'NOT_A_CA_CERTIFICATE'
    | 'ALREADY_TRUSTED'
    | 'INVALID_CRL'
    | 'DELTA_CRL'
    | 'CRL_NOT_SIGNED_BY_TRUSTED_CA'
    | 'CRL_ALREADY_IMPORTED';
  message: string;
};

/** An admin adds a CA certificate (PEM or base64 DER): its id, or why not. */
export async function addTrustedCa(
  db: Db,
  input: string | Uint8Array,
  by: { addedBy?: string; note?: string } = {},
): Promise<{ id: string } | { refused: TrustStoreRefusal }> {
  let parsed: { certificate: pkijs.Certificate; der: Uint8Array };
  try {
    parsed = certificateFromInput(input);
  } catch (error) {
    if (!(error instanceof InvalidCertificateError)) throw error;
    return { refused: { code: 'INVALID_CERTIFICATE', message: `The certificate does not parse: ${error.message}.` } };
  }
  const notCa = notACaCertificate(parsed.certificate);
  if (notCa)
    return {
      refused: {
        code: 'NOT_A_CA_CERTIFICATE',
        message: `${notCa}: only CA certificates (NCA RK's root and intermediates) are trust anchors.`,
      },
    };
  const added = await addTrustedCertificate(
    db,
    trustedCertificateRecord(parsed.certificate, parsed.der, { source: 'api', ...by }),
  );
  if (!added)
    return { refused: { code: 'ALREADY_TRUSTED', message: `${label(parsed.certificate)} is trusted already.` } };
  return added;
}

/** An admin imports a CRL (PEM, base64 or DER) signed by a trusted CA: its id, or why not. */
export async function importCrl(
  db: Db,
  input: string | Uint8Array,
  by: { importedBy?: string; note?: string } = {},
): Promise<{ id: string } | { refused: TrustStoreRefusal }> {
  let parsed: { crl: pkijs.CertificateRevocationList; der: Uint8Array };
  try {
    parsed = parseCrl(input);
  } catch (error) {
    if (!(error instanceof InvalidCrlError)) throw error;
    return { refused: { code: 'INVALID_CRL', message: `The CRL does not parse: ${error.message}.` } };
  }
  const { crl, der } = parsed;
  if (isDeltaCrl(crl)) {
    return {
      refused: {
        code: 'DELTA_CRL',
        message: `The CRL of "${formatName(crl.issuer)}" is a delta CRL (it lists only the changes since its base CRL); import the full CRL NCA RK publishes.`,
      },
    };
  }
  const sha256 = createHash('sha256').update(der).digest('hex');
  if (await crlBySha256(db, sha256))
    return { refused: { code: 'CRL_ALREADY_IMPORTED', message: 'This CRL is imported already.' } };
  const rows = await activeTrustedCertificates(db);
  const trusted = rows.map((row) => ({
    id: row.id,
    certificate: certificateFromInput(new Uint8Array(row.der)).certificate,
  }));
  const signer = await crlSigner(
    crl,
    trusted.map((t) => t.certificate),
  );
  if (!signer.issuer) {
    return {
      refused: {
        code: 'CRL_NOT_SIGNED_BY_TRUSTED_CA',
        message: `The CRL of "${formatName(crl.issuer)}" is not signed by a trusted CA certificate: ${signer.reason}. Add the CA first.`,
      },
    };
  }
  const described = describeCrl(crl);
  return insertCrl(db, {
    der,
    sha256,
    issuer: described.issuerText,
    issuerKey: issuerKey(crl.issuer, described.authorityKeyId),
    issuerCertificateId: trusted.find((t) => t.certificate === signer.issuer)!.id,
    crlNumber: described.crlNumber,
    thisUpdate: described.thisUpdate,
    nextUpdate: described.nextUpdate,
    revoked: [...described.revoked].map(([serialNumber, revokedAt]) => ({
      serialNumber,
      revokedAt: revokedAt.toISOString(),
    })),
    importedBy: by.importedBy,
    note: by.note,
  });
}
