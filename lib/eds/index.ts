export type {
  EdsCheck,
  EdsProblem,
  EdsProblemCode,
  EdsSigner,
  EdsTrustStatus,
  EdsVerification,
  EdsVerificationInput,
  EdsVerifier,
  GostProvider,
} from './types';
export {
  createEdsVerifier,
  createEdsVerifierFrom,
  DEFAULT_SIGNING_TIME_TOLERANCE_MS,
  verifiedCrl,
  type EdsTrustMaterial,
  type StaticEdsVerifierOptions,
} from './verifier';
export {
  certificateFromInput,
  certificatesFromPem,
  InvalidCertificateError,
  loadTrustedCertificates,
} from './trusted-certificates';
export { crlFor, crlSigner, describeCrl, InvalidCrlError, issuerKey, parseCrl, type RevocationList } from './crl';
export { EDS_PROBLEM_MESSAGES_RU, NO_TRUSTED_CA_RU, problemMessageRu, refusalMessageRu } from './messages-ru';
