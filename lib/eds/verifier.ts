import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { describeOid, digestName, isGostOid, KEY_ONLY_SIGNATURE_OIDS, signatureName } from './algorithms';
import { buildChain } from './chain';
import { binOf, describeSigner, iinOf, keyUsages, label, parseCertificate, sameBytes, subjectKeyIdentifier } from './certificate';
import { MalformedSignatureError, parseSignedData, signatureBytes } from './cms-input';
import { engine } from './crypto-engine';
import { certificatesFromPem } from './trusted-certificates';
import type { EdsCheck, EdsProblem, EdsProblemCode, EdsVerification, EdsVerificationInput, EdsVerifier, GostProvider } from './types';

const SIGNING_TIME_OID = '1.2.840.113549.1.9.5';
const MESSAGE_DIGEST_OID = '1.2.840.113549.1.9.4';
const CONTENT_TYPE_OID = '1.2.840.113549.1.9.3';
const CLOCK_SKEW_MS = 5 * 60_000;

/** Collects checks and problems; a failed check carries the problem the moderator reads. */
class Report {
  readonly checks: EdsCheck[] = [];
  readonly problems: EdsProblem[] = [];

  pass(name: string, detail: string) {
    this.checks.push({ name, ok: true, detail });
  }

  fail(name: string, code: EdsProblemCode, message: string) {
    this.checks.push({ name, ok: false, detail: message });
    this.problems.push({ code, message });
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

export function createEdsVerifier(options: { trustedCertificates: string[]; gost?: GostProvider }): EdsVerifier {
  const trusted = options.trustedCertificates.flatMap(certificatesFromPem);
  return { verify: (input) => verify(input, trusted, options.gost) };
}

async function verify(input: EdsVerificationInput, trusted: pkijs.Certificate[], gost?: GostProvider): Promise<EdsVerification> {
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
  report.pass('format', `CMS SignedData, ${eContent ? 'attached' : 'detached'}, ${signers === 1 ? 'one signer' : `${signers} signers, the first is verified`}`);

  const signingTimeAttribute = signingTimeOf(signerInfo);
  const signingTime = signingTimeAttribute ?? input.at;
  const included = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  let signer = findSignerCertificate(signerInfo, included);

  const algorithmOids = [signerInfo.digestAlgorithm.algorithmId, signerInfo.signatureAlgorithm.algorithmId];
  if (signer) algorithmOids.push(signer.subjectPublicKeyInfo.algorithm.algorithmId, signer.signatureAlgorithm.algorithmId);
  const gostOids = [...new Set(algorithmOids.filter(isGostOid))];
  const content = eContent ? contentBytes(eContent) : input.document;
  checkDocument(report, eContent && content, input.document);

  if (gostOids.length > 0) {
    signer = (await checkWithGostProvider(report, gostOids, gost, { document: input.document, signature: der, at: input.at })) ?? signer;
  } else if (checkAlgorithms(report, signerInfo)) {
    checkDigest(report, signerInfo, content, signedData.encapContentInfo.eContentType);
    if (signer) await checkSignatureValue(report, signerInfo, signer, content);
  }
  checkSigningTime(report, signingTimeAttribute, input.at, input.freshWithinMs);
  if (!signer) {
    report.fail('signer certificate', 'MALFORMED_SIGNATURE', 'The signature does not include the signer certificate, so the signer cannot be identified.');
    return report.result(signingTime);
  }

  let path = [signer];
  if (gostOids.length === 0) {
    const chain = await buildChain(signer, included, trusted);
    path = chain.path;
    if (chain.problem) report.fail('chain', chain.problem.code, chain.problem.message);
    else report.pass('chain', path.map(label).join(' ← ') + ' (trusted)');
  }
  if (input.freshWithinMs !== undefined) checkValidity(report, path, input.at, 'the receipt time');
  else checkValidity(report, path, signingTime, signingTimeAttribute ? 'the signing time' : 'the verification time');
  checkKeyUsage(report, signer);
  checkApplicant(report, signer, input.expectedBinIin);
  return report.result(signingTime, signer);
}

function signingTimeOf(signerInfo: pkijs.SignerInfo): Date | undefined {
  const value = signerInfo.signedAttrs?.attributes.find((a) => a.type === SIGNING_TIME_OID)?.values[0];
  return value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime ? value.toDate() : undefined;
}

function findSignerCertificate(signerInfo: pkijs.SignerInfo, included: pkijs.Certificate[]): pkijs.Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return included.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // [0] SubjectKeyIdentifier: the extension if the certificate has one, else RFC 5280's SHA-1 of the key.
  const keyId: Uint8Array = sid.idBlock.isConstructed ? sid.valueBlock.value[0].valueBlock.valueHexView : sid.valueBlock.valueHexView;
  for (const certificate of included) {
    const ski =
      subjectKeyIdentifier(certificate) ?? createHash('sha1').update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
    if (sameBytes(ski, keyId)) return certificate;
  }
  return undefined;
}

function contentBytes(eContent: asn1js.OctetString | asn1js.BaseBlock): Uint8Array {
  return eContent instanceof asn1js.OctetString ? new Uint8Array(eContent.getValue()) : new Uint8Array(eContent.valueBeforeDecodeView);
}

/** 'SHA-256' → the hex digest, with Node's hash of the same name. */
const hexDigest = (hash: string, bytes: Uint8Array) => createHash(hash.replace('-', '').toLowerCase()).update(bytes).digest('hex');

function checkDocument(report: Report, attached: Uint8Array | undefined, document: Uint8Array) {
  if (!attached) return report.pass('document', `detached signature, checked against the application document (${document.length} bytes)`);
  if (sameBytes(attached, document)) return report.pass('document', `the attached content is the application document (${document.length} bytes)`);
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
  if (answer.ok) report.pass('national provider', `GOST (${oids}) verified by the national crypto provider: ${answer.detail}`);
  else report.fail('national provider', 'SIGNATURE_INVALID', `The national crypto provider rejected the GOST signature (${oids}): ${answer.detail}`);
  return answer.signerCertificate && parseCertificate(answer.signerCertificate);
}

function checkAlgorithms(report: Report, signerInfo: pkijs.SignerInfo): boolean {
  const digest = signerInfo.digestAlgorithm.algorithmId;
  const signature = signerInfo.signatureAlgorithm.algorithmId;
  const unsupported = [digestName(digest) ? undefined : `digest ${describeOid(digest)}`, signatureName(signature) ? undefined : `signature ${describeOid(signature)}`];
  const named = unsupported.filter(Boolean);
  if (named.length === 0) {
    report.pass('algorithms', `${digestName(digest)} digest, ${signatureName(signature)} signature`);
    return true;
  }
  report.fail('algorithms', 'UNSUPPORTED_ALGORITHM', `Unsupported ${named.join(' and ')}; supported are SHA-256/384/512 with RSA (PKCS#1 v1.5 or PSS) or ECDSA.`);
  return false;
}

function checkDigest(report: Report, signerInfo: pkijs.SignerInfo, content: Uint8Array, contentType: string) {
  if (!signerInfo.signedAttrs) return;
  // RFC 5652 §11.1: the signed contentType binds the otherwise unsigned eContentType.
  const signedType = signerInfo.signedAttrs.attributes.find((a) => a.type === CONTENT_TYPE_OID)?.values[0];
  if (!(signedType instanceof asn1js.ObjectIdentifier) || signedType.getValue() !== contentType) {
    return report.fail('digest', 'MALFORMED_SIGNATURE', `The signed contentType attribute (${signedType instanceof asn1js.ObjectIdentifier ? signedType.getValue() : 'missing'}) is not the content type ${contentType}.`);
  }
  const hash = digestName(signerInfo.digestAlgorithm.algorithmId)!;
  const attribute = signerInfo.signedAttrs.attributes.find((a) => a.type === MESSAGE_DIGEST_OID)?.values[0];
  if (!(attribute instanceof asn1js.OctetString)) {
    return report.fail('digest', 'MALFORMED_SIGNATURE', 'The signed attributes have no messageDigest, so they do not bind the document.');
  }
  const signed = Buffer.from(attribute.valueBlock.valueHexView).toString('hex');
  const actual = hexDigest(hash, content);
  if (signed === actual) return report.pass('digest', `${hash} of the signed content matches the messageDigest attribute`);
  report.fail('digest', 'DOCUMENT_MISMATCH', `The signed messageDigest (${hash} ${signed}) does not match the ${hash} of the signed content (${actual}): the document was changed after signing.`);
}

async function checkSignatureValue(report: Report, signerInfo: pkijs.SignerInfo, signer: pkijs.Certificate, content: Uint8Array) {
  const signedBytes = signerInfo.signedAttrs ? signerInfo.signedAttrs.encodedValue : content;
  const algorithm = signerInfo.signatureAlgorithm;
  const hash = KEY_ONLY_SIGNATURE_OIDS.has(algorithm.algorithmId) ? digestName(signerInfo.digestAlgorithm.algorithmId) : undefined;
  let error = '';
  const ok = await engine
    .verifyWithPublicKey(signedBytes, signerInfo.signature, signer.subjectPublicKeyInfo, algorithm, hash)
    .catch((e: Error) => ((error = `: ${e.message}`), false));
  if (ok) return report.pass('signature', `verifies with the key of ${label(signer)}`);
  const over = signerInfo.signedAttrs ? 'the signed attributes' : 'the document itself (no signed attributes), so a changed document also shows here';
  report.fail('signature', 'SIGNATURE_INVALID', `The signature value over ${over} does not verify with the public key of ${label(signer)}${error}.`);
}

function checkSigningTime(report: Report, signingTime: Date | undefined, at: Date, freshWithinMs?: number) {
  if (!signingTime) return report.pass('signing time', `no signingTime attribute; certificates are checked at the verification time ${at.toISOString()}`);
  if (freshWithinMs !== undefined && signingTime.getTime() < at.getTime() - freshWithinMs) {
    return report.fail(
      'signing time',
      'SIGNING_TIME_TOO_OLD',
      `The signingTime attribute ${signingTime.toISOString()} is more than ${Math.round(freshWithinMs / 60_000)} minutes before its receipt ${at.toISOString()}: the document takes effect when it is received signed — sign it again and send it at once.`,
    );
  }
  if (signingTime.getTime() <= at.getTime() + CLOCK_SKEW_MS) return report.pass('signing time', `signed at ${signingTime.toISOString()}`);
  report.fail(
    'signing time',
    'SIGNING_TIME_IN_FUTURE',
    `The signingTime attribute ${signingTime.toISOString()} is later than the verification time ${at.toISOString()} plus 5 minutes of clock skew.`,
  );
}

function checkValidity(report: Report, path: pkijs.Certificate[], at: Date, atName: string) {
  const when = `${atName} ${at.toISOString()}`;
  let ok = true;
  for (const certificate of path) {
    const notBefore = certificate.notBefore.value;
    const notAfter = certificate.notAfter.value;
    if (at < notBefore) {
      ok = false;
      report.fail('validity', 'CERTIFICATE_NOT_YET_VALID', `Certificate ${label(certificate)} is valid only from ${notBefore.toISOString()}, after ${when}.`);
    }
    if (at > notAfter) {
      ok = false;
      report.fail('validity', 'CERTIFICATE_EXPIRED', `Certificate ${label(certificate)} expired on ${notAfter.toISOString()}, before ${when}.`);
    }
  }
  if (ok) report.pass('validity', `${path.length} certificate(s) valid at ${when}`);
}

function checkKeyUsage(report: Report, signer: pkijs.Certificate) {
  const usages = keyUsages(signer);
  if (!usages) return report.pass('key usage', 'no keyUsage extension, so the key may sign');
  if (usages.includes('digitalSignature') || usages.includes('nonRepudiation')) return report.pass('key usage', usages.join(', '));
  report.fail(
    'key usage',
    'KEY_USAGE',
    `Certificate ${label(signer)} allows only ${usages.join(', ') || 'nothing'}; signing needs digitalSignature or nonRepudiation.`,
  );
}

function checkApplicant(report: Report, signer: pkijs.Certificate, expected: string) {
  const bin = binOf(signer);
  const iin = iinOf(signer);
  if (bin === expected) return report.pass('signer', `BIN ${bin} is the applicant's${iin ? ` (signed by IIN ${iin})` : ''}`);
  if (!bin && iin === expected) return report.pass('signer', `IIN ${iin} is the applicant's (an individual entrepreneur's certificate, no BIN)`);
  const names = bin ? `BIN ${bin}${iin ? ` (signer IIN ${iin})` : ''}` : iin ? `IIN ${iin} and no BIN` : 'neither a BIN nor an IIN';
  report.fail('signer', 'SIGNER_MISMATCH', `The certificate names ${names}, but the applicant's BIN/IIN is ${expected}.`);
}
