import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { insertClient, insertStaff, randomBinIin } from '../helpers/fixtures';
import { createTestPki, sampleForm, TestPki } from '../helpers/joining';
import { signedInstructionBody } from '../helpers/signed';
import { createTestCa, issueSignerCertificate, signCms } from '../helpers/pki';
import type { JoinForm } from '../../lib/joining/form';

let pki: TestPki;
const context = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });
let moderator: { id: string; token: string };
let support: { id: string; token: string };

beforeAll(async () => {
  moderator = await insertStaff(context.database.db, ['moderator']);
  support = await insertStaff(context.database.db, ['support']);
});

const request = (...args: Parameters<typeof context.api.request>) => context.api.request(...args);
const count = async () => Number((await context.database.db('join_applications').count('* as n'))[0].n);

/** What an applicant does: fetch the document for the form, sign its bytes with the EDS (CMS), submit both. */
async function apply(form: JoinForm, sign?: (document: Uint8Array) => Promise<Uint8Array>) {
  const document = await request('POST', '/v1/join-applications/document', { body: { form } });
  expect(document.status).toBe(200);
  const bytes = Buffer.from(document.body.documentBase64, 'base64');
  expect(bytes.toString('utf8')).toBe(document.body.documentText);
  const cms = sign ? await sign(bytes) : await signCms(await pki.signerFor(form.binIin), bytes);
  return request('POST', '/v1/join-applications', { body: { form, signature: Buffer.from(cms).toString('base64') } });
}

test('an applicant applies, a moderator approves, the client gets access by e-mail and manages its details and consent', async () => {
  const form = sampleForm();
  const submitted = await apply(form);
  expect(submitted.status).toBe(202);
  expect(submitted.body).toMatchObject({
    status: 'registered',
    number: expect.stringMatching(/^ЗП-\d{4}-\d{6}$/),
    decisionReason: null,
  });
  const id = submitted.body.id;
  expect(submitted.body.effectiveFrom > submitted.body.joinedOn).toBe(true);

  expectApiError(await request('GET', '/staff/v1/join-applications', { token: support.token }), 403, 'FORBIDDEN');
  const queued = await eventually(async () => {
    const queue = (await request('GET', '/staff/v1/join-applications', { token: moderator.token })).body.applications;
    return queue.find((a: { id: string }) => a.id === id);
  });
  expect(queued).toMatchObject({
    status: 'awaiting_moderation',
    binIin: form.binIin,
    signatureCheck: { valid: true, problems: [] },
  });
  expect(queued.signatureCheck.signer).toMatchObject({ bin: form.binIin });
  expect(queued.waiting.workingMinutes).toBeGreaterThanOrEqual(0);

  expectApiError(await apply(form), 409, 'APPLICATION_IN_PROGRESS');

  const approved = await request('POST', `/staff/v1/join-applications/${id}/approve`, { token: moderator.token });
  expect(approved.status).toBe(200);
  expect(approved.body).toMatchObject({
    status: 'approved',
    decidedBy: { id: moderator.id },
    clientId: expect.any(String),
  });
  expectApiError(
    await request('POST', `/staff/v1/join-applications/${id}/approve`, { token: moderator.token }),
    409,
    'NOT_AWAITING_MODERATION',
  );
  expect((await request('GET', `/v1/join-applications/${id}`)).body.status).toBe('approved');

  const mail = await context.smtp.waitFor(
    (m) => m.subject === `Доступ к ИС МПТ предоставлен — заявление ${submitted.body.number}`,
  );
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(form.email);
  expect(mail.text).toContain(`Договор действует с ${submitted.body.effectiveFrom.split('-').reverse().join('.')}`);
  const token = /\n(ismet_client_\S+)\n/.exec(mail.text ?? '')![1];

  const profile = await request('GET', '/client/v1/profile', { token });
  expect(profile.body).toMatchObject({
    binIin: form.binIin,
    status: 'active',
    details: { companyName: form.companyName, iik: form.iik, phone: '+77011234567' },
    personalAccount: { number: expect.stringMatching(/^LS\d{8}$/), status: 'open' },
    consent: { givenAt: expect.any(String), withdrawnAt: null },
  });
  expectApiError(await apply(form), 409, 'CLIENT_EXISTS');

  // 10.2.2: changed bank details, reported with the date they changed; bad ones are refused.
  expectApiError(
    await request('PATCH', '/client/v1/profile', { token, body: { details: { iik: 'KZ86125KZT5004100101' } } }),
    400,
    'VALIDATION_FAILED',
  );
  // Unsigned, a change of bank details is refused (issue 16); signed with the client's EDS it is made.
  const bankChange = { details: { iik: 'kz59 9261 8021 9300 0563', bankName: 'АО «Kaspi Bank»' } };
  expectApiError(await request('PATCH', '/client/v1/profile', { token, body: bankChange }), 422, 'SIGNATURE_REQUIRED');
  const changed = await request('PATCH', '/client/v1/profile', {
    token,
    body: await signedInstructionBody(context.api, pki, token, form.binIin, 'details', bankChange),
  });
  expect(changed.status).toBe(200);
  expect(changed.body.details).toMatchObject({
    iik: 'KZ599261802193000563',
    bankName: 'АО «Kaspi Bank»',
    companyName: form.companyName,
  });

  // 10.7.3: consent withdrawn once, and staff see it.
  expect(
    (await request('POST', '/client/v1/consent/withdraw', { token, body: { note: 'Отзываю согласие' } })).status,
  ).toBe(200);
  expectApiError(
    await request('POST', '/client/v1/consent/withdraw', { token, body: {} }),
    409,
    'CONSENT_ALREADY_WITHDRAWN',
  );
  const clientId = approved.body.clientId;
  const seen = await request('GET', `/staff/v1/clients/${clientId}/profile`, { token: support.token });
  expect(seen.body.consent.withdrawnAt).toEqual(expect.any(String));
  const history = (await request('GET', `/staff/v1/clients/${clientId}/history`, { token: support.token })).body;
  expect(history.consentEvents.map((e: { kind: string }) => e.kind)).toEqual(['withdrawn', 'given']);
  expect(history.detailChanges).toEqual([
    expect.objectContaining({
      changedBy: 'client',
      reportedLate: false,
      before: expect.objectContaining({ iik: form.iik }),
      after: expect.objectContaining({ iik: 'KZ599261802193000563' }),
    }),
  ]);
});

