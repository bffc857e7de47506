import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { addDaysToDate, localDateIn } from '../../lib/calendar';
import { claimWorkflowId } from '../../workflows/claim';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff, randomBinIin } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import {
  createTestCa,
  issuePersonalCertificate,
  issueSignerCertificate,
  signCms,
  TestSigner,
  toPem,
} from '../helpers/pki';

// 9.2-9.4 through the API on the Temporal dev server, PostgreSQL and a real SMTP receiver: a claim
// counts as presented only with proof of its signer's authority — the client's own EDS over the
// claim's canonical document, or an individual's EDS under a power of attorney recorded by staff and
// valid on the day of receipt. A file the client labels `authority` proves nothing. A signature that
// does not verify is refused (422) and nothing is recorded.
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });

const today = () => localDateIn('Asia/Almaty', new Date());
const doc = (kind: string, filename: string, text: string) => ({
  kind,
  filename,
  contentType: 'application/pdf',
  contentBase64: Buffer.from(text).toString('base64'),
});
const claimContent = (extra: Record<string, unknown> = {}) => ({
  subject: 'Просрочка эмиссии кодов',
  demands: 'Коды по Заявке выданы через 9 часов вместо 4; требуем возместить простой линии.',
  signerName: 'Директор Иванов И.И.',
  documents: [
    doc('authority', 'Доверенность.pdf', '%PDF-1.4 доверенность'),
    doc('damage', 'Расчёт.pdf', '%PDF-1.4 расчёт'),
  ],
  ...extra,
});
const mailTo = (address: string, subject: (s: string) => boolean) =>
  ctx.smtp.waitFor(
    (m: ParsedMail) => (m.to as AddressObject | undefined)?.text === address && subject(m.subject ?? ''),
  );

async function claimant(fields: Parameters<typeof insertClient>[1] = {}) {
  const client = await insertClient(ctx.database.db, fields);
  return { client, token: await clientToken(ctx.database.db, client.id) };
}

/** The document the client's signer signs, as the API gives it (9.4). */
async function documentToSign(token: string, content: Record<string, unknown>) {
  const answer = await ctx.api.request('POST', '/client/v1/claims/document', { token, body: content });
  expect(answer.status).toBe(200);
  return Buffer.from(answer.body.documentBase64, 'base64');
}

/** The claim signed as the signer's EDS would sign it: CMS over the canonical document, base64. */
async function signedClaim(
  token: string,
  signer: TestSigner,
  content: Record<string, unknown> = claimContent(),
  options: Parameters<typeof signCms>[2] = {},
) {
  return {
    ...content,
    signature: Buffer.from(await signCms(signer, await documentToSign(token, content), options)).toString('base64'),
  };
}

const present = (token: string, body: Record<string, unknown>) =>
  ctx.api.request('POST', '/client/v1/claims', { token, body });

async function recordPowerOfAttorney(staffToken: string, clientId: string, fields: Record<string, unknown>) {
  return ctx.api.request('POST', `/staff/v1/clients/${clientId}/powers-of-attorney`, {
    token: staffToken,
    body: {
      attorneyName: 'Сапарова Айгерим Болатовна',
      number: `Д-${Math.random().toString(36).slice(2, 8)}`,
      issuedOn: addDaysToDate(today(), -30),
      validUntil: addDaysToDate(today(), 335),
      scopes: ['claims'],
      ...fields,
    },
  });
}

test('9.4: a claim with only a self-labelled `authority` document and no signature is not considered (NOT_SIGNED); the client is told why', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const presented = await present(token, claimContent());
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({
    status: 'not_considered',
    dueAt: null,
    authority: { basis: null, notConsideredReason: 'NOT_SIGNED', signer: null, powerOfAttorneyId: null },
  });
  expect(presented.body.authority.message).toMatch(/no EDS signature/);
  // The label stays on the file, for reference; it proved nothing.
  expect(presented.body.documents.map((d: { kind: string }) => d.kind)).toEqual(['authority', 'damage']);
  const mail = await mailTo(client.email, (s) => s === `Претензия № ${presented.body.number} не подлежит рассмотрению`);
  expect(mail.text).toContain('не подписана электронной цифровой подписью');
  expect(mail.text).toContain('п. 9.4');
  expect(
    await db('claims').where({ id: presented.body.id }).first('status', 'not_considered_reason', 'signature'),
  ).toEqual({ status: 'not_considered', not_considered_reason: 'NOT_SIGNED', signature: null });
});

