import {
  createEdsVerifier,
  EDS_PROBLEM_MESSAGES_RU,
  refusalMessageRu,
  type EdsProblemCode,
  type EdsVerification,
  type EdsVerifier,
} from '../../lib/eds';
import { withBinIinCheckDigit } from '../../lib/kz-identifiers';
import { createTestCa, issueCrl, issueSignerCertificate, signCms, type TestCa, type TestSigner } from '../helpers/pki';

// Issue #16: revocation against imported CRLs, NCA RK's key usages, and the receipt-time rules.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BIN = withBinIinCheckDigit('07014000123')!;
const IIN = withBinIinCheckDigit('85030130012')!;
const document = new TextEncoder().encode('{"act":"monthly","bin":"' + BIN + '"}');
const now = new Date(Math.floor(Date.now() / 1000) * 1000);

const codes = (result: EdsVerification) => result.problems.map((p) => p.code);
const check = (result: EdsVerification, name: string) => result.checks.find((c) => c.name === name)!;

let root: TestCa;
let intermediate: TestCa;
let stranger: TestCa;
let company: TestSigner;
let revoked: TestSigner;

beforeAll(async () => {
  [root, stranger] = await Promise.all([createTestCa(), createTestCa()]);
  intermediate = await createTestCa({ issuer: root });
  [company, revoked] = await Promise.all([
    issueSignerCertificate(intermediate, { bin: BIN, iin: IIN }),
    issueSignerCertificate(intermediate, { bin: BIN, iin: IIN, commonName: 'ОТОЗВАН ОТОЗВАНОВИЧ' }),
  ]);
});

const verify = (using: EdsVerifier, signature: Uint8Array, at = now, freshWithinMs?: number) =>
  using.verify({ document, signature, expectedBinIin: BIN, at, freshWithinMs });
/** Trusts the root and the intermediate, as the operator adds NCA RK's root and intermediates. */
const trusting = (options: Omit<Parameters<typeof createEdsVerifier>[0], 'trustedCertificates'> = {}) =>
  createEdsVerifier({ trustedCertificates: [root.certificatePem, intermediate.certificatePem], ...options });