test('a rejected applicant is told why and may apply again', async () => {
  const form = sampleForm();
  const first = await apply(form);
  await eventually(
    async () => (await request('GET', `/v1/join-applications/${first.body.id}`)).body.status === 'awaiting_moderation',
  );
  expectApiError(
    await request('POST', `/staff/v1/join-applications/${first.body.id}/reject`, { token: moderator.token, body: {} }),
    400,
    'VALIDATION_FAILED',
  );
  const rejected = await request('POST', `/staff/v1/join-applications/${first.body.id}/reject`, {
    token: moderator.token,
    body: { reason: 'Наименование не совпадает с данными сертификата' },
  });
  expect(rejected.body).toMatchObject({
    status: 'rejected',
    decisionReason: 'Наименование не совпадает с данными сертификата',
  });
  const mail = await context.smtp.waitFor(
    (m) => m.subject === `Отказ в активации учётной записи — заявление ${first.body.number}`,
  );
  expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe(form.email);
  expect(mail.text).toContain('Причина: Наименование не совпадает с данными сертификата');
  expect(await context.database.db('clients').where({ bin_iin: form.binIin })).toEqual([]);

  const second = await apply(form);
  expect(second.status).toBe(202);
});

describe('refused applications change nothing', () => {
  test.each<[string, () => Promise<{ status: number; body: any }>, number, string, RegExp?]>([
    [
      'a tampered document',
      async () => {
        const form = sampleForm();
        return apply(form, async () =>
          signCms(await pki.signerFor(form.binIin), Buffer.from('{"another":"document"}')),
        );
      },
      422,
      'SIGNATURE_REJECTED',
      /DOCUMENT_MISMATCH/,
    ],
    [
      'an expired certificate',
      async () => {
        const form = sampleForm();
        const signer = await pki.signerFor(form.binIin, {
          notBefore: new Date('2024-01-01T00:00:00Z'),
          notAfter: new Date('2025-01-01T00:00:00Z'),
        });
        return apply(form, (bytes) => signCms(signer, bytes));
      },
      422,
      'SIGNATURE_REJECTED',
      /CERTIFICATE_EXPIRED/,
    ],
    [
      '10.5.1: a signature made the day before (the date of joining is the receipt, not a date the signer chose)',
      async () => {
        const form = sampleForm();
        const signer = await pki.signerFor(form.binIin);
        return apply(form, (bytes) => signCms(signer, bytes, { signingTime: new Date(Date.now() - 86_400_000) }));
      },
      422,
      'SIGNATURE_REJECTED',
      /SIGNING_TIME_TOO_OLD/,
    ],
    [
      'an untrusted CA',
      async () => {
        const form = sampleForm();
        const rogue = await createTestCa({ name: 'Чужой УЦ' });
        return apply(form, async (bytes) => signCms(await issueSignerCertificate(rogue, { bin: form.binIin }), bytes));
      },
      422,
      'SIGNATURE_REJECTED',
      /UNTRUSTED_CHAIN/,
    ],
    [
      'a certificate for another BIN',
      async () => {
        const form = sampleForm();
        return apply(form, async (bytes) => signCms(await pki.signerFor(randomBinIin()), bytes));
      },
      422,
      'SIGNATURE_REJECTED',
      /SIGNER_MISMATCH/,
    ],
    [
      'garbage instead of a signature',
      async () =>
        request('POST', '/v1/join-applications', {
          body: { form: sampleForm(), signature: 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==' },
        }),
      422,
      'SIGNATURE_REJECTED',
      /MALFORMED_SIGNATURE/,
    ],
    [
      'a BIN with a wrong check digit',
      async () =>
        request('POST', '/v1/join-applications', {
          body: { form: sampleForm({ binIin: '123456789012' }), signature: 'x'.repeat(40) },
        }),
      400,
      'VALIDATION_FAILED',
      /binIin/,
    ],
    [
      'an IIK failing mod-97',
      async () =>
        request('POST', '/v1/join-applications/document', {
          body: { form: sampleForm({ iik: 'KZ86125KZT5004100101' }) },
        }),
      400,
      'VALIDATION_FAILED',
      /iik/,
    ],
    [
      'a foreign BIK and a bad KBe',
      async () =>
        request('POST', '/v1/join-applications/document', {
          body: { form: sampleForm({ bik: 'DEUTDEFF', kbe: '30' }) },
        }),
      400,
      'VALIDATION_FAILED',
      /bik[\s\S]*kbe/,
    ],
    [
      'no consent to personal-data processing',
      async () =>
        request('POST', '/v1/join-applications/document', {
          body: { form: sampleForm({ personalDataConsent: false }) },
        }),
      400,
      'VALIDATION_FAILED',
      /personalDataConsent/,
    ],
    [
      'a missing field',
      async () => {
        const { phone: _phone, ...form } = sampleForm();
        return request('POST', '/v1/join-applications/document', { body: { form } });
      },
      400,
      'VALIDATION_FAILED',
      /phone/,
    ],
  ])('%s', async (_name, attempt, status, code, detail) => {
    const before = await count();
    const clients = Number((await context.database.db('clients').count('* as n'))[0].n);
    const response = await attempt();
    expectApiError(response, status, code);
    if (detail) expect(JSON.stringify(response.body.details)).toMatch(detail);
    expect(await count()).toBe(before);
    expect(Number((await context.database.db('clients').count('* as n'))[0].n)).toBe(clients);
  });

  test('a client registered directly by staff cannot apply again', async () => {
    const client = await insertClient(context.database.db);
    const form = sampleForm({ binIin: client.bin_iin });
    expectApiError(await apply(form), 409, 'CLIENT_EXISTS');
  });
});

test('the language chosen at joining is the client’s, changeable in the profile (issue #21)', async () => {
  const form = sampleForm({ language: 'kk' });
  const submitted = await apply(form);
  expect(submitted.status).toBe(202);
  await eventually(
    async () =>
      (await request('GET', `/v1/join-applications/${submitted.body.id}`)).body.status === 'awaiting_moderation',
  );
  const approved = await request('POST', `/staff/v1/join-applications/${submitted.body.id}/approve`, {
    token: moderator.token,
  });
  expect(approved.status).toBe(200);
  // The access e-mail in the language chosen: Kazakh first, the key once (in the Kazakh part), Russian below.
  const mail = await context.smtp.waitFor(
    (m) => m.subject === `Таңбалау жүйесіне қол жеткізу берілді — ${submitted.body.number} өтініш`,
  );
  const text = mail.text ?? '';
  expect(text.startsWith('Құрметті клиент!')).toBe(true);
  expect(text.indexOf('API-ге қол жеткізу кілті (бір рет көрсетіледі')).toBeLessThan(text.indexOf('Уважаемый клиент!'));
  expect(text).toContain('Ключ доступа к API и адрес API — выше.');
  expect(text.match(/ismet_client_/g)).toHaveLength(1);
  const token = /\n(ismet_client_\S+)\n/.exec(text)![1];
  expect((await request('GET', '/client/v1/profile', { token })).body.language).toBe('kk');

  const changed = await request('PUT', '/client/v1/profile/language', { token, body: { language: 'ru' } });
  expect(changed.status).toBe(200);
  expect(changed.body.language).toBe('ru');
  expect((await request('GET', '/client/v1/profile', { token })).body.language).toBe('ru');
  expectApiError(
    await request('PUT', '/client/v1/profile/language', { token, body: { language: 'en' } }),
    400,
    'VALIDATION_FAILED',
  );
  expect((await request('GET', '/client/v1/profile', { token })).body.language).toBe('ru');

  // Without a choice at joining: Russian, as every client before.
  const plain = await insertClient(context.database.db);
  expect((await context.database.db('clients').where({ id: plain.id }).first()).language).toBe('ru');
});
