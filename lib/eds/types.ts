export type EdsProblemCode =
  | 'MALFORMED_SIGNATURE'
  | 'DOCUMENT_MISMATCH'
  | 'SIGNATURE_INVALID'
  | 'CERTIFICATE_NOT_YET_VALID'
  | 'CERTIFICATE_EXPIRED'
  | 'UNTRUSTED_CHAIN'
  | 'KEY_USAGE'
  | 'SIGNER_MISMATCH'
  | 'SIGNING_TIME_IN_FUTURE'
  | 'SIGNING_TIME_TOO_OLD'
  | 'UNSUPPORTED_ALGORITHM';

export interface EdsProblem {
  code: EdsProblemCode;
  message: string;
}

export interface EdsSigner {
  subject: string;
  issuer: string;
  /** Lower-case hex. */
  serialNumber: string;
  commonName?: string;
  organization?: string;
  /** Subject SERIALNUMBER "IIN" + 12 digits, as NCA RK certificates carry it. */
  iin?: string;
  /** Subject OU "BIN" + 12 digits, or the 12 digits of organizationIdentifier. */
  bin?: string;
  notBefore: string;
  notAfter: string;
  /** 'RSA' | 'ECDSA' | 'GOST' | the key's OID. */
  keyAlgorithm: string;
}

export interface EdsCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface EdsVerification {
  /** True iff problems is empty. */
  valid: boolean;
  problems: EdsProblem[];
  signer?: EdsSigner;
  /** The signingTime signed attribute if present, else `at` (ISO). */
  signingTime: string;
  /** Every check run, in order, for the moderator to read. */
  checks: EdsCheck[];
}

export interface EdsVerificationInput {
  document: Uint8Array;
  /** DER bytes, PEM ("-----BEGIN PKCS7-----" / "-----BEGIN CMS-----") or base64 text. */
  signature: Uint8Array | string;
  expectedBinIin: string;
  at: Date;
  /**
   * A signature made now, for a act that takes effect on receipt (joining, 10.5): the signingTime
   * attribute may be at most this much older than `at`, and the certificates must be valid at `at`.
   * Without it, certificates are checked at the signing time (a stored signature checked later).
   */
  freshWithinMs?: number;
}

export interface EdsVerifier {
  verify(input: EdsVerificationInput): Promise<EdsVerification>;
}

/**
 * The national crypto provider (KalkanCrypt, NCANode, ...) for Kazakh GOST 34.310 signatures.
 * It checks the document digest, the signature value and the chain to the NCA RK roots;
 * see docs/EDS.md.
 */
export interface GostProvider {
  verify(input: { document: Uint8Array; signature: Uint8Array; at: Date }): Promise<{ ok: boolean; signerCertificate?: Uint8Array; detail: string }>;
}
