import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REJECTIONS_KEPT_PER_HOUR } from '../../db/eds-trust-store';
import { createStoreEdsVerifier, importTrustedDirectory } from '../../db/eds-trust';
import type { JoinForm } from '../../lib/joining/form';
import { expectApiError, startTestApi, TestApi } from '../helpers/api';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertStaff, randomBinIin } from '../helpers/fixtures';
import { sampleForm, signForm } from '../helpers/joining';
import { createTestCa, issueCrl, issueSignerCertificate, toPem, type TestCa, type TestSigner } from '../helpers/pki';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';

// Issue #16: the EDS trust store. A fresh install trusts nobody and says so; an admin adds NCA
// RK's certificates and imports its CRLs through the API, and the running API (and its worker)
// use them at the next check — no restart.

let database: TestDatabase;
let smtp: SmtpReceiver;
let api: TestApi;
let admin: { id: string; token: string };
let moderator: { id: string; token: string };
let support: { id: string; token: string };
let nca: TestCa;

const DECADES = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2089-01-01T00:00:00Z') };

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startSmtpReceiver();
  api = await startTestApi({ db: database.db, smtpUrl: smtp.url, eds: createStoreEdsVerifier(database.db) });
  [admin, moderator, support] = await Promise.all([
    insertStaff(database.db, ['admin']),
    insertStaff(database.db, ['moderator']),
    insertStaff(database.db, ['support']),
  ]);
  nca = await createTestCa({
    name: 'ҰЛТТЫҚ КУӘЛАНДЫРУШЫ ОРТАЛЫҚ (RSA) ТЕСТ',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2090-01-01T00:00:00Z'),
  });
});

afterAll(async () => {
  await api?.stop();
  await smtp?.close();
  await database?.drop();
});

const signerFor = (form: JoinForm, ca = nca): Promise<TestSigner> =>
  issueSignerCertificate(ca, { bin: form.binIin, iin: randomBinIin(), ...DECADES });
const submit = (form: JoinForm, signature: string) =>
  api.request('POST', '/v1/join-applications', { body: { form, signature } });
const problemCodes = (response: { body: any }) =>
  (response.body.details?.problems ?? []).map((p: { code: string }) => p.code);
const addCa = (body: Record<string, unknown>, token = admin.token) =>
  api.request('POST', '/staff/v1/eds/trusted-certificates', { token, body });
const health = async () => (await api.request('GET', '/health')).body;

test('a fresh install refuses joining in Russian and records the refusal; the CA an admin adds counts at once, without a restart', async () => {
  expect((await health()).eds).toMatchObject({
    trustedCertificates: 0,
    crls: 0,
    warning: expect.stringContaining('No trusted CA certificates'),
  });

  const form = sampleForm();
  const signature = await signForm(await signerFor(form), form);
  const refused = await submit(form, signature);
  expectApiError(refused, 422, 'SIGNATURE_REJECTED');
  expect(refused.body.message).toContain(
    'Оператор ещё не настроил сертификаты Национального удостоверяющего центра РК',
  );
  expect(refused.body.message).toContain('службу поддержки');
  expect(JSON.stringify(refused.body)).not.toContain('EDS_TRUSTED_CA_DIR');
  expect(refused.body.details.problems).toEqual([
    expect.objectContaining({
      code: 'UNTRUSTED_CHAIN',
      messageRu: expect.stringContaining('Оператор ещё не настроил'),
    }),
  ]);
  expect(await database.db('join_applications').where({ bin_iin: form.binIin })).toEqual([]);

  // Moderators (and admins) read what was refused, and why; support does not.
  expectApiError(
    await api.request('GET', '/staff/v1/join-applications/rejected', { token: support.token }),
    403,
    'FORBIDDEN',
  );
  const rejected = await api.request('GET', `/staff/v1/join-applications/rejected?binIin=${form.binIin}`, {
    token: moderator.token,
  });
  expect(rejected.status).toBe(200);
  expect(rejected.body.rejections).toEqual([
    expect.objectContaining({
      id: refused.body.details.rejectionId,
      binIin: form.binIin,
      email: form.email,
      form: expect.objectContaining({ companyName: form.companyName }),
      problems: [expect.objectContaining({ code: 'UNTRUSTED_CHAIN' })],
      signatureCheck: expect.objectContaining({ valid: false }),
      clientIp: '127.0.0.1',
    }),
  ]);
  expect(Date.now() - Date.parse(rejected.body.rejections[0].receivedAt)).toBeLessThan(60_000);
  expect(
    (await api.request('GET', '/staff/v1/join-applications/rejected', { token: admin.token })).body.rejections.length,
  ).toBeGreaterThanOrEqual(1);

  // Only admins manage the store.
  expectApiError(await addCa({ certificate: nca.certificatePem }, moderator.token), 403, 'FORBIDDEN');
  expectApiError(
    await api.request('GET', '/staff/v1/eds/trusted-certificates', { token: moderator.token }),
    403,
    'FORBIDDEN',
  );
  expectApiError(await api.request('GET', '/staff/v1/eds/trusted-certificates'), 401, 'UNAUTHENTICATED');

  // Not a CA, not a certificate: refused with a code.
  expectApiError(await addCa({ certificate: (await signerFor(form)).certificatePem }), 400, 'NOT_A_CA_CERTIFICATE');
  expectApiError(
    await addCa({ certificate: 'this is not a certificate, not even base64!!' }),
    400,
    'INVALID_CERTIFICATE',
  );

  // NCA RK publishes DER .cer files: base64 DER is accepted.
  const added = await addCa({
    certificate: Buffer.from(nca.certificateDer).toString('base64'),
    note: 'НУЦ РК, отпечаток сверен с pki.gov.kz',
  });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({
    subject: expect.stringContaining(nca.name),
    selfSigned: true,
    source: 'api',
    addedBy: { id: admin.id, name: expect.any(String) },
    removedAt: null,
    note: 'НУЦ РК, отпечаток сверен с pki.gov.kz',
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
  });
  expect(added.body.pem.replace(/\s+/g, '')).toBe(nca.certificatePem.replace(/\s+/g, ''));
  expectApiError(await addCa({ certificate: nca.certificatePem }), 409, 'ALREADY_TRUSTED');
  expect((await health()).eds).toEqual({ trustedCertificates: 1, crls: 0, strictRevocation: false });

  // The same application, signed moments ago, now passes: the running API reloaded the store.
  const accepted = await submit(form, signature);
  expect(accepted.status).toBe(202);
  expect(accepted.body.status).toBe('registered');
});