test('9.4: signed with the company’s EDS (its BIN) the claim is signed for the company: under review with its 15 working days (9.3)', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const company = await pki.signerFor(client.bin_iin, { commonName: 'ИВАНОВ ИВАН' });
  const content = claimContent({ amountClaimedTiyn: 500_00 });

  // The document names the client and binds each attached file by its SHA-256.
  const document = await documentToSign(token, content);
  const parsed = JSON.parse(document.toString('utf8'));
  expect(parsed).toMatchObject({
    type: 'ismet-backoffice/claim',
    clause: '9.2-9.4',
    client: { binIin: client.bin_iin },
    subject: content.subject,
    amountClaimedTiyn: 500_00,
  });
  expect(parsed.documents.map((d: { sha256: string }) => d.sha256)).toEqual([
    createHash('sha256').update('%PDF-1.4 доверенность').digest('hex'),
    createHash('sha256').update('%PDF-1.4 расчёт').digest('hex'),
  ]);

  // A detached signature in PEM does as well as an attached one in base64.
  const signature = toPem(await signCms(company, document, { detached: true }), 'CMS');
  const presented = await present(token, { ...content, signature });
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({
    status: 'under_review',
    authority: {
      basis: 'client_eds',
      notConsideredReason: null,
      signer: { commonName: 'ИВАНОВ ИВАН', bin: client.bin_iin },
      powerOfAttorneyId: null,
    },
  });
  expect(Date.now() - Date.parse(presented.body.authority.signer.signedAt)).toBeLessThan(60_000);
  await eventually(
    async () => (await ctx.api.request('GET', `/client/v1/claims/${presented.body.id}`, { token })).body.dueAt,
  );
  await mailTo(client.email, (s) => s === `Претензия № ${presented.body.number} принята к рассмотрению`);
  const row = await db('claims').where({ id: presented.body.id }).first();
  expect(row).toMatchObject({ authority_basis: 'client_eds', signature, not_considered_reason: null });
  expect(Buffer.from(row.signed_document).equals(document)).toBe(true);
});

test('9.4: signed with an individual’s EDS and no power of attorney recorded → not considered, SIGNER_NOT_AUTHORISED; another organisation’s EDS neither', async () => {
  const { client, token } = await claimant();
  const iin = randomBinIin();
  const person = await issuePersonalCertificate(pki.ca, iin);
  const presented = await present(token, await signedClaim(token, person));
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({
    status: 'not_considered',
    dueAt: null,
    authority: {
      basis: null,
      notConsideredReason: 'SIGNER_NOT_AUTHORISED',
      signer: { iin, bin: null },
      powerOfAttorneyId: null,
    },
  });
  expect(presented.body.authority.message).toContain(
    'no power of attorney for this person to sign claims has been recorded',
  );
  const mail = await mailTo(client.email, (s) => s === `Претензия № ${presented.body.number} не подлежит рассмотрению`);
  expect(mail.text).toContain(`ИИН ${iin}`);
  expect(mail.text).toContain('нет доверенности на это лицо, действующей на дату получения претензии');
  expect(mail.text).toContain('п. 9.4');

  // A certificate of another organisation signs for that organisation, not for the client.
  const stranger = await insertClient(ctx.database.db);
  const foreign = await present(token, await signedClaim(token, await pki.signerFor(stranger.bin_iin)));
  expect(foreign.body).toMatchObject({
    status: 'not_considered',
    authority: { notConsideredReason: 'SIGNER_NOT_AUTHORISED', signer: { bin: stranger.bin_iin } },
  });
  expect(foreign.body.authority.message).toContain(`another organisation (BIN ${stranger.bin_iin})`);
});

