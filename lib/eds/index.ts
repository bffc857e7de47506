export type { EdsCheck, EdsProblem, EdsProblemCode, EdsSigner, EdsVerification, EdsVerificationInput, EdsVerifier, GostProvider } from './types';
export { createEdsVerifier } from './verifier';
export { loadTrustedCertificates } from './trusted-certificates';
