import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { authorityKeyIdentifier, formatName, keyUsages, label, sameBytes, subjectKeyIdentifier } from './certificate';
import './crypto-engine';

const CRL_NUMBER_OID = '2.5.29.20';
const AUTHORITY_KEY_IDENTIFIER_OID = '2.5.29.35';
const DELTA_CRL_INDICATOR_OID = '2.5.29.27';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class InvalidCrlError extends Error {}

/**
 * A CRL as the verifier uses it: whose certificates it speaks for (the issuer's name and key id),
 * when it was issued and until when it is current, and the revoked serial numbers.
 */
export interface RevocationList {
  issuer: pkijs.RelativeDistinguishedNames;
  issuerText: string;
  /** Hex of the issuer's key identifier (the CRL's authorityKeyIdentifier), if it has one. */
  authorityKeyId?: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: string;
  /** Lower-case hex serial (no leading zero bytes) → revocation date. */
  revoked: Map<string, Date>;
}

export const hex = (bytes: Uint8Array | ArrayBuffer) =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
const serialOf = (integer: asn1js.Integer) => hex(integer.valueBlock.valueHexView).replace(/^(00)+(?=.)/, '');

/** DER bytes of a CRL given as DER, PEM ("-----BEGIN X509 CRL-----") or base64 text. */
export function crlBytes(input: Uint8Array | string): Uint8Array {
  if (typeof input !== 'string') {
    if (input[0] === 0x30) return input;
    input = Buffer.from(input).toString('utf8');
  }
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/.exec(input);
  if (pem && !/CRL/.test(pem[1]))
    throw new InvalidCrlError(`a ${pem[1]} PEM block is not a CRL (expected "-----BEGIN X509 CRL-----")`);
  const text = (pem ? pem[2] : input).replace(/\s+/g, '');
  if (!text || !BASE64.test(text)) throw new InvalidCrlError('the CRL is neither DER, PEM nor base64');
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export function parseCrl(input: Uint8Array | string): { crl: pkijs.CertificateRevocationList; der: Uint8Array } {
  const der = crlBytes(input);
  try {
    const asn1 = asn1js.fromBER(der);
    if (asn1.offset === -1) throw new InvalidCrlError(`not DER: ${asn1.result.error}`);
    return { crl: new pkijs.CertificateRevocationList({ schema: asn1.result }), der };
  } catch (error) {
    throw error instanceof InvalidCrlError
      ? error
      : new InvalidCrlError(`not an X.509 CRL: ${(error as Error).message}`);
  }
}

/**
 * A delta CRL lists only what changed since its base CRL, so the latest CRL of an issuer would
 * no longer be complete: only full CRLs are taken.
 */
export const isDeltaCrl = (crl: pkijs.CertificateRevocationList) =>
  !!crl.crlExtensions?.extensions.some((e) => e.extnID === DELTA_CRL_INDICATOR_OID);

function crlAuthorityKeyId(crl: pkijs.CertificateRevocationList): Uint8Array | undefined {
  const parsed = crl.crlExtensions?.extensions.find((e) => e.extnID === AUTHORITY_KEY_IDENTIFIER_OID)?.parsedValue;
  return parsed instanceof pkijs.AuthorityKeyIdentifier ? parsed.keyIdentifier?.valueBlock.valueHexView : undefined;
}

export function describeCrl(crl: pkijs.CertificateRevocationList): RevocationList {
  const aki = crlAuthorityKeyId(crl);
  const number = crl.crlExtensions?.extensions.find((e) => e.extnID === CRL_NUMBER_OID)?.parsedValue;
  return {
    issuer: crl.issuer,
    issuerText: formatName(crl.issuer),
    authorityKeyId: aki && hex(aki),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value,
    crlNumber: number instanceof asn1js.Integer ? serialOf(number) : undefined,
    revoked: new Map((crl.revokedCertificates ?? []).map((r) => [serialOf(r.userCertificate), r.revocationDate.value])),
  };
}

/** The key a CRL is filed under: its issuer's name and key id; a certificate's issuer gives the same key. */
export const issuerKey = (issuer: pkijs.RelativeDistinguishedNames, keyId?: Uint8Array | string) =>
  createHash('sha256').update(hex(issuer.toSchema().toBER())).digest('hex') +
  (keyId ? `:${typeof keyId === 'string' ? keyId : hex(keyId)}` : '');

/**
 * The trusted certificate whose key signed the CRL, or why none did. A CA certificate with a
 * keyUsage extension must allow cRLSign.
 */
export async function crlSigner(
  crl: pkijs.CertificateRevocationList,
  trusted: pkijs.Certificate[],
): Promise<{ issuer?: pkijs.Certificate; reason?: string }> {
  const aki = crlAuthorityKeyId(crl);
  const named = trusted.filter((c) => c.subject.isEqual(crl.issuer));
  if (named.length === 0)
    return { reason: `no trusted CA certificate has the CRL's issuer name "${formatName(crl.issuer)}"` };
  const rejected: string[] = [];
  for (const candidate of named) {
    const ski = subjectKeyIdentifier(candidate);
    if (aki && ski && !sameBytes(aki, ski)) {
      rejected.push(`${label(candidate)} has another key identifier`);
      continue;
    }
    const usages = keyUsages(candidate);
    if (usages && !usages.includes('cRLSign')) {
      rejected.push(`${label(candidate)} may not sign CRLs (keyUsage lacks cRLSign)`);
      continue;
    }
    if (await crl.verify({ issuerCertificate: candidate }).catch(() => false)) return { issuer: candidate };
    rejected.push(`the CRL's signature does not verify with the key of ${label(candidate)}`);
  }
  return { reason: rejected.join('; ') };
}

/** The CRL that speaks for `certificate` (its issuer's, the latest issued), if any was imported. */
export function crlFor(certificate: pkijs.Certificate, crls: RevocationList[]): RevocationList | undefined {
  const aki = authorityKeyIdentifier(certificate);
  const akiHex = aki && hex(aki);
  let best: RevocationList | undefined;
  for (const crl of crls) {
    if (!crl.issuer.isEqual(certificate.issuer)) continue;
    if (akiHex && crl.authorityKeyId && akiHex !== crl.authorityKeyId) continue;
    if (!best || crl.thisUpdate > best.thisUpdate) best = crl;
  }
  return best;
}
