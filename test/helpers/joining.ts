import type { Db } from '../../db/connection';
import { createEdsVerifier } from '../../lib/eds';
import { joinApplicationDocument, normaliseJoinForm, type JoinForm } from '../../lib/joining/form';
import { randomBinIin } from './fixtures';
import { createTestCa, issueSignerCertificate, signCms, TestCa, TestSigner } from './pki';

/** A filled-in Прил. 1 form that passes every check. */
export function sampleForm(overrides: Partial<JoinForm> = {}): JoinForm {
  return {
    companyName: 'ТОО «Степная обувь»',
    signerName: 'Ахметов Ерлан Серикович',
    signerPosition: 'Директор',
    authorityBasis: 'Устав',
    binIin: randomBinIin(),
    legalAddress: 'г. Алматы, ул. Абая, 10',
    actualAddress: 'г. Алматы, ул. Абая, 10, офис 5',
    iik: 'KZ86125KZT5004100100',
    bankName: 'АО «Народный банк Казахстана»',
    kbe: '17',
    bik: 'HSBKKZKX',
    phone: '+7 701 123 45 67',
    email: `applicant-${Math.random().toString(36).slice(2)}@example.kz`,
    personalDataConsent: true,
    ...overrides,
  };
}

export interface TestPki {
  ca: TestCa;
  verifier: ReturnType<typeof createEdsVerifier>;
  /** A signer certificate naming the BIN, from the trusted CA. */
  signerFor(binIin: string, options?: Parameters<typeof issueSignerCertificate>[1]): Promise<TestSigner>;
}

/** A CA the verifier trusts, valid for decades (the time-skipping clock may run years ahead). */
export async function createTestPki(): Promise<TestPki> {
  const ca = await createTestCa({
    name: 'Тестовый НУЦ',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2090-01-01T00:00:00Z'),
  });
  return {
    ca,
    verifier: createEdsVerifier({ trustedCertificates: [ca.certificatePem] }),
    signerFor: (binIin, options = {}) =>
      issueSignerCertificate(ca, {
        bin: binIin,
        iin: randomBinIin(),
        notBefore: new Date('2020-01-01T00:00:00Z'),
        notAfter: new Date('2089-01-01T00:00:00Z'),
        ...options,
      }),
  };
}

/** The form signed as the client's EDS would sign it: CMS over the canonical document, base64. */
export async function signForm(
  signer: TestSigner,
  form: JoinForm,
  options: Parameters<typeof signCms>[2] = {},
): Promise<string> {
  return Buffer.from(await signCms(signer, joinApplicationDocument(form), options)).toString('base64');
}

/** An application row as the API stores it after checking the signature. */
export async function insertApplication(db: Db, form: JoinForm, signature: string, submittedAt: Date) {
  const normal = normaliseJoinForm(form);
  const date = submittedAt.toISOString().slice(0, 10);
  const [row] = await db('join_applications')
    .insert({
      number: `ЗП-TEST-${Math.random().toString(36).slice(2, 8)}`,
      bin_iin: normal.binIin,
      email: normal.email,
      form: normal,
      document: joinApplicationDocument(normal),
      signature: Buffer.from(signature),
      signed_at: submittedAt,
      joined_on: date,
      effective_from: date,
      submitted_at: submittedAt,
    })
    .returning('*');
  return row;
}
