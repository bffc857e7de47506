import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describeOid, digestName, isGostOid, KEY_ONLY_SIGNATURE_OIDS, signatureName } from './algorithms';
import { buildChain } from './chain';
import {
  binOf,
  certificateDer,
  describeSigner,
  extendedKeyUsages,
  formatName,
  iinOf,
  keyUsages,
  label,
  parseCertificate,
  sameBytes,
  serialHex,
  subjectKeyIdentifier,
} from './certificate';
import { MalformedSignatureError, parseSignedData, signatureBytes } from './cms-input';
import { crlFor, crlSigner, describeCrl, isDeltaCrl, parseCrl, type RevocationList } from './crl';
import { engine } from './crypto-engine';
import { EDS_PROBLEM_MESSAGES_RU } from './messages-ru';
import { certificatesFromPem } from './trusted-certificates';
import type {
  EdsCheck,
  EdsProblem,
  EdsProblemCode,
  EdsTrustStatus,
  EdsVerification,
  EdsVerificationInput,
  EdsVerifier,
  GostProvider,
} from './types';

const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';
const MESSAGE_DIGEST_OID = '1.2.840.113549.1.9.4';
const CONTENT_TYPE_OID = '1.2.840.113549.1.9.3';
const CLOCK_SKEW_MS = 5 * 60_000;
/** How long before its receipt a document may have been signed, unless the verifier or the check says otherwise. */
export const DEFAULT_SIGNING_TIME_TOLERANCE_MS = 24 * 3_600_000;
/** extendedKeyUsage id-kp-clientAuth: NCA RK's authentication (AUTH_...) certificates. */
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** What a verifier trusts at the moment of a check: the anchors, the imported CRLs, the policy. */
export interface EdsTrustMaterial {
  trusted: pkijs.Certificate[];
  crls: RevocationList[];
  /** Refuse (REVOCATION_UNKNOWN) when no current CRL gives a certificate's status; otherwise pass with a note. */
  strictRevocation: boolean;
  signingTimeToleranceMs: number;
}

/** Collects checks and problems; a failed check carries the problem the moderator reads. */
class Report {
  readonly checks: EdsCheck[] = [];
  readonly problems: EdsProblem[] = [];

  pass(name: string, detail: string) {
    this.checks.push({ name, ok: true, detail });
  }

  fail(name: string, code: EdsProblemCode, message: string, messageRu = EDS_PROBLEM_MESSAGES_RU[code]) {
    this.checks.push({ name, ok: false, detail: message });
    this.problems.push({ code, message, messageRu });
  }

  result(signingTime: Date, signer?: pkijs.Certificate): EdsVerification {
    return {
      valid: this.problems.length === 0,
      problems: this.problems,
      signer: signer && describeSigner(signer),
      signingTime: signingTime.toISOString(),
      checks: this.checks,
    };
  }
}

export interface StaticEdsVerifierOptions {
  /** PEM strings (one or several certificates each). */
  trustedCertificates: string[];
  /** CRLs (PEM, base64 or DER); each must be signed by one of the trusted certificates. */
  crls?: Array<string | Uint8Array>;
  strictRevocation?: boolean;
  /** Default 24 hours. */
  signingTimeToleranceMs?: number;
  gost?: GostProvider;
}

/** A verifier with a fixed trust list (tests, tools); processes use the store-backed one of lib/eds-trust.ts. */
export function createEdsVerifier(options: StaticEdsVerifierOptions): EdsVerifier {
  const trusted = options.trustedCertificates.flatMap(certificatesFromPem);
  const material = (async (): Promise<EdsTrustMaterial> => ({
    trusted,
    crls: await Promise.all((options.crls ?? []).map((crl) => verifiedCrl(crl, trusted))),
    strictRevocation: options.strictRevocation ?? false,
    signingTimeToleranceMs: options.signingTimeToleranceMs ?? DEFAULT_SIGNING_TIME_TOLERANCE_MS,
  }))();
  // A bad CRL is a configuration error at the first check; keep the rejection from going unhandled before.
  material.catch(() => undefined);
  return createEdsVerifierFrom(() => material, options.gost);
}

