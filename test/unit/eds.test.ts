import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import {
  createEdsVerifier,
  loadTrustedCertificates,
  type EdsVerification,
  type EdsVerifier,
  type GostProvider,
} from '../../lib/eds';
import { withBinIinCheckDigit } from '../../lib/kz-identifiers';
import { createTestCa, issueSignerCertificate, signCms, toPem, type TestCa, type TestSigner } from '../helpers/pki';

const DAY = 86_400_000;
const BIN = withBinIinCheckDigit('07014000123')!;
const OTHER_BIN = withBinIinCheckDigit('15084000456')!;
const IIN = withBinIinCheckDigit('85030130012')!;
const ENTREPRENEUR_IIN = withBinIinCheckDigit('90121540034')!;
const document = new TextEncoder().encode('{"application":"join","bin":"' + BIN + '","form":"Прил. 1"}');
// Whole seconds, as certificates and signingTime carry them.
const now = new Date(Math.floor(Date.now() / 1000) * 1000);

const codes = (result: EdsVerification) => result.problems.map((p) => p.code);

/** Re-encodes a CMS after changing it, e.g. to relabel its algorithms. */
function alterSignedData(cms: Uint8Array, change: (signedData: pkijs.SignedData) => void): Uint8Array {
  const contentInfo = pkijs.ContentInfo.fromBER(cms);
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });
  change(signedData);
  return new Uint8Array(
    new pkijs.ContentInfo({ contentType: contentInfo.contentType, content: signedData.toSchema(true) })
      .toSchema()
      .toBER(),
  );
}

let root: TestCa;
let intermediate: TestCa;
let rsaRoot: TestCa;
let stranger: TestCa;
let company: TestSigner;
let rsaCompany: TestSigner;
let verifier: EdsVerifier;

beforeAll(async () => {
  [root, rsaRoot, stranger] = await Promise.all([createTestCa(), createTestCa({ algorithm: 'RSA' }), createTestCa()]);
  intermediate = await createTestCa({ issuer: root });
  [company, rsaCompany] = await Promise.all([
    issueSignerCertificate(root, { bin: BIN, iin: IIN, commonName: 'ТЕСТОВ ТЕСТ' }),
    issueSignerCertificate(rsaRoot, { bin: BIN, iin: IIN, algorithm: 'RSA' }),
  ]);
  // Two PEM blocks in one string, as a bundle file would have them.
  verifier = createEdsVerifier({ trustedCertificates: [root.certificatePem + rsaRoot.certificatePem] });
});

const verify = (
  signature: Uint8Array | string,
  options: { expectedBinIin?: string; at?: Date; doc?: Uint8Array; using?: EdsVerifier; freshWithinMs?: number } = {},
) =>
  (options.using ?? verifier).verify({
    document: options.doc ?? document,
    signature,
    expectedBinIin: options.expectedBinIin ?? BIN,
    at: options.at ?? now,
    freshWithinMs: options.freshWithinMs,
  });