test('a CRL an admin imports revokes its signers at the next check; a CRL no trusted CA signed is refused', async () => {
  const list = await api.request('GET', '/staff/v1/eds/trusted-certificates', { token: admin.token });
  const ncaId = list.body.certificates.find((c: { subject: string }) => c.subject.includes(nca.name))?.id;
  expect(ncaId).toBeDefined();

  const form = sampleForm();
  const signer = await signerFor(form);
  const importCrl = (body: Record<string, unknown>, token = admin.token) =>
    api.request('POST', '/staff/v1/eds/crls', { token, body });
  const crl = await issueCrl(nca, { revoked: [{ certificate: signer, revokedAt: new Date(Date.now() - 60_000) }] });
  expectApiError(await importCrl({ crl: crl.pem }, moderator.token), 403, 'FORBIDDEN');
  expectApiError(
    await importCrl({ crl: toPem(new TextEncoder().encode('not a crl at all, only text'), 'X509 CRL') }),
    400,
    'INVALID_CRL',
  );
  const rogue = await createTestCa({ name: 'Чужой УЦ' });
  expectApiError(await importCrl({ crl: (await issueCrl(rogue)).pem }), 422, 'CRL_NOT_SIGNED_BY_TRUSTED_CA');
  expectApiError(
    await importCrl({ crl: (await issueCrl(nca, { signingKey: rogue.keys.privateKey })).pem }),
    422,
    'CRL_NOT_SIGNED_BY_TRUSTED_CA',
  );
  expectApiError(await importCrl({ crl: (await issueCrl(nca, { delta: true })).pem }), 400, 'DELTA_CRL');

  const imported = await importCrl({ crl: Buffer.from(crl.der).toString('base64') });
  expect(imported.status).toBe(201);
  expect(imported.body).toMatchObject({
    issuer: expect.stringContaining(nca.name),
    issuerCertificateId: ncaId,
    revokedCount: 1,
    status: 'current',
    importedBy: { id: admin.id },
  });
  expectApiError(await importCrl({ crl: crl.pem }), 409, 'CRL_ALREADY_IMPORTED');
  expect((await api.request('GET', '/staff/v1/eds/crls', { token: admin.token })).body.crls).toEqual([
    expect.objectContaining({ id: imported.body.id, status: 'current' }),
  ]);
  expect((await health()).eds).toMatchObject({ trustedCertificates: 1, crls: 1 });

  const revoked = await submit(form, await signForm(signer, form));
  expectApiError(revoked, 422, 'SIGNATURE_REJECTED');
  expect(problemCodes(revoked)).toEqual(['CERTIFICATE_REVOKED']);
  expect(revoked.body.message).toContain('Сертификат ЭЦП отозван');

  // Another certificate of the same CA still signs; the CRL speaks only for the one it lists.
  const other = sampleForm();
  expect((await submit(other, await signForm(await signerFor(other), other))).status).toBe(202);
});