/** A verifier that asks `material` for the trust anchors, CRLs and policy at each check. */
export function createEdsVerifierFrom(material: () => Promise<EdsTrustMaterial>, gost?: GostProvider): EdsVerifier {
  return {
    verify: async (input) => verify(input, await material(), gost),
    status: async (): Promise<EdsTrustStatus> => {
      const m = await material();
      return {
        trustedCertificates: m.trusted.length,
        crls: m.crls.length,
        strictRevocation: m.strictRevocation,
        signingTimeToleranceMs: m.signingTimeToleranceMs,
      };
    },
  };
}

/** A CRL checked against the trusted certificates: parsed, and signed by one of them. */
export async function verifiedCrl(input: string | Uint8Array, trusted: pkijs.Certificate[]): Promise<RevocationList> {
  const { crl } = parseCrl(input);
  if (isDeltaCrl(crl))
    throw new Error(`the CRL of "${formatName(crl.issuer)}" is a delta CRL; only full CRLs are taken`);
  const signer = await crlSigner(crl, trusted);
  if (!signer.issuer)
    throw new Error(`the CRL of "${formatName(crl.issuer)}" is not signed by a trusted CA: ${signer.reason}`);
  return describeCrl(crl);
}

async function verify(
  input: EdsVerificationInput,
  material: EdsTrustMaterial,
  gost?: GostProvider,
): Promise<EdsVerification> {
  const { trusted } = material;
  const report = new Report();
  let der: Uint8Array;
  let signedData: pkijs.SignedData;
  try {
    der = signatureBytes(input.signature);
    signedData = parseSignedData(der);
  } catch (error) {
    if (!(error instanceof MalformedSignatureError)) throw error;
    report.fail('format', 'MALFORMED_SIGNATURE', `The signature is not a CMS SignedData: ${error.message}.`);
    return report.result(input.at);
  }
  const signerInfo = signedData.signerInfos[0];
  if (!signerInfo) {
    report.fail('format', 'MALFORMED_SIGNATURE', 'The CMS SignedData has no signer.');
    return report.result(input.at);
  }
  const eContent = signedData.encapContentInfo.eContent;
  const signers = signedData.signerInfos.length;
  report.pass(
    'format',
    `CMS SignedData, ${eContent ? 'attached' : 'detached'}, ${signers === 1 ? 'one signer' : `${signers} signers, the first is verified`}`,
  );

  const signingTimeAttribute = signingTimeOf(signerInfo);
  const signingTime = signingTimeAttribute ?? input.at;
  const included = (signedData.certificates ?? []).filter(
    (c): c is pkijs.Certificate => c instanceof pkijs.Certificate,
  );
  let signer = findSignerCertificate(signerInfo, included);

  const algorithmOids = [signerInfo.digestAlgorithm.algorithmId, signerInfo.signatureAlgorithm.algorithmId];
  if (signer)
    algorithmOids.push(signer.subjectPublicKeyInfo.algorithm.algorithmId, signer.signatureAlgorithm.algorithmId);
  const gostOids = [...new Set(algorithmOids.filter(isGostOid))];
  const content = eContent ? contentBytes(eContent) : input.document;
  checkDocument(report, eContent && content, input.document);

  if (gostOids.length > 0) {
    signer =
      (await checkWithGostProvider(report, gostOids, gost, {
        document: input.document,
        signature: der,
        at: input.at,
      })) ?? signer;
  } else if (checkAlgorithms(report, signerInfo)) {
    checkDigest(report, signerInfo, content, signedData.encapContentInfo.eContentType);
    if (signer) await checkSignatureValue(report, signerInfo, signer, content);
  }
  checkSigningTime(report, signingTimeAttribute, input.at, input.freshWithinMs ?? material.signingTimeToleranceMs);
  if (!signer) {
    report.fail(
      'signer certificate',
      'MALFORMED_SIGNATURE',
      'The signature does not include the signer certificate, so the signer cannot be identified.',
    );
    return report.result(signingTime);
  }

  let path = [signer];
  let chainTrusted = true;
  if (gostOids.length === 0) {
    const chain = await buildChain(signer, included, trusted);
    path = chain.path;
    chainTrusted = !chain.problem;
    if (chain.problem) report.fail('chain', chain.problem.code, chain.problem.message, chain.problem.messageRu);
    else report.pass('chain', path.map(label).join(' ← ') + ' (trusted)');
  }
  // The document counts from its receipt: the certificates must be valid, and not revoked, then.
  checkValidity(report, path, input.at, 'the receipt time');
  if (chainTrusted) checkRevocation(report, path, material, input.at);
  checkKeyUsage(report, signer, input.purpose ?? 'document');
  checkApplicant(report, signer, input.expectedBinIin);
  return report.result(signingTime, signer);
}