describe('valid signatures', () => {
  test('RSA PKCS#1 v1.5, attached: valid, with the signer read from the certificate', async () => {
    const result = await verify(await signCms(rsaCompany, document));
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.signer).toMatchObject({
      bin: BIN,
      iin: IIN,
      commonName: 'ТЕСТОВ ТЕСТ',
      organization: 'ТОО «ТЕСТОВАЯ ОБУВЬ»',
      keyAlgorithm: 'RSA',
    });
    expect(result.signer!.subject).toContain(`SERIALNUMBER=IIN${IIN}`);
    expect(result.signer!.subject).toContain(`OU=BIN${BIN}`);
    expect(result.signer!.serialNumber).toMatch(/^[0-9a-f]+$/);
    expect(result.checks.map((c) => c.name)).toEqual([
      'format',
      'document',
      'algorithms',
      'digest',
      'signature',
      'signing time',
      'chain',
      'validity',
      'revocation',
      'key usage',
      'signer',
    ]);
    expect(result.checks.every((c) => c.ok)).toBe(true);
  });

  test('RSA-PSS: valid', async () => {
    const result = await verify(await signCms(rsaCompany, document, { rsaPss: true }));
    expect(result.problems).toEqual([]);
    expect(result.checks.find((c) => c.name === 'algorithms')!.detail).toContain('RSASSA-PSS');
  });

  test('ECDSA P-256, detached: valid', async () => {
    const result = await verify(await signCms(company, document, { detached: true }));
    expect(result.problems).toEqual([]);
    expect(result.signer!.keyAlgorithm).toBe('ECDSA');
    expect(result.checks[0].detail).toContain('detached');
  });

  test('ECDSA P-384 with SHA-384 under a P-384 CA: valid', async () => {
    const p384Root = await createTestCa({ algorithm: 'ECDSA-P384' });
    const signer = await issueSignerCertificate(p384Root, { bin: BIN, iin: IIN, algorithm: 'ECDSA-P384' });
    const using = createEdsVerifier({ trustedCertificates: [p384Root.certificatePem] });
    const result = await verify(await signCms(signer, document), { using });
    expect(result.problems).toEqual([]);
    expect(result.checks.find((c) => c.name === 'algorithms')!.detail).toBe(
      'SHA-384 digest, ECDSA with SHA-384 signature',
    );
  });

  test('through an intermediate CA carried in the CMS: valid; without it, untrusted', async () => {
    const signer = await issueSignerCertificate(intermediate, { bin: BIN, iin: IIN });
    const result = await verify(await signCms(signer, document, { includeChain: [intermediate] }));
    expect(result.problems).toEqual([]);
    expect(result.checks.find((c) => c.name === 'chain')!.detail).toContain(intermediate.name);
    expect(codes(await verify(await signCms(signer, document)))).toEqual(['UNTRUSTED_CHAIN']);
  });

  test('PEM (PKCS7 and CMS labels), base64 text and PEM bytes are read like DER', async () => {
    const cms = await signCms(company, document);
    for (const signature of [
      toPem(cms, 'PKCS7'),
      toPem(cms, 'CMS'),
      Buffer.from(cms).toString('base64'),
      new TextEncoder().encode(toPem(cms, 'PKCS7')),
    ]) {
      expect((await verify(signature)).problems).toEqual([]);
    }
  });

  test('an individual entrepreneur signs with an IIN-only certificate', async () => {
    const entrepreneur = await issueSignerCertificate(root, { iin: ENTREPRENEUR_IIN });
    const result = await verify(await signCms(entrepreneur, document), { expectedBinIin: ENTREPRENEUR_IIN });
    expect(result.problems).toEqual([]);
    expect(result.signer).toMatchObject({ iin: ENTREPRENEUR_IIN, bin: undefined });
  });

  test('certificates are checked at the receipt time: a stored signature checked later passes its receipt as `at`', async () => {
    const receivedAt = new Date(now.getTime() - 20 * DAY);
    const signer = await issueSignerCertificate(root, {
      bin: BIN,
      iin: IIN,
      notBefore: new Date(now.getTime() - 400 * DAY),
      notAfter: new Date(now.getTime() - 10 * DAY),
    });
    const cms = await signCms(signer, document, { signingTime: new Date(receivedAt.getTime() - 3_600_000) });
    const result = await verify(cms, { at: receivedAt });
    expect(result.problems).toEqual([]);
    expect(result.signingTime).toBe(new Date(receivedAt.getTime() - 3_600_000).toISOString());
    expect(result.checks.find((c) => c.name === 'validity')!.detail).toContain(
      `the receipt time ${receivedAt.toISOString()}`,
    );
    // Received now, the same signature is refused: the certificate expired before the receipt.
    expect(codes(await verify(cms))).toEqual(['SIGNING_TIME_TOO_OLD', 'CERTIFICATE_EXPIRED']);
  });

  test('without a signingTime attribute, `at` is the signing time', async () => {
    const result = await verify(await signCms(company, document, { signingTime: null }));
    expect(result.problems).toEqual([]);
    expect(result.signingTime).toBe(now.toISOString());
  });
});

describe('a signature that takes effect on receipt (10.5.1: joining)', () => {
  const FIFTEEN_MINUTES = 15 * 60_000;

  test('made a moment ago with a certificate valid now: accepted', async () => {
    const result = await verify(await signCms(company, document, { signingTime: new Date(now.getTime() - 60_000) }), {
      freshWithinMs: FIFTEEN_MINUTES,
    });
    expect(result.problems).toEqual([]);
  });

  test('a signingTime older than the tolerance is refused: the date of joining is the receipt, not a date the signer chose', async () => {
    const result = await verify(await signCms(company, document, { signingTime: new Date(now.getTime() - 20 * DAY) }), {
      freshWithinMs: FIFTEEN_MINUTES,
    });
    expect(codes(result)).toEqual(['SIGNING_TIME_TOO_OLD']);
  });

  test('a certificate expired at receipt is refused, whatever the signing time', async () => {
    const signer = await issueSignerCertificate(root, {
      bin: BIN,
      iin: IIN,
      notBefore: new Date(now.getTime() - 400 * DAY),
      notAfter: new Date(now.getTime() - 10 * DAY),
    });
    const backdated = await verify(
      await signCms(signer, document, { signingTime: new Date(now.getTime() - 20 * DAY) }),
      { freshWithinMs: FIFTEEN_MINUTES },
    );
    expect(codes(backdated)).toEqual(['SIGNING_TIME_TOO_OLD', 'CERTIFICATE_EXPIRED']);
    const unsigned = await verify(await signCms(signer, document, { signingTime: null }), {
      freshWithinMs: FIFTEEN_MINUTES,
    });
    expect(codes(unsigned)).toEqual(['CERTIFICATE_EXPIRED']);
  });
});