describe('revocation against imported CRLs', () => {
  test("a signer on its issuer's current CRL, revoked before the receipt: CERTIFICATE_REVOKED; others pass, checked", async () => {
    const crl = await issueCrl(intermediate, {
      revoked: [{ certificate: revoked, revokedAt: new Date(now.getTime() - DAY) }],
    });
    const using = trusting({ crls: [crl.pem] });
    const refused = await verify(using, await signCms(revoked, document));
    expect(codes(refused)).toEqual(['CERTIFICATE_REVOKED']);
    expect(refused.problems[0].message).toContain('ОТОЗВАН ОТОЗВАНОВИЧ');
    expect(refused.problems[0].messageRu).toBe(EDS_PROBLEM_MESSAGES_RU.CERTIFICATE_REVOKED);

    const accepted = await verify(using, await signCms(company, document));
    expect(accepted.problems).toEqual([]);
    expect(check(accepted, 'revocation').detail).toContain('not revoked at the receipt time per the CRL of');
  });

  test('DER and base64 CRLs are read like PEM', async () => {
    const crl = await issueCrl(intermediate, { revoked: [{ certificate: revoked }] });
    for (const input of [crl.der, Buffer.from(crl.der).toString('base64')]) {
      expect(codes(await verify(trusting({ crls: [input] }), await signCms(revoked, document)))).toEqual([
        'CERTIFICATE_REVOKED',
      ]);
    }
  });

  test('revoked after the receipt: a stored signature checked later still stands, with a note', async () => {
    const receivedAt = new Date(now.getTime() - 2 * DAY);
    const crl = await issueCrl(intermediate, {
      revoked: [{ certificate: revoked, revokedAt: new Date(now.getTime() - DAY) }],
    });
    const result = await verify(
      trusting({ crls: [crl.pem] }),
      await signCms(revoked, document, { signingTime: new Date(receivedAt.getTime() - HOUR) }),
      receivedAt,
    );
    expect(result.problems).toEqual([]);
    expect(check(result, 'revocation').detail).toContain('revoked later');
  });

  test('an intermediate on the root’s CRL is revoked too', async () => {
    const rootCrl = await issueCrl(root, { revoked: [{ certificate: intermediate }] });
    const using = createEdsVerifier({ trustedCertificates: [root.certificatePem], crls: [rootCrl.pem] });
    const result = await verify(using, await signCms(company, document, { includeChain: [intermediate] }));
    expect(codes(result)).toEqual(['CERTIFICATE_REVOKED']);
    expect(result.problems[0].message).toContain(intermediate.name);
  });

  test('no CRL, or one past its nextUpdate: status unknown — a note by default, REVOCATION_UNKNOWN in strict mode', async () => {
    const stale = await issueCrl(intermediate, {
      thisUpdate: new Date(now.getTime() - 3 * DAY),
      nextUpdate: new Date(now.getTime() - DAY),
    });
    const cms = await signCms(company, document);
    for (const crls of [[], [stale.pem]]) {
      const lenient = await verify(trusting({ crls }), cms);
      expect(lenient.problems).toEqual([]);
      expect(check(lenient, 'revocation').detail).toMatch(
        /Revocation status unknown: .*OCSP is not queried.*not refused, as strict revocation checking is off/,
      );
      const strict = await verify(trusting({ crls, strictRevocation: true }), cms);
      expect(codes(strict)).toEqual(['REVOCATION_UNKNOWN']);
    }
    // A stale CRL that lists the certificate still says it is revoked.
    const staleRevoking = await issueCrl(intermediate, {
      revoked: [{ certificate: revoked, revokedAt: new Date(now.getTime() - 4 * DAY) }],
      thisUpdate: new Date(now.getTime() - 3 * DAY),
      nextUpdate: new Date(now.getTime() - DAY),
    });
    expect(codes(await verify(trusting({ crls: [staleRevoking.pem] }), await signCms(revoked, document)))).toEqual([
      'CERTIFICATE_REVOKED',
    ]);
  });

  test('the latest CRL of an issuer counts', async () => {
    const older = await issueCrl(intermediate, {
      thisUpdate: new Date(now.getTime() - 2 * DAY),
      nextUpdate: new Date(now.getTime() + DAY),
    });
    const newer = await issueCrl(intermediate, {
      revoked: [{ certificate: revoked }],
      thisUpdate: new Date(now.getTime() - HOUR),
    });
    expect(codes(await verify(trusting({ crls: [newer.pem, older.pem] }), await signCms(revoked, document)))).toEqual([
      'CERTIFICATE_REVOKED',
    ]);
  });

  test('a delta CRL is not taken: the latest CRL of an issuer must list every revocation', async () => {
    const delta = await issueCrl(intermediate, { delta: true });
    await expect(verify(trusting({ crls: [delta.pem] }), await signCms(company, document))).rejects.toThrow(
      /delta CRL/,
    );
  });

  test('a CRL not signed by a trusted CA is a configuration error', async () => {
    const forged = await issueCrl(intermediate, {
      revoked: [{ certificate: company }],
      signingKey: stranger.keys.privateKey,
    });
    await expect(verify(trusting({ crls: [forged.pem] }), await signCms(company, document))).rejects.toThrow(
      /not signed by a trusted CA.*does not verify/,
    );
    const foreign = await issueCrl(stranger);
    await expect(verify(trusting({ crls: [foreign.pem] }), await signCms(company, document))).rejects.toThrow(
      /no trusted CA certificate has the CRL's issuer name/,
    );
  });
});