function signingTimeOf(signerInfo: pkijs.SignerInfo): Date | undefined {
  const value = signerInfo.signedAttrs?.attributes.find((a) => a.type === SIGNING_TIME_OID)?.values[0];
  return value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime ? value.toDate() : undefined;
}

function findSignerCertificate(
  signerInfo: pkijs.SignerInfo,
  included: pkijs.Certificate[],
): pkijs.Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return included.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // [0] SubjectKeyIdentifier: the extension if the certificate has one, else RFC 5280's SHA-1 of the key.
  const keyId: Uint8Array = sid.idBlock.isConstructed
    ? sid.valueBlock.value[0].valueBlock.valueHexView
    : sid.valueBlock.valueHexView;
  for (const certificate of included) {
    const ski =
      subjectKeyIdentifier(certificate) ??
      createHash('sha1').update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
    if (sameBytes(ski, keyId)) return certificate;
  }
  return undefined;
}

function contentBytes(eContent: asn1js.OctetString | asn1js.BaseBlock): Uint8Array {
  return eContent instanceof asn1js.OctetString
    ? new Uint8Array(eContent.getValue())
    : new Uint8Array(eContent.valueBeforeDecodeView);
}

/** 'SHA-256' → the hex digest, with Node's hash of the same name. */
const hexDigest = (hash: string, bytes: Uint8Array) =>
  createHash(hash.replace('-', '').toLowerCase()).update(bytes).digest('hex');

function checkDocument(report: Report, attached: Uint8Array | undefined, document: Uint8Array) {
  if (!attached)
    return report.pass(
      'document',
      `detached signature, checked against the application document (${document.length} bytes)`,
    );
  if (sameBytes(attached, document))
    return report.pass('document', `the attached content is the application document (${document.length} bytes)`);
  report.fail(
    'document',
    'DOCUMENT_MISMATCH',
    `The document attached to the signature (${attached.length} bytes, SHA-256 ${hexDigest('SHA-256', attached)}) differs from the application document (${document.length} bytes, SHA-256 ${hexDigest('SHA-256', document)}).`,
  );
}

async function checkWithGostProvider(
  report: Report,
  gostOids: string[],
  gost: GostProvider | undefined,
  input: { document: Uint8Array; signature: Uint8Array; at: Date },
): Promise<pkijs.Certificate | undefined> {
  const oids = gostOids.join(', ');
  if (!gost) {
    report.fail(
      'algorithms',
      'UNSUPPORTED_ALGORITHM',
      `The signature uses GOST (${oids}); Kazakh GOST 34.310 signatures need the national crypto provider (NCA RK KalkanCrypt or NCANode) configured as the GostProvider, and none is, so the digest, the signature value and the certificate chain were not verified.`,
    );
    return undefined;
  }
  const answer = await gost.verify(input);
  if (answer.ok)
    report.pass('national provider', `GOST (${oids}) verified by the national crypto provider: ${answer.detail}`);
  else
    report.fail(
      'national provider',
      'SIGNATURE_INVALID',
      `The national crypto provider rejected the GOST signature (${oids}): ${answer.detail}`,
    );
  return answer.signerCertificate && parseCertificate(answer.signerCertificate);
}