describe('rejections', () => {
  test('a different document than the attached one', async () => {
    const result = await verify(await signCms(company, document), {
      doc: new TextEncoder().encode('{"application":"join","bin":"000000000000"}'),
    });
    expect(codes(result)).toEqual(['DOCUMENT_MISMATCH']);
    expect(result.problems[0].message).toMatch(
      /attached to the signature \(\d+ bytes, SHA-256 [0-9a-f]{64}\) differs from the application document/,
    );
  });

  test('a tampered document against a detached signature', async () => {
    const tampered = document.slice();
    tampered[5] ^= 1;
    const result = await verify(await signCms(company, document, { detached: true }), { doc: tampered });
    expect(codes(result)).toEqual(['DOCUMENT_MISMATCH']);
    expect(result.problems[0].message).toContain('messageDigest');
  });

  test('a signature value that does not verify', async () => {
    const cms = alterSignedData(await signCms(company, document), ({ signerInfos: [signerInfo] }) => {
      const value = signerInfo.signature.valueBlock.valueHexView.slice();
      value[value.length - 3] ^= 1;
      signerInfo.signature = new asn1js.OctetString({ valueHex: value });
    });
    expect(codes(await verify(cms))).toEqual(['SIGNATURE_INVALID']);
  });

  test('an eContentType other than the signed contentType attribute', async () => {
    const cms = alterSignedData(await signCms(company, document), (signedData) => {
      signedData.encapContentInfo.eContentType = '1.2.840.113549.1.7.5';
    });
    const result = await verify(cms);
    expect(codes(result)).toEqual(['MALFORMED_SIGNATURE']);
    expect(result.problems[0].message).toContain(
      'contentType attribute (1.2.840.113549.1.7.1) is not the content type 1.2.840.113549.1.7.5',
    );
  });

  test('a certificate expired at the receipt time', async () => {
    const notAfter = new Date(now.getTime() - DAY);
    const signer = await issueSignerCertificate(root, {
      bin: BIN,
      iin: IIN,
      notBefore: new Date(now.getTime() - 400 * DAY),
      notAfter,
    });
    const result = await verify(await signCms(signer, document));
    expect(codes(result)).toEqual(['CERTIFICATE_EXPIRED']);
    expect(result.problems[0].message).toContain(`expired on ${notAfter.toISOString()}`);
  });

  test('a certificate not yet valid at the receipt time', async () => {
    const notBefore = new Date(now.getTime() + DAY);
    const signer = await issueSignerCertificate(root, {
      bin: BIN,
      iin: IIN,
      notBefore,
      notAfter: new Date(now.getTime() + 400 * DAY),
    });
    const result = await verify(await signCms(signer, document));
    expect(codes(result)).toEqual(['CERTIFICATE_NOT_YET_VALID']);
    expect(result.problems[0].message).toContain(notBefore.toISOString());
  });

  test('an expired intermediate CA', async () => {
    const expiredCa = await createTestCa({
      issuer: root,
      notBefore: new Date(now.getTime() - 900 * DAY),
      notAfter: new Date(now.getTime() - DAY),
    });
    const signer = await issueSignerCertificate(expiredCa, { bin: BIN, iin: IIN });
    const result = await verify(await signCms(signer, document, { includeChain: [expiredCa] }));
    expect(codes(result)).toEqual(['CERTIFICATE_EXPIRED']);
    expect(result.problems[0].message).toContain(expiredCa.name);
  });

  test('a CA that is not configured as trusted', async () => {
    const signer = await issueSignerCertificate(stranger, { bin: BIN, iin: IIN });
    const result = await verify(await signCms(signer, document, { includeChain: [stranger] }));
    expect(codes(result)).toEqual(['UNTRUSTED_CHAIN']);
    expect(result.problems[0].message).toContain(`self-signed "${stranger.name}"`);
  });

  test('a certificate naming a trusted CA as issuer but signed by another key', async () => {
    const impostor: TestCa = { ...root, keys: stranger.keys };
    const forged = await issueSignerCertificate(impostor, { bin: BIN, iin: IIN });
    const result = await verify(await signCms(forged, document));
    expect(codes(result)).toEqual(['UNTRUSTED_CHAIN']);
    expect(result.problems[0].message).toContain(`does not verify with the key of "${root.name}"`);
  });

  test('an end-entity certificate cannot act as a CA for another BIN', async () => {
    const posingAsCa: TestCa = {
      ...company,
      name: 'ТЕСТОВ ТЕСТ',
      keys: { privateKey: company.privateKey, publicKey: company.privateKey },
    };
    const forged = await issueSignerCertificate(posingAsCa, { bin: OTHER_BIN, iin: IIN });
    const result = await verify(await signCms(forged, document, { includeChain: [posingAsCa] }), {
      expectedBinIin: OTHER_BIN,
    });
    expect(codes(result)).toEqual(['UNTRUSTED_CHAIN']);
    expect(result.problems[0].message).toContain('not a CA certificate');
  });

  test('a certificate of another BIN', async () => {
    const result = await verify(await signCms(company, document), { expectedBinIin: OTHER_BIN });
    expect(codes(result)).toEqual(['SIGNER_MISMATCH']);
    expect(result.problems[0].message).toBe(
      `The certificate names BIN ${BIN} (signer IIN ${IIN}), but the applicant's BIN/IIN is ${OTHER_BIN}.`,
    );
  });

  test("an employee's IIN does not stand for the company's BIN", async () => {
    expect(codes(await verify(await signCms(company, document), { expectedBinIin: IIN }))).toEqual(['SIGNER_MISMATCH']);
  });

  test('a key usage without digitalSignature and nonRepudiation', async () => {
    const signer = await issueSignerCertificate(root, { bin: BIN, iin: IIN, keyUsage: 'encipherment-only' });
    const result = await verify(await signCms(signer, document));
    expect(codes(result)).toEqual(['KEY_USAGE']);
    expect(result.problems[0].message).toContain('allows only keyEncipherment');
  });

  test('a signing time more than 5 minutes after `at`; 4 minutes is clock skew', async () => {
    const late = await verify(await signCms(company, document, { signingTime: new Date(now.getTime() + 10 * 60_000) }));
    expect(codes(late)).toEqual(['SIGNING_TIME_IN_FUTURE']);
    const skewed = await verify(
      await signCms(company, document, { signingTime: new Date(now.getTime() + 4 * 60_000) }),
    );
    expect(skewed.problems).toEqual([]);
  });

  test.each([
    ['random bytes', new Uint8Array([0x30, 0x82, 0x01, 0x00, 1, 2, 3])],
    ['text', 'not a signature at all!'],
    ['an empty string', ''],
    ['a certificate instead of a CMS', '-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----'],
  ])('garbage: %s', async (_, signature) => {
    const result = await verify(signature);
    expect(result).toMatchObject({ valid: false, signer: undefined, signingTime: now.toISOString() });
    expect(codes(result)).toEqual(['MALFORMED_SIGNATURE']);
  });

  test('a CMS that is not SignedData', async () => {
    const data = new pkijs.ContentInfo({
      contentType: '1.2.840.113549.1.7.1',
      content: new asn1js.OctetString({ valueHex: document }),
    });
    const result = await verify(new Uint8Array(data.toSchema().toBER()));
    expect(codes(result)).toEqual(['MALFORMED_SIGNATURE']);
    expect(result.problems[0].message).toContain('not SignedData');
  });

  test('every problem is reported, not only the first', async () => {
    const signer = await issueSignerCertificate(stranger, {
      bin: OTHER_BIN,
      keyUsage: 'encipherment-only',
      notBefore: new Date(now.getTime() - 400 * DAY),
      notAfter: new Date(now.getTime() - DAY),
    });
    const result = await verify(await signCms(signer, document), { doc: new Uint8Array([1, 2, 3]) });
    expect(codes(result).sort()).toEqual([
      'CERTIFICATE_EXPIRED',
      'DOCUMENT_MISMATCH',
      'KEY_USAGE',
      'SIGNER_MISMATCH',
      'UNTRUSTED_CHAIN',
    ]);
    expect(result.signer!.bin).toBe(OTHER_BIN);
  });
});

