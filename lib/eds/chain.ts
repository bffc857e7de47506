import * as pkijs from 'pkijs';
import { describeOid, isGostOid, signatureName } from './algorithms';
import {
  authorityKeyIdentifier,
  basicConstraints,
  certificateDer,
  formatName,
  keyUsages,
  label,
  sameBytes,
  subjectKeyIdentifier,
} from './certificate';
import { NO_TRUSTED_CA_RU } from './messages-ru';
import type { EdsProblem } from './types';
import './crypto-engine';

const MAX_DEPTH = 8;

export interface Chain {
  /** Signer first; ends at a trusted certificate when `problem` is undefined. */
  path: pkijs.Certificate[];
  problem?: EdsProblem;
}

function isIssuerCandidate(child: pkijs.Certificate, candidate: pkijs.Certificate): boolean {
  if (!candidate.subject.isEqual(child.issuer)) return false;
  const aki = authorityKeyIdentifier(child);
  const ski = subjectKeyIdentifier(candidate);
  return !aki || !ski || sameBytes(aki, ski);
}

/** Why an untrusted certificate may not issue the next one down; undefined when it may. */
function notAnIssuer(candidate: pkijs.Certificate, intermediatesBelow: number): string | undefined {
  const constraints = basicConstraints(candidate);
  if (!constraints.cA) return `${label(candidate)} is not a CA certificate (basicConstraints cA is not set)`;
  const usages = keyUsages(candidate);
  if (usages && !usages.includes('keyCertSign'))
    return `${label(candidate)} may not sign certificates (keyUsage lacks keyCertSign)`;
  if (constraints.pathLenConstraint !== undefined && intermediatesBelow > constraints.pathLenConstraint) {
    return `${label(candidate)} allows ${constraints.pathLenConstraint} intermediate CA(s) below it, the chain has ${intermediatesBelow}`;
  }
  return undefined;
}

/**
 * Walks from the signer up through the CMS certificates and the trusted ones until a trusted
 * certificate is reached, verifying every certificate's signature with its issuer's key.
 * Trusted certificates are anchors: their own issuer, validity of signature and CA flags are not examined.
 */
export async function buildChain(
  signer: pkijs.Certificate,
  included: pkijs.Certificate[],
  trusted: pkijs.Certificate[],
): Promise<Chain> {
  const key = (c: pkijs.Certificate) => Buffer.from(certificateDer(c)).toString('base64');
  const trustedKeys = new Set(trusted.map(key));
  const pool = [...trusted, ...included.filter((c) => !trustedKeys.has(key(c)))];
  const path = [signer];
  const untrusted = (message: string): Chain => ({ path, problem: { code: 'UNTRUSTED_CHAIN', message } });
  if (trusted.length === 0) {
    return {
      path,
      problem: {
        code: 'UNTRUSTED_CHAIN',
        message:
          "No trusted CA certificates are configured, so no chain can be trusted: an admin adds NCA RK's root and intermediate certificates to the EDS trust store (docs/EDS.md).",
        messageRu: NO_TRUSTED_CA_RU,
      },
    };
  }

  for (let current = signer; path.length <= MAX_DEPTH;) {
    if (trustedKeys.has(key(current))) return { path };
    const algorithm = current.signatureAlgorithm.algorithmId;
    if (!signatureName(algorithm)) {
      const provider = isGostOid(algorithm)
        ? '; GOST certificates are checked only by the national crypto provider'
        : '';
      return {
        path,
        problem: {
          code: 'UNSUPPORTED_ALGORITHM',
          message: `${label(current)} is signed with ${describeOid(algorithm)}, which this verifier does not support${provider}.`,
        },
      };
    }
    const candidates = pool.filter((c) => !path.includes(c) && isIssuerCandidate(current, c));
    if (candidates.length === 0) {
      return untrusted(
        current.subject.isEqual(current.issuer)
          ? `The chain ends at the self-signed ${label(current)}, which is not a configured trusted CA.`
          : `The issuer "${formatName(current.issuer)}" of ${label(current)} is neither a configured trusted CA nor included in the signature.`,
      );
    }
    const rejected: string[] = [];
    let issuer: pkijs.Certificate | undefined;
    for (const candidate of candidates) {
      const reason = trustedKeys.has(key(candidate)) ? undefined : notAnIssuer(candidate, path.length - 1);
      if (reason) {
        rejected.push(reason);
        continue;
      }
      if (await current.verify(candidate).catch(() => false)) {
        issuer = candidate;
        break;
      }
      rejected.push(`the signature of ${label(current)} does not verify with the key of ${label(candidate)}`);
    }
    if (!issuer) return untrusted(`No valid issuer for ${label(current)}: ${rejected.join('; ')}.`);
    path.push(issuer);
    current = issuer;
  }
  return untrusted(`The chain is longer than ${MAX_DEPTH} certificates.`);
}