test('9.4: with a power of attorney recorded by staff and valid that day, a claim signed with the representative’s personal EDS is considered', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const other = await insertClient(db);
  const moderator = await insertStaff(db, ['moderator']);
  const iin = randomBinIin();
  const person = await issuePersonalCertificate(pki.ca, iin);
  // A power of attorney the same person holds from another client does not help here.
  expect((await recordPowerOfAttorney(moderator.token, other.id, { attorneyIin: iin })).status).toBe(201);
  expect((await present(token, await signedClaim(token, person))).body.authority.notConsideredReason).toBe(
    'SIGNER_NOT_AUTHORISED',
  );

  const recorded = await recordPowerOfAttorney(moderator.token, client.id, {
    attorneyIin: iin,
    number: 'Д-17',
    validFrom: today(),
    validUntil: today(),
  });
  expect(recorded.status).toBe(201);
  expect(recorded.body).toMatchObject({
    clientId: client.id,
    attorneyIin: iin,
    number: 'Д-17',
    validFrom: today(),
    validUntil: today(),
    scopes: ['claims'],
    status: 'valid',
    recordedBy: { id: moderator.id, name: moderator.name },
    revokedAt: null,
  });

  const presented = await present(token, await signedClaim(token, person));
  expect(presented.status).toBe(201);
  expect(presented.body).toMatchObject({
    status: 'under_review',
    authority: {
      basis: 'power_of_attorney',
      notConsideredReason: null,
      signer: { iin, bin: null },
      powerOfAttorneyId: recorded.body.id,
    },
  });
  expect(presented.body.authority.message).toContain('power of attorney № Д-17');
  await mailTo(client.email, (s) => s === `Претензия № ${presented.body.number} принята к рассмотрению`);
  await eventually(async () => (await db('claims').where({ id: presented.body.id }).first('due_at')).due_at);
  // Staff see how the authority was established.
  const accountant = await insertStaff(db, ['accountant']);
  const desk = (
    await ctx.api.request('GET', `/staff/v1/claims?clientId=${client.id}&status=under_review`, {
      token: accountant.token,
    })
  ).body.claims;
  expect(desk.map((c: { id: string; authority: { basis: string } }) => [c.id, c.authority.basis])).toEqual([
    [presented.body.id, 'power_of_attorney'],
  ]);
});