function checkAlgorithms(report: Report, signerInfo: pkijs.SignerInfo): boolean {
  const digest = signerInfo.digestAlgorithm.algorithmId;
  const signature = signerInfo.signatureAlgorithm.algorithmId;
  const unsupported = [
    digestName(digest) ? undefined : `digest ${describeOid(digest)}`,
    signatureName(signature) ? undefined : `signature ${describeOid(signature)}`,
  ];
  const named = unsupported.filter(Boolean);
  if (named.length === 0) {
    report.pass('algorithms', `${digestName(digest)} digest, ${signatureName(signature)} signature`);
    return true;
  }
  report.fail(
    'algorithms',
    'UNSUPPORTED_ALGORITHM',
    `Unsupported ${named.join(' and ')}; supported are SHA-256/384/512 with RSA (PKCS#1 v1.5 or PSS) or ECDSA.`,
  );
  return false;
}

function checkDigest(report: Report, signerInfo: pkijs.SignerInfo, content: Uint8Array, contentType: string) {
  if (!signerInfo.signedAttrs) return;
  // RFC 5652 §11.1: the signed contentType binds the otherwise unsigned eContentType.
  const signedType = signerInfo.signedAttrs.attributes.find((a) => a.type === CONTENT_TYPE_OID)?.values[0];
  if (!(signedType instanceof asn1js.ObjectIdentifier) || signedType.getValue() !== contentType) {
    return report.fail(
      'digest',
      'MALFORMED_SIGNATURE',
      `The signed contentType attribute (${signedType instanceof asn1js.ObjectIdentifier ? signedType.getValue() : 'missing'}) is not the content type ${contentType}.`,
    );
  }
  const hash = digestName(signerInfo.digestAlgorithm.algorithmId)!;
  const attribute = signerInfo.signedAttrs.attributes.find((a) => a.type === MESSAGE_DIGEST_OID)?.values[0];
  if (!(attribute instanceof asn1js.OctetString)) {
    return report.fail(
      'digest',
      'MALFORMED_SIGNATURE',
      'The signed attributes have no messageDigest, so they do not bind the document.',
    );
  }
  const signed = Buffer.from(attribute.valueBlock.valueHexView).toString('hex');
  const actual = hexDigest(hash, content);
  if (signed === actual)
    return report.pass('digest', `${hash} of the signed content matches the messageDigest attribute`);
  report.fail(
    'digest',
    'DOCUMENT_MISMATCH',
    `The signed messageDigest (${hash} ${signed}) does not match the ${hash} of the signed content (${actual}): the document was changed after signing.`,
  );
}

async function checkSignatureValue(
  report: Report,
  signerInfo: pkijs.SignerInfo,
  signer: pkijs.Certificate,
  content: Uint8Array,
) {
  const signedBytes = signerInfo.signedAttrs ? signerInfo.signedAttrs.encodedValue : content;
  const algorithm = signerInfo.signatureAlgorithm;
  const hash = KEY_ONLY_SIGNATURE_OIDS.has(algorithm.algorithmId)
    ? digestName(signerInfo.digestAlgorithm.algorithmId)
    : undefined;
  let error = '';
  const ok = await engine
    .verifyWithPublicKey(signedBytes, signerInfo.signature, signer.subjectPublicKeyInfo, algorithm, hash)
    .catch((e: Error) => ((error = `: ${e.message}`), false));
  if (ok) return report.pass('signature', `verifies with the key of ${label(signer)}`);
  const over = signerInfo.signedAttrs
    ? 'the signed attributes'
    : 'the document itself (no signed attributes), so a changed document also shows here';
  report.fail(
    'signature',
    'SIGNATURE_INVALID',
    `The signature value over ${over} does not verify with the public key of ${label(signer)}${error}.`,
  );
}

