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
  | 'UNSUPPORTED_ALGORITHM'
  /** A certificate of the chain is on an imported CRL of its issuer, revoked before `at`. */
  | 'CERTIFICATE_REVOKED'
  /** No current CRL says whether a certificate is revoked; a problem only in strict revocation mode. */
  | 'REVOCATION_UNKNOWN';

export interface EdsProblem {
  code: EdsProblemCode;
  /** For staff: what exactly failed, in English. */
  message: string;
  /** For the applicant or client (public side, cabinet): what happened and what to do, in Russian (lib/eds/messages-ru.ts). */
  messageRu?: string;
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
  /**
   * When the server received the signed document. Certificates must be valid (and not revoked)
   * at this time; the signingTime attribute may be at most 5 minutes later and at most the
   * signing-time tolerance earlier. A stored signature checked again later passes its receipt time.
   */
  at: Date;
  /**
   * The signing-time tolerance for this check, overriding the verifier's (default 24 hours): a
   * document that takes effect on receipt (joining, 10.5.1) passes a few minutes.
   */
  freshWithinMs?: number;
  /**
   * What the signature is for: a document (default — a signing key: nonRepudiation, not an authentication-only
   * certificate) or signing in to the cabinet (either NCA key: digitalSignature).
   */
  purpose?: 'document' | 'sign-in';
}

/** What a verifier trusts now, for /health and the start banner. */
export interface EdsTrustStatus {
  trustedCertificates: number;
  crls: number;
  strictRevocation: boolean;
  signingTimeToleranceMs: number;
}

export interface EdsVerifier {
  verify(input: EdsVerificationInput): Promise<EdsVerification>;
  /** The trust anchors and CRLs in use (the store's current ones for a store-backed verifier). */
  status?(): Promise<EdsTrustStatus>;
}

/**
 * The national crypto provider (KalkanCrypt, NCANode, ...) for Kazakh GOST 34.310 signatures.
 * It checks the document digest, the signature value and the chain to the NCA RK roots;
 * see docs/EDS.md.
 */
export interface GostProvider {
  verify(input: {
    document: Uint8Array;
    signature: Uint8Array;
    at: Date;
  }): Promise<{ ok: boolean; signerCertificate?: Uint8Array; detail: string }>;
}
