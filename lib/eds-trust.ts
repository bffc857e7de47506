import fs from 'node:fs';
import { createEdsVerifier, EdsVerifier, loadTrustedCertificates } from './eds';

/** The EDS verifier of a process: the CA certificates in EDS_TRUSTED_CA_DIR (none yet: every chain is untrusted). */
export function edsVerifierFor(trustedCaDir: string): EdsVerifier {
  return createEdsVerifier({ trustedCertificates: fs.existsSync(trustedCaDir) ? loadTrustedCertificates(trustedCaDir) : [] });
}