test('strict revocation and the signing-time tolerance are the operator’s settings; removing a CA takes effect at once', async () => {
  const settings = (body?: Record<string, unknown>, token = admin.token) =>
    body
      ? api.request('PUT', '/staff/v1/eds/settings', { token, body })
      : api.request('GET', '/staff/v1/eds/settings', { token });
  expect((await settings()).body).toMatchObject({ strictRevocation: false, signingTimeToleranceMinutes: 1440 });
  expectApiError(await settings({ strictRevocation: true }, moderator.token), 403, 'FORBIDDEN');
  expectApiError(await settings({ signingTimeToleranceMinutes: 0 }), 400, 'VALIDATION_FAILED');

  // A second CA without any CRL: its signers' revocation status is unknown.
  const second = await createTestCa({
    name: 'Второй тестовый НУЦ',
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2090-01-01T00:00:00Z'),
  });
  const added = await addCa({ certificate: second.certificatePem });
  expect(added.status).toBe(201);
  const form = sampleForm();
  const signature = await signForm(await signerFor(form, second), form);
  expect((await settings({ strictRevocation: true })).body.strictRevocation).toBe(true);
  const unknown = await submit(form, signature);
  expect(problemCodes(unknown)).toEqual(['REVOCATION_UNKNOWN']);
  expect((await settings({ strictRevocation: false })).body.strictRevocation).toBe(false);

  // Removed: the second CA no longer counts, the next check says so.
  const removed = await api.request(
    'DELETE',
    `/staff/v1/eds/trusted-certificates/${added.body.id}?note=${encodeURIComponent('выведен из эксплуатации')}`,
    { token: admin.token },
  );
  expect(removed.status).toBe(200);
  expect(removed.body).toMatchObject({
    id: added.body.id,
    removedBy: { id: admin.id },
    removedAt: expect.any(String),
    note: 'выведен из эксплуатации',
  });
  expectApiError(
    await api.request('DELETE', `/staff/v1/eds/trusted-certificates/${added.body.id}`, { token: admin.token }),
    409,
    'ALREADY_REMOVED',
  );
  expectApiError(
    await api.request('DELETE', '/staff/v1/eds/trusted-certificates/00000000-0000-4000-8000-000000000000', {
      token: admin.token,
    }),
    404,
    'NOT_FOUND',
  );
  expect(problemCodes(await submit(form, signature))).toEqual(['UNTRUSTED_CHAIN']);
  const all = await api.request('GET', '/staff/v1/eds/trusted-certificates?includeRemoved=true', {
    token: admin.token,
  });
  expect(all.body.certificates.map((c: { id: string }) => c.id)).toContain(added.body.id);
  expect(
    (await api.request('GET', '/staff/v1/eds/trusted-certificates', { token: admin.token })).body.certificates.map(
      (c: { id: string }) => c.id,
    ),
  ).not.toContain(added.body.id);
});

test('an existing deployment keeps working: EDS_TRUSTED_CA_DIR is imported once, at the first start with certificates there', async () => {
  const fresh = await createTestDatabase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eds-trusted-ca-'));
  try {
    expect(await importTrustedDirectory(fresh.db, path.join(dir, 'missing'))).toEqual({ skipped: [] });
    expect(await importTrustedDirectory(fresh.db, dir)).toEqual({ imported: undefined, skipped: [] });
    const intermediate = await createTestCa({ issuer: nca });
    fs.writeFileSync(path.join(dir, 'nca-root.cer'), nca.certificateDer);
    fs.writeFileSync(path.join(dir, 'nca-intermediate.pem'), intermediate.certificatePem);
    fs.writeFileSync(
      path.join(dir, 'signer.pem'),
      (await issueSignerCertificate(nca, { bin: randomBinIin() })).certificatePem,
    );
    const first = await importTrustedDirectory(fresh.db, dir);
    expect(first.imported).toBe(2);
    expect(first.skipped).toEqual([expect.stringContaining('not a CA certificate')]);
    const verifier = createStoreEdsVerifier(fresh.db);
    expect(await verifier.status!()).toMatchObject({ trustedCertificates: 2 });
    // Once: a CA removed later is not brought back by the next start.
    await fresh.db('eds_trusted_certificates').update({ removed_at: new Date() });
    expect((await importTrustedDirectory(fresh.db, dir)).imported).toBeUndefined();
    expect(await fresh.db('eds_trusted_certificates').whereNull('removed_at')).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await fresh.drop();
  }
});

test('a flood of refused applications from one address keeps only the first ones an hour for the moderators; each is still answered', async () => {
  const fromHere = () =>
    database
      .db('join_application_rejections')
      .where({ client_ip: '127.0.0.1' })
      .count<{ n: string }[]>('* as n')
      .then((r) => Number(r[0].n));
  const before = await fromHere();
  expect(before).toBeLessThan(REJECTIONS_KEPT_PER_HOUR);
  const untrusted = await createTestCa({ name: 'Flood CA' });
  const answers = [];
  for (let i = 0; i < REJECTIONS_KEPT_PER_HOUR - before + 3; i++) {
    const form = sampleForm();
    answers.push(await submit(form, await signForm(await signerFor(form, untrusted), form)));
  }
  for (const answer of answers) expectApiError(answer, 422, 'SIGNATURE_REJECTED');
  const ids = answers.map((a) => a.body.details.rejectionId);
  expect(ids.filter(Boolean)).toHaveLength(REJECTIONS_KEPT_PER_HOUR - before);
  expect(ids.slice(-3)).toEqual([null, null, null]);
  expect(await fromHere()).toBe(REJECTIONS_KEPT_PER_HOUR);
});