function checkSigningTime(report: Report, signingTime: Date | undefined, at: Date, toleranceMs: number) {
  if (!signingTime)
    return report.pass('signing time', `no signingTime attribute; the receipt time ${at.toISOString()} stands for it`);
  if (signingTime.getTime() < at.getTime() - toleranceMs) {
    return report.fail(
      'signing time',
      'SIGNING_TIME_TOO_OLD',
      `The signingTime attribute ${signingTime.toISOString()} is more than ${describeDuration(toleranceMs)} before its receipt ${at.toISOString()}: the document counts from its receipt — sign it again and send it at once.`,
    );
  }
  if (signingTime.getTime() <= at.getTime() + CLOCK_SKEW_MS)
    return report.pass('signing time', `signed at ${signingTime.toISOString()}, received at ${at.toISOString()}`);
  report.fail(
    'signing time',
    'SIGNING_TIME_IN_FUTURE',
    `The signingTime attribute ${signingTime.toISOString()} is later than the receipt time ${at.toISOString()} plus 5 minutes of clock skew.`,
  );
}

function describeDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} hour${ms === 3_600_000 ? '' : 's'}`;
  return `${Math.round(ms / 60_000)} minutes`;
}

function checkValidity(report: Report, path: pkijs.Certificate[], at: Date, atName: string) {
  const when = `${atName} ${at.toISOString()}`;
  let ok = true;
  for (const certificate of path) {
    const notBefore = certificate.notBefore.value;
    const notAfter = certificate.notAfter.value;
    if (at < notBefore) {
      ok = false;
      report.fail(
        'validity',
        'CERTIFICATE_NOT_YET_VALID',
        `Certificate ${label(certificate)} is valid only from ${notBefore.toISOString()}, after ${when}.`,
      );
    }
    if (at > notAfter) {
      ok = false;
      report.fail(
        'validity',
        'CERTIFICATE_EXPIRED',
        `Certificate ${label(certificate)} expired on ${notAfter.toISOString()}, before ${when}.`,
      );
    }
  }
  if (ok) report.pass('validity', `${path.length} certificate(s) valid at ${when}`);
}

/**
 * NCA RK issues a signing certificate (RSA_..., GOSTKNCA_...) with keyUsage digitalSignature and
 * nonRepudiation; an authentication one (AUTH_...) with digitalSignature and keyEncipherment and
 * extendedKeyUsage clientAuth, which logs in but does not sign documents.
 */
function checkKeyUsage(report: Report, signer: pkijs.Certificate, purpose: 'document' | 'sign-in') {
  const usages = keyUsages(signer);
  const purposes = extendedKeyUsages(signer);
  const reasons: string[] = [];
  // Signing in (a challenge signed through NCALayer) takes either key, as Kazakhstan's portals do: it needs digitalSignature only.
  if (purpose === 'sign-in') {
    if (usages && !usages.includes('digitalSignature'))
      reasons.push(`allows only ${usages.join(', ') || 'nothing'}; signing in needs digitalSignature`);
    if (reasons.length === 0)
      return report.pass('key usage', `signing in: ${usages ? usages.join(', ') : 'no keyUsage extension'}`);
    return report.fail('key usage', 'KEY_USAGE', `Certificate ${label(signer)} ${reasons.join('; it ')}.`);
  }
  if (usages && !usages.includes('nonRepudiation')) {
    reasons.push(
      `allows only ${usages.join(', ') || 'nothing'}; signing a document needs nonRepudiation (NCA RK signing certificates carry digitalSignature and nonRepudiation)`,
    );
  }
  if (purposes && purposes.length > 0 && purposes.every((p) => p === CLIENT_AUTH_OID)) {
    reasons.push(
      "is for authentication only (extendedKeyUsage clientAuth, as NCA RK's AUTH certificates): it logs in, it does not sign documents",
    );
  }
  if (reasons.length === 0) {
    return report.pass(
      'key usage',
      usages
        ? usages.join(', ') + (purposes ? `; extendedKeyUsage ${purposes.join(', ')}` : '')
        : 'no keyUsage extension, so the key may sign',
    );
  }
  report.fail('key usage', 'KEY_USAGE', `Certificate ${label(signer)} ${reasons.join('; it ')}.`);
}

/**
 * Each certificate below a trust anchor against the latest imported CRL of its issuer. Revoked
 * before the receipt: refused. No CRL, or one past its nextUpdate: the status is unknown, which
 * refuses only in strict mode. A trusted intermediate is checked when its issuer's CRL is there.
 * OCSP is not queried.
 */
function checkRevocation(report: Report, path: pkijs.Certificate[], material: EdsTrustMaterial, at: Date) {
  const trustedDer = new Set(material.trusted.map((c) => Buffer.from(certificateDer(c)).toString('base64')));
  const revoked: string[] = [];
  const unknown: string[] = [];
  const checked: string[] = [];
  for (const certificate of path) {
    if (certificate.subject.isEqual(certificate.issuer)) continue;
    const anchor = trustedDer.has(Buffer.from(certificateDer(certificate)).toString('base64'));
    const crl = crlFor(certificate, material.crls);
    if (!crl) {
      if (!anchor) unknown.push(`no CRL of "${formatName(certificate.issuer)}" is imported for ${label(certificate)}`);
      continue;
    }
    const crlName = `the CRL of "${crl.issuerText}" issued ${crl.thisUpdate.toISOString()}`;
    const revokedAt = crl.revoked.get(serialHex(certificate));
    if (revokedAt && revokedAt <= at) {
      revoked.push(
        `${label(certificate)} was revoked on ${revokedAt.toISOString()} (${crlName}), before the receipt time ${at.toISOString()}`,
      );
      continue;
    }
    if (crl.nextUpdate && crl.nextUpdate < at) {
      unknown.push(
        `${crlName} was current only until ${crl.nextUpdate.toISOString()}, before the receipt time ${at.toISOString()}; import a newer one`,
      );
      continue;
    }
    checked.push(
      `${label(certificate)} not revoked at the receipt time per ${crlName}${revokedAt ? ` (revoked later, on ${revokedAt.toISOString()})` : ''}`,
    );
  }
  if (revoked.length) return report.fail('revocation', 'CERTIFICATE_REVOKED', `Revoked: ${revoked.join('; ')}.`);
  if (unknown.length === 0)
    return report.pass('revocation', checked.join('; ') || 'no certificate below a trust anchor');
  const status = `Revocation status unknown: ${unknown.join('; ')} (OCSP is not queried)`;
  if (material.strictRevocation)
    return report.fail('revocation', 'REVOCATION_UNKNOWN', `${status}; strict revocation checking is on.`);
  report.pass('revocation', `${[...checked, status].join('; ')}; not refused, as strict revocation checking is off`);
}

function checkApplicant(report: Report, signer: pkijs.Certificate, expected: string) {
  const bin = binOf(signer);
  const iin = iinOf(signer);
  if (bin === expected)
    return report.pass('signer', `BIN ${bin} is the applicant's${iin ? ` (signed by IIN ${iin})` : ''}`);
  if (!bin && iin === expected)
    return report.pass('signer', `IIN ${iin} is the applicant's (an individual entrepreneur's certificate, no BIN)`);
  const names = bin
    ? `BIN ${bin}${iin ? ` (signer IIN ${iin})` : ''}`
    : iin
      ? `IIN ${iin} and no BIN`
      : 'neither a BIN nor an IIN';
  report.fail(
    'signer',
    'SIGNER_MISMATCH',
    `The certificate names ${names}, but the applicant's BIN/IIN is ${expected}.`,
  );
}