describe('algorithms', () => {
  const KZ_GOST_SIGNATURE = '1.2.398.3.10.1.1.1.2';
  const KZ_GOST_DIGEST = '1.2.398.3.10.1.3.1';
  const asGost = (cms: Uint8Array) =>
    alterSignedData(cms, ({ signerInfos: [signerInfo] }) => {
      signerInfo.signatureAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: KZ_GOST_SIGNATURE });
      signerInfo.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: KZ_GOST_DIGEST });
    });

  test('Kazakh GOST without a provider is unsupported, naming the national provider', async () => {
    const result = await verify(asGost(await signCms(company, document)));
    expect(codes(result)).toEqual(['UNSUPPORTED_ALGORITHM']);
    expect(result.problems[0].message).toContain(KZ_GOST_SIGNATURE);
    expect(result.problems[0].message).toMatch(/national crypto provider \(NCA RK KalkanCrypt or NCANode\)/);
    expect(result.signer!.bin).toBe(BIN);
  });

  test('with a GostProvider its answer is used, and the certificate checks still run', async () => {
    const cms = asGost(await signCms(company, document));
    const calls: Array<Parameters<GostProvider['verify']>[0]> = [];
    const provider = (ok: boolean): GostProvider => ({
      verify: async (input) => (
        calls.push(input),
        {
          ok,
          signerCertificate: rsaCompany.certificateDer,
          detail: ok ? 'KalkanCrypt: signature valid' : 'KalkanCrypt: bad signature',
        }
      ),
    });
    const accepting = createEdsVerifier({ trustedCertificates: [root.certificatePem], gost: provider(true) });
    const accepted = await verify(cms, { using: accepting });
    expect(accepted.problems).toEqual([]);
    expect(accepted.signer!.keyAlgorithm).toBe('RSA'); // the provider's certificate, not the CMS's ECDSA one
    expect(accepted.checks.find((c) => c.name === 'national provider')!.detail).toContain(
      'KalkanCrypt: signature valid',
    );
    expect(calls[0]).toEqual({ document, signature: cms, at: now });

    const rejecting = createEdsVerifier({ trustedCertificates: [root.certificatePem], gost: provider(false) });
    const rejected = await verify(cms, { using: rejecting, expectedBinIin: OTHER_BIN });
    expect(codes(rejected)).toEqual(['SIGNATURE_INVALID', 'SIGNER_MISMATCH']);
    expect(rejected.problems[0].message).toContain('KalkanCrypt: bad signature');
  });

  test('SHA-1 is not accepted', async () => {
    const cms = alterSignedData(await signCms(company, document), ({ signerInfos: [signerInfo] }) => {
      signerInfo.digestAlgorithm = new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.14.3.2.26' });
    });
    expect(codes(await verify(cms))).toEqual(['UNSUPPORTED_ALGORITHM']);
  });
});