test('9.4: an expired or revoked power of attorney does not make the claim considered; a claim received before the revocation keeps its standing', async () => {
  const db = ctx.database.db;
  const { token, client } = await claimant();
  const admin = await insertStaff(db, ['admin']);
  const expiredIin = randomBinIin();
  const expired = await recordPowerOfAttorney(admin.token, client.id, {
    attorneyIin: expiredIin,
    number: 'Д-1',
    issuedOn: addDaysToDate(today(), -400),
    validUntil: addDaysToDate(today(), -1),
  });
  expect(expired.body.status).toBe('expired');
  const late = await present(token, await signedClaim(token, await issuePersonalCertificate(pki.ca, expiredIin)));
  expect(late.body).toMatchObject({
    status: 'not_considered',
    authority: { notConsideredReason: 'SIGNER_NOT_AUTHORISED' },
  });
  expect(late.body.authority.message).toContain(`do not cover ${today()}: № Д-1`);

  const iin = randomBinIin();
  const person = await issuePersonalCertificate(pki.ca, iin);
  const power = await recordPowerOfAttorney(admin.token, client.id, { attorneyIin: iin, number: 'Д-2' });
  const before = await present(token, await signedClaim(token, person));
  expect(before.body).toMatchObject({
    status: 'under_review',
    authority: { basis: 'power_of_attorney', powerOfAttorneyId: power.body.id },
  });

  const revoke = (id: string, reason = 'Доверенность отозвана клиентом письмом от сегодняшнего дня') =>
    ctx.api.request('POST', `/staff/v1/powers-of-attorney/${id}/revoke`, { token: admin.token, body: { reason } });
  const revoked = await revoke(power.body.id);
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({
    status: 'revoked',
    revokedBy: { id: admin.id, name: admin.name },
    revocationReason: 'Доверенность отозвана клиентом письмом от сегодняшнего дня',
  });
  expect(Date.now() - Date.parse(revoked.body.revokedAt)).toBeLessThan(60_000);
  expectApiError(await revoke(power.body.id), 409, 'ALREADY_REVOKED');
  expectApiError(await revoke('00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  expectApiError(await revoke(power.body.id, 'no'), 400, 'VALIDATION_FAILED');

  const after = await present(token, await signedClaim(token, person));
  expect(after.body).toMatchObject({
    status: 'not_considered',
    authority: { basis: null, notConsideredReason: 'SIGNER_NOT_AUTHORISED', powerOfAttorneyId: null },
  });
  expect(after.body.authority.message).toContain('revoked');
  expect((await db('claims').where({ id: before.body.id }).first('status')).status).toBe('under_review');
});

test('9.4: a signature that does not verify → 422 BAD_SIGNATURE and nothing is recorded', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const company = await pki.signerFor(client.bin_iin);
  const content = claimContent();
  const signed = await signedClaim(token, company, content);
  const untrusted = await issueSignerCertificate(await createTestCa(), { bin: client.bin_iin, iin: randomBinIin() });
  const cases: Array<[string, Record<string, unknown>]> = [
    // Changed after signing: the signature covers other demands.
    ['DOCUMENT_MISMATCH', { ...signed, demands: 'Требуем возместить простой линии в двойном размере.' }],
    // An attached file swapped: its SHA-256 is in the signed document.
    [
      'DOCUMENT_MISMATCH',
      { ...signed, documents: [doc('authority', 'Доверенность.pdf', '%PDF-1.4 другая'), content.documents[1]] },
    ],
    ['MALFORMED_SIGNATURE', { ...content, signature: 'this is not a CMS signature at all' }],
    ['UNTRUSTED_CHAIN', await signedClaim(token, untrusted, content)],
    [
      'SIGNING_TIME_IN_FUTURE',
      await signedClaim(token, company, content, { signingTime: new Date(Date.now() + 86_400_000) }),
    ],
  ];
  for (const [code, body] of cases) {
    const refused = await present(token, body);
    expectApiError(refused, 422, 'BAD_SIGNATURE');
    expect(refused.body.details.problems.map((p: { code: string }) => p.code)).toContain(code);
  }
  // Bad input otherwise: 400 with its code, nothing recorded either.
  expectApiError(await present(token, { ...signed, signature: 'short' }), 400, 'VALIDATION_FAILED');
  expectApiError(
    await ctx.api.request('POST', '/client/v1/claims/document', {
      token,
      body: { ...content, documents: [doc('authority', 'a.pdf', '')] },
    }),
    400,
    'VALIDATION_FAILED',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/claims/document', {
      token,
      body: { ...content, documents: [{ ...content.documents[0], contentBase64: 'not base64!' }] },
    }),
    400,
    'INVALID_BASE64',
  );
  expect(await db('claims').where({ client_id: client.id })).toEqual([]);
  expect(await db('notices').where({ client_id: client.id })).toEqual([]);
  // The good one goes through.
  expect((await present(token, signed)).body.status).toBe('under_review');
});

test('9.2-9.4: after the contract has ended, claims about its time follow the same rule', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const endedAt = new Date(Date.now() - 3 * 86_400_000);
  await db('clients')
    .where({ id: client.id })
    .update({ status: 'terminated', contract_ended_at: endedAt, contract_end_reason: 'соглашение Сторон' });
  const concernsDate = addDaysToDate(localDateIn('Asia/Almaty', endedAt), -10);
  const unsigned = await present(token, claimContent({ concernsDate }));
  expect(unsigned.body).toMatchObject({
    status: 'not_considered',
    concernsDate,
    authority: { notConsideredReason: 'NOT_SIGNED' },
  });
  const personal = await present(
    token,
    await signedClaim(token, await issuePersonalCertificate(pki.ca, randomBinIin()), claimContent({ concernsDate })),
  );
  expect(personal.body).toMatchObject({
    status: 'not_considered',
    authority: { notConsideredReason: 'SIGNER_NOT_AUTHORISED' },
  });
  const signed = await present(
    token,
    await signedClaim(token, await pki.signerFor(client.bin_iin), claimContent({ concernsDate })),
  );
  expect(signed.status).toBe(201);
  expect(signed.body).toMatchObject({ status: 'under_review', concernsDate, authority: { basis: 'client_eds' } });
});

