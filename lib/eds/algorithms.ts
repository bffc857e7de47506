/** Kazakh GOST 34.310/34.311 (NCA RK) and Russian GOST R 34.10/34.11 object identifiers. */
export function isGostOid(oid: string): boolean {
  return oid.startsWith('1.2.398.3.10.1.') || oid.startsWith('1.2.643.');
}

// SHA-1 is left out on purpose: NCA RK has signed with SHA-256 since 2015 and a SHA-1
// digest no longer protects a document against a chosen-prefix collision.
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

const SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA (PKCS#1 v1.5)',
  '1.2.840.113549.1.1.11': 'SHA-256 with RSA',
  '1.2.840.113549.1.1.12': 'SHA-384 with RSA',
  '1.2.840.113549.1.1.13': 'SHA-512 with RSA',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10045.2.1': 'ECDSA',
  '1.2.840.10045.4.3.2': 'ECDSA with SHA-256',
  '1.2.840.10045.4.3.3': 'ECDSA with SHA-384',
  '1.2.840.10045.4.3.4': 'ECDSA with SHA-512',
};

/** Signature OIDs that name only the key type, so the hash comes from the digest algorithm. */
export const KEY_ONLY_SIGNATURE_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.10045.2.1']);

export function digestName(oid: string): string | undefined {
  return DIGESTS[oid];
}

export function signatureName(oid: string): string | undefined {
  return SIGNATURES[oid];
}

export function keyAlgorithmName(oid: string): string {
  if (oid === '1.2.840.113549.1.1.1' || oid === '1.2.840.113549.1.1.10') return 'RSA';
  if (oid === '1.2.840.10045.2.1') return 'ECDSA';
  if (isGostOid(oid)) return 'GOST';
  return oid;
}

export function describeOid(oid: string): string {
  if (isGostOid(oid)) return `GOST (${oid})`;
  const name = DIGESTS[oid] ?? SIGNATURES[oid];
  return name ? `${name} (${oid})` : oid;
}