describe('trusted CA configuration', () => {
  test('loadTrustedCertificates reads PEM and DER files and skips the rest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eds-trust-'));
    try {
      fs.writeFileSync(path.join(dir, 'root.pem'), root.certificatePem);
      fs.writeFileSync(path.join(dir, 'rsa-root.cer'), rsaRoot.certificateDer);
      fs.writeFileSync(path.join(dir, 'README.txt'), 'not a certificate');
      const trusted = loadTrustedCertificates(dir);
      expect(trusted).toHaveLength(2);
      const fromDir = createEdsVerifier({ trustedCertificates: trusted });
      expect((await verify(await signCms(rsaCompany, document), { using: fromDir })).problems).toEqual([]);
      fs.writeFileSync(path.join(dir, 'broken.crt'), 'garbage');
      expect(() => loadTrustedCertificates(dir)).toThrow(/broken\.crt/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without trusted certificates every chain is untrusted, saying why; a missing directory is empty', async () => {
    expect(loadTrustedCertificates(path.join(os.tmpdir(), 'eds-no-such-dir'))).toEqual([]);
    const result = await verify(await signCms(company, document), {
      using: createEdsVerifier({ trustedCertificates: [] }),
    });
    expect(codes(result)).toEqual(['UNTRUSTED_CHAIN']);
    expect(result.problems[0].message).toContain('No trusted CA certificates are configured');
    // The applicant is told in Russian that the operator has not set up NCA RK's certificates, never the setting's name.
    expect(result.problems[0].messageRu).toMatch(
      /Оператор ещё не настроил сертификаты Национального удостоверяющего центра РК.*службу поддержки/,
    );
    expect(JSON.stringify(result)).not.toContain('EDS_TRUSTED_CA_DIR');
  });

  test('a trusted certificate string without a certificate is a configuration error', () => {
    expect(() => createEdsVerifier({ trustedCertificates: ['nonsense'] })).toThrow(/BEGIN CERTIFICATE/);
  });
});