test('9.4: staff register a claim received by e-mail with its EDS signature, or by post with the originals they examined; an e-mailed file labelled `authority` proves nothing', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const accountant = await insertStaff(db, ['accountant']);
  const receivedAt = new Date(Date.now() - 2 * 86_400_000);
  const register = (body: Record<string, unknown>) =>
    ctx.api.request('POST', '/staff/v1/claims', {
      token: accountant.token,
      body: { ...body, clientId: client.id, receivedAt: receivedAt.toISOString() },
    });

  const unsigned = await register({ ...claimContent(), channel: 'email' });
  expect(unsigned.body).toMatchObject({ status: 'not_considered', authority: { notConsideredReason: 'NOT_SIGNED' } });
  // Signed before it was sent (9.2): the signature is checked as of the receipt.
  const email = await register({
    ...(await signedClaim(token, await pki.signerFor(client.bin_iin), claimContent(), {
      signingTime: new Date(receivedAt.getTime() - 3_600_000),
    })),
    channel: 'email',
  });
  expect(email.status).toBe(201);
  expect(email.body).toMatchObject({ status: 'under_review', authority: { basis: 'client_eds' } });
  const post = await register({ ...claimContent(), channel: 'post' });
  expect(post.body).toMatchObject({
    status: 'under_review',
    authority: { basis: 'paper_originals', notConsideredReason: null },
  });
  const postWithout = await register({ ...claimContent({ documents: [] }), channel: 'post' });
  expect(postWithout.body).toMatchObject({
    status: 'not_considered',
    authority: { notConsideredReason: 'NOT_SIGNED' },
  });
  expect(await db('claims').whereIn('id', [email.body.id, post.body.id]).pluck('recorded_by')).toEqual([
    accountant.id,
    accountant.id,
  ]);
  expect(await ctx.api.temporal.client.workflow.getHandle(claimWorkflowId(unsigned.body.id)).result()).toMatchObject({
    status: 'not_considered',
  });
});