describe('key usage as NCA RK issues it', () => {
  test('a signing certificate (digitalSignature + nonRepudiation) signs', async () => {
    const result = await verify(trusting(), await signCms(company, document));
    expect(result.problems).toEqual([]);
    expect(check(result, 'key usage').detail).toBe('digitalSignature, nonRepudiation');
  });

  test('an authentication certificate (AUTH_: digitalSignature + keyEncipherment, clientAuth) does not sign documents', async () => {
    const auth = await issueSignerCertificate(intermediate, { bin: BIN, iin: IIN, keyUsage: 'authentication' });
    const result = await verify(trusting(), await signCms(auth, document));
    expect(codes(result)).toEqual(['KEY_USAGE']);
    expect(result.problems[0].message).toContain('allows only digitalSignature, keyEncipherment');
    expect(result.problems[0].message).toContain('authentication only (extendedKeyUsage clientAuth');
    expect(result.problems[0].messageRu).toContain('AUTH');
  });
});

describe('times: certificates valid at the receipt; signingTime within the tolerance of it', () => {
  test('signed within the tolerance (default 24 h) before the receipt: accepted; earlier: SIGNING_TIME_TOO_OLD', async () => {
    const using = trusting();
    expect(
      (await verify(using, await signCms(company, document, { signingTime: new Date(now.getTime() - 23 * HOUR) })))
        .problems,
    ).toEqual([]);
    const old = await verify(
      using,
      await signCms(company, document, { signingTime: new Date(now.getTime() - 25 * HOUR) }),
    );
    expect(codes(old)).toEqual(['SIGNING_TIME_TOO_OLD']);
    expect(old.problems[0].message).toContain('more than 24 hours before its receipt');
  });

  test('the tolerance is the verifier’s setting; a check may ask for less (joining: 15 minutes)', async () => {
    const cms = await signCms(company, document, { signingTime: new Date(now.getTime() - 2 * HOUR) });
    expect(codes(await verify(trusting({ signingTimeToleranceMs: HOUR }), cms))).toEqual(['SIGNING_TIME_TOO_OLD']);
    expect(codes(await verify(trusting({ signingTimeToleranceMs: 3 * HOUR }), cms))).toEqual([]);
    expect(codes(await verify(trusting(), cms, now, 15 * 60_000))).toEqual(['SIGNING_TIME_TOO_OLD']);
  });

  test('a certificate that expired between signing and receipt is refused', async () => {
    const expiring = await issueSignerCertificate(intermediate, {
      bin: BIN,
      iin: IIN,
      notBefore: new Date(now.getTime() - 100 * DAY),
      notAfter: new Date(now.getTime() - HOUR),
    });
    const result = await verify(
      trusting(),
      await signCms(expiring, document, { signingTime: new Date(now.getTime() - 2 * HOUR) }),
    );
    expect(codes(result)).toEqual(['CERTIFICATE_EXPIRED']);
    expect(result.problems[0].message).toContain('before the receipt time');
  });
});

describe('Russian messages for applicants', () => {
  test('every problem code has one, and a refusal names each reason once', () => {
    const all: EdsProblemCode[] = [
      'MALFORMED_SIGNATURE',
      'DOCUMENT_MISMATCH',
      'SIGNATURE_INVALID',
      'CERTIFICATE_NOT_YET_VALID',
      'CERTIFICATE_EXPIRED',
      'UNTRUSTED_CHAIN',
      'KEY_USAGE',
      'SIGNER_MISMATCH',
      'SIGNING_TIME_IN_FUTURE',
      'SIGNING_TIME_TOO_OLD',
      'UNSUPPORTED_ALGORITHM',
      'CERTIFICATE_REVOKED',
      'REVOCATION_UNKNOWN',
    ];
    for (const code of all) expect(EDS_PROBLEM_MESSAGES_RU[code]).toMatch(/[а-яё]/i);
    const message = refusalMessageRu([
      { code: 'CERTIFICATE_EXPIRED', message: 'x' },
      { code: 'CERTIFICATE_EXPIRED', message: 'y' },
      { code: 'SIGNER_MISMATCH', message: 'z' },
    ]);
    expect(message).toBe(
      `Подпись ЭЦП не принята. ${EDS_PROBLEM_MESSAGES_RU.CERTIFICATE_EXPIRED} ${EDS_PROBLEM_MESSAGES_RU.SIGNER_MISMATCH}`,
    );
  });
});