test('9.4: powers of attorney are recorded and revoked by admins and moderators only, with who and when; bad input → 4xx with a code, nothing recorded', async () => {
  const db = ctx.database.db;
  const { client, token } = await claimant();
  const moderator = await insertStaff(db, ['moderator']);
  const accountant = await insertStaff(db, ['accountant']);
  const path = `/staff/v1/clients/${client.id}/powers-of-attorney`;
  const iin = randomBinIin();
  const wrongCheckDigit = `${iin.slice(0, 11)}${(Number(iin[11]) + 1) % 10}`;

  expectApiError(await recordPowerOfAttorney(accountant.token, client.id, { attorneyIin: iin }), 403, 'FORBIDDEN');
  expectApiError(await recordPowerOfAttorney(token, client.id, { attorneyIin: iin }), 403, 'FORBIDDEN');
  expectApiError(await ctx.api.request('GET', path, { token: accountant.token }), 403, 'FORBIDDEN');
  expectApiError(await ctx.api.request('GET', path), 401, 'UNAUTHENTICATED');
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, { attorneyIin: wrongCheckDigit }),
    400,
    'VALIDATION_FAILED',
  );
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, { attorneyIin: '12345' }),
    400,
    'VALIDATION_FAILED',
  );
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, { attorneyIin: iin, scopes: [] }),
    400,
    'VALIDATION_FAILED',
  );
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, { attorneyIin: iin, scopes: ['acts'] }),
    400,
    'VALIDATION_FAILED',
  );
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, {
      attorneyIin: iin,
      validFrom: addDaysToDate(today(), -31),
    }),
    400,
    'INVALID_PERIOD',
  );
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, {
      attorneyIin: iin,
      validFrom: today(),
      validUntil: addDaysToDate(today(), -1),
    }),
    400,
    'INVALID_PERIOD',
  );
  expectApiError(
    await recordPowerOfAttorney(moderator.token, '00000000-0000-4000-8000-000000000000', { attorneyIin: iin }),
    404,
    'NOT_FOUND',
  );
  expect(await db('powers_of_attorney').where({ client_id: client.id })).toEqual([]);

  const recorded = await recordPowerOfAttorney(moderator.token, client.id, {
    attorneyIin: iin,
    number: '  Д-42 ',
    note: 'Нотариальная копия в деле клиента',
  });
  expect(recorded.status).toBe(201);
  expect(recorded.body).toMatchObject({
    number: 'Д-42',
    validFrom: recorded.body.issuedOn,
    note: 'Нотариальная копия в деле клиента',
    recordedBy: { id: moderator.id },
  });
  expect(Date.now() - Date.parse(recorded.body.recordedAt)).toBeLessThan(60_000);
  expectApiError(
    await recordPowerOfAttorney(moderator.token, client.id, {
      attorneyIin: randomBinIin(),
      number: 'Д-42',
      issuedOn: recorded.body.issuedOn,
    }),
    409,
    'POWER_OF_ATTORNEY_EXISTS',
  );
  const future = await recordPowerOfAttorney(moderator.token, client.id, {
    attorneyIin: iin,
    number: 'Д-43',
    issuedOn: today(),
    validFrom: addDaysToDate(today(), 10),
  });
  expect(future.body.status).toBe('not_yet_valid');

  const listed = await ctx.api.request('GET', path, { token: moderator.token });
  expect(listed.status).toBe(200);
  expect(listed.body.powersOfAttorney.map((p: { id: string }) => p.id).sort()).toEqual(
    [recorded.body.id, future.body.id].sort(),
  );
  expectApiError(
    await ctx.api.request('GET', '/staff/v1/clients/00000000-0000-4000-8000-000000000000/powers-of-attorney', {
      token: moderator.token,
    }),
    404,
    'NOT_FOUND',
  );
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/powers-of-attorney/${recorded.body.id}/revoke`, {
      token: accountant.token,
      body: { reason: 'Отозвана клиентом' },
    }),
    403,
    'FORBIDDEN',
  );
  expect((await db('powers_of_attorney').where({ id: recorded.body.id }).first('revoked_at')).revoked_at).toBeNull();
});

test('9.2-9.4: the new routes declare every status they answer with, errors in the one error schema', async () => {
  const doc = (await ctx.api.request('GET', '/docs/json')).body;
  // Every route answers 429 and 503, and one with a body 413 and 415 (api/http/limits.ts): declared on each,
  // left out of the lists below, which are what each route answers of its own.
  const COMMON = ['413', '415', '429', '503'];
  expect(Object.keys(doc.paths['/client/v1/claims'].post.responses)).toEqual(expect.arrayContaining(COMMON));
  const declared = (path: string, method: string) =>
    Object.keys(doc.paths[path][method].responses)
      .filter((code) => !COMMON.includes(code))
      .sort();
  expect(declared('/client/v1/claims', 'post')).toEqual(['201', '400', '401', '403', '404', '409', '422']);
  expect(declared('/client/v1/claims/document', 'post')).toEqual(['200', '400', '401', '403', '404']);
  expect(declared('/staff/v1/clients/{clientId}/powers-of-attorney', 'get')).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
  ]);
  expect(declared('/staff/v1/clients/{clientId}/powers-of-attorney', 'post')).toEqual([
    '201',
    '400',
    '401',
    '403',
    '404',
    '409',
  ]);
  expect(declared('/staff/v1/powers-of-attorney/{powerOfAttorneyId}/revoke', 'post')).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
    '409',
  ]);
  expect(doc.paths['/client/v1/claims'].post.responses['422'].content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/ErrorResponse',
  });
});
