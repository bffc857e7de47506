import { addDaysToDate, localDateIn } from '../../lib/calendar';
import { expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { fundedClient } from '../helpers/orders';
import { createTestCa, issuePersonalCertificate, issueSignerCertificate, signCms } from '../helpers/pki';
import { instructionDocument, signedBy } from '../helpers/signed';

// Issue 16: the instructions that move money — a change of the bank details or of the e-mail of
// record (10.2.2), a refund request (6.11), a notice of termination (4.1.1, 10.4) — are documents
// signed with the client's EDS, checked as joining is, and kept with the change. A token that can
// call the route (tried from outside: a leaked key, a careless integration) moves no money without
// the client's signature. The signer is the client (its own certificate) or an individual under a
// power of attorney recorded by staff for that kind of instruction (as 9.4 for claims).
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });

const today = () => localDateIn('Asia/Almaty', new Date());
const DETAILS = {
  ...REQUISITES,
  signerName: 'Ахметов Ерлан Серикович',
  signerPosition: 'Директор',
  authorityBasis: 'Устав',
  actualAddress: 'г. Алматы, ул. Абая, 10, офис 5',
  phone: '+77011234567',
};
const NEW_BANK = { iik: 'KZ599261802193000563', bankName: 'АО «Kaspi Bank»', bik: 'CASPKZKA' };

/** A client with money on its account, its details of record (from its application) and a token. */
async function client(amountTiyn = 1_000_00) {
  const db = ctx.database.db;
  const row = await fundedClient(db, amountTiyn);
  await db('clients')
    .where({ id: row.id })
    .update({ details: { ...DETAILS, email: row.email } });
  return { ...row, token: await clientToken(db, row.id) };
}

async function powerOfAttorney(clientId: string, iin: string, scopes: string[]) {
  const moderator = await insertStaff(ctx.database.db, ['moderator']);
  const recorded = await ctx.api.request('POST', `/staff/v1/clients/${clientId}/powers-of-attorney`, {
    token: moderator.token,
    body: {
      attorneyIin: iin,
      attorneyName: 'Сапарова Айгерим Болатовна',
      number: `Д-${Math.random().toString(36).slice(2, 8)}`,
      issuedOn: addDaysToDate(today(), -30),
      validUntil: addDaysToDate(today(), 335),
      scopes,
    },
  });
  expect(recorded.status).toBe(201);
  return recorded.body;
}

const patch = (token: string, body: Record<string, unknown>) =>
  ctx.api.request('PATCH', '/client/v1/profile', { token, body });
const refund = (token: string, body: Record<string, unknown>) =>
  ctx.api.request('POST', '/client/v1/refunds', { token, body });
const notice = (token: string, body: Record<string, unknown>) =>
  ctx.api.request('POST', '/client/v1/termination', { token, body });

test('10.2.2: bank details and the e-mail of record change only by the client’s signed document, kept with the change; the phone may change unsigned', async () => {
  const db = ctx.database.db;
  const c = await client();
  const own = await pki.signerFor(c.bin_iin, { commonName: 'АХМЕТОВ ЕРЛАН' });
  const change = { details: { ...NEW_BANK, iik: 'kz59 9261 8021 9300 0563' } };

  // Tried from outside: the token alone moves nothing.
  const unsigned = await patch(c.token, change);
  expectApiError(unsigned, 422, 'SIGNATURE_REQUIRED');
  expect(unsigned.body.message).toContain('POST /client/v1/profile/document');
  expectApiError(await patch(c.token, { details: { email: 'thief@example.com' } }), 422, 'SIGNATURE_REQUIRED');
  expectApiError(
    await patch(c.token, { details: { phone: '+7 701 765 43 21', bik: 'CASPKZKA' } }),
    422,
    'SIGNATURE_REQUIRED',
  );
  // Another organisation's EDS signs for that organisation, not for the client.
  const stranger = await insertClient(db);
  const foreign = await patch(
    c.token,
    await signedBy(ctx.api, await pki.signerFor(stranger.bin_iin), c.token, 'details', change),
  );
  expectApiError(foreign, 422, 'SIGNER_NOT_AUTHORISED');
  expect(foreign.body.message).toContain(`another organisation (BIN ${stranger.bin_iin})`);
  // A signature over another change, or by a certificate no trusted CA issued.
  const signedOther = await signedBy(ctx.api, own, c.token, 'details', {
    details: { ...NEW_BANK, iik: 'KZ86125KZT5004100100' },
  });
  expectApiError(await patch(c.token, { ...change, signature: signedOther.signature }), 422, 'BAD_SIGNATURE');
  const untrusted = await issueSignerCertificate(await createTestCa(), { bin: c.bin_iin, iin: randomBinIin() });
  const bad = await patch(c.token, await signedBy(ctx.api, untrusted, c.token, 'details', change));
  expectApiError(bad, 422, 'BAD_SIGNATURE');
  expect(bad.body.details.problems.map((p: { code: string }) => p.code)).toContain('UNTRUSTED_CHAIN');
  // Signed two hours ago: an old signed document sent again instructs nothing (it takes effect on receipt).
  const old = await patch(c.token, {
    ...change,
    signature: Buffer.from(
      await signCms(own, await instructionDocument(ctx.api, c.token, 'details', change), {
        signingTime: new Date(Date.now() - 2 * 3_600_000),
      }),
    ).toString('base64'),
  });
  expectApiError(old, 422, 'BAD_SIGNATURE');
  expect(old.body.details.problems.map((p: { code: string }) => p.code)).toContain('SIGNING_TIME_TOO_OLD');
  expect((await db('clients').where({ id: c.id }).first()).details.iik).toBe(REQUISITES.iik);
  expect(await db('client_detail_changes').where({ client_id: c.id })).toEqual([]);

  // The document names the client and the change as it will be kept (normalised).
  const document = await instructionDocument(ctx.api, c.token, 'details', change);
  expect(JSON.parse(document.toString('utf8'))).toMatchObject({
    type: 'ismet-backoffice/details',
    clause: '10.2.2',
    client: { binIin: c.bin_iin },
    details: NEW_BANK,
    occurredOn: null,
  });
  const signed = await patch(c.token, await signedBy(ctx.api, own, c.token, 'details', change));
  expect(signed.status).toBe(200);
  expect(signed.body.details).toMatchObject(NEW_BANK);
  const row = await db('client_detail_changes').where({ client_id: c.id }).first();
  expect(Buffer.from(row.signed_document).equals(document)).toBe(true);
  expect(row).toMatchObject({
    signature_basis: 'client_eds',
    power_of_attorney_id: null,
    signer: { bin: c.bin_iin, commonName: 'АХМЕТОВ ЕРЛАН' },
  });
  expect(row.signature).toEqual(expect.any(String));
  // The history shows which changes were signed, and by whom.
  const history = (await ctx.api.request('GET', '/client/v1/profile/history', { token: c.token })).body;
  expect(history.detailChanges[0].signed).toMatchObject({
    basis: 'client_eds',
    signer: { commonName: 'АХМЕТОВ ЕРЛАН', bin: c.bin_iin },
    powerOfAttorneyId: null,
  });

  // The phone is not among the details money or notices follow: it may change unsigned.
  const phone = await patch(c.token, { details: { phone: '+7 701 765 43 21' } });
  expect(phone.status).toBe(200);
  expect(
    (await db('client_detail_changes').where({ client_id: c.id }).orderBy('id', 'desc').first()).signature,
  ).toBeNull();
  // The e-mail of record, signed, changes the address notices go to.
  const email = await patch(
    c.token,
    await signedBy(ctx.api, own, c.token, 'details', { details: { email: 'Buh@Example.kz' } }),
  );
  expect(email.status).toBe(200);
  expect((await db('clients').where({ id: c.id }).first('email')).email).toBe('buh@example.kz');
});

test('6.11: a refund request is the client’s signed document naming the account of record it is paid to; a representative needs a power of attorney for refunds', async () => {
  const db = ctx.database.db;
  const c = await client();
  const body = { amountTiyn: 300_00, note: 'Сокращаем выпуск' };
  const unsigned = await refund(c.token, body);
  expectApiError(unsigned, 422, 'SIGNATURE_REQUIRED');
  expect(unsigned.body.message).toContain('POST /client/v1/refunds/document');

  // The document binds the bank account of record: a signature made before a change of it no longer fits.
  const document = await instructionDocument(ctx.api, c.token, 'refund', body);
  expect(JSON.parse(document.toString('utf8'))).toMatchObject({
    type: 'ismet-backoffice/refund',
    clause: '6.11',
    client: { binIin: c.bin_iin },
    amountTiyn: 300_00,
    note: body.note,
    payTo: { iik: REQUISITES.iik, bik: REQUISITES.bik },
  });

  // An individual's personal EDS: not without a power of attorney for refunds — one for claims only does not do.
  const iin = randomBinIin();
  const person = await issuePersonalCertificate(pki.ca, iin);
  const none = await refund(c.token, await signedBy(ctx.api, person, c.token, 'refund', body));
  expectApiError(none, 422, 'SIGNER_NOT_AUTHORISED');
  expect(none.body.message).toContain('no power of attorney');
  await powerOfAttorney(c.id, iin, ['claims']);
  expectApiError(
    await refund(c.token, await signedBy(ctx.api, person, c.token, 'refund', body)),
    422,
    'SIGNER_NOT_AUTHORISED',
  );
  expect(await db('refund_requests').where({ client_id: c.id })).toEqual([]);

  const power = await powerOfAttorney(c.id, iin, ['refunds', 'termination']);
  expect(power.scopes).toEqual(['refunds', 'termination']);
  const asked = await refund(c.token, await signedBy(ctx.api, person, c.token, 'refund', body));
  expect(asked.status).toBe(201);
  expect(asked.body).toMatchObject({
    kind: 'request',
    status: 'pending',
    amountRequestedTiyn: 300_00,
    iik: REQUISITES.iik,
  });
  const row = await db('refund_requests').where({ id: asked.body.id }).first();
  expect(Buffer.from(row.signed_document).equals(document)).toBe(true);
  expect(row).toMatchObject({ signature_basis: 'power_of_attorney', power_of_attorney_id: power.id, signer: { iin } });
  expect(row.signature_note).toContain(`power of attorney № ${power.number}`);

  // Signed for the old account, the request does not go to a new one.
  const other = await client();
  const stale = await signedBy(ctx.api, await pki.signerFor(other.bin_iin), other.token, 'refund', {});
  await db('clients')
    .where({ id: other.id })
    .update({ details: { ...DETAILS, ...NEW_BANK, email: other.email } });
  const refused = await refund(other.token, stale);
  expectApiError(refused, 422, 'BAD_SIGNATURE');
  expect(refused.body.details.problems.map((p: { code: string }) => p.code)).toContain('DOCUMENT_MISMATCH');
  expect(await db('refund_requests').where({ client_id: other.id })).toEqual([]);
});

test('4.1.1, 10.4: a notice of termination is the client’s signed document, kept with the termination', async () => {
  const db = ctx.database.db;
  const c = await client();
  const probe = await ctx.api.request('POST', '/client/v1/termination/document', {
    token: c.token,
    body: { basis: '4.1.1', grounds: 'Подключение к ИС МПТ не требуется', terminationDate: addDaysToDate(today(), 1) },
  });
  expectApiError(probe, 400, 'NOTICE_PERIOD_TOO_SHORT');
  const body = {
    basis: '4.1.1',
    grounds: 'Подключение к ИС МПТ не требуется',
    terminationDate: probe.body.details.earliestDate,
  };

  expectApiError(await notice(c.token, body), 422, 'SIGNATURE_REQUIRED');
  const stranger = await insertClient(db);
  expectApiError(
    await notice(c.token, await signedBy(ctx.api, await pki.signerFor(stranger.bin_iin), c.token, 'termination', body)),
    422,
    'SIGNER_NOT_AUTHORISED',
  );
  // A representative with a power of attorney for refunds only may not give notice.
  const iin = randomBinIin();
  await powerOfAttorney(c.id, iin, ['refunds']);
  expectApiError(
    await notice(
      c.token,
      await signedBy(ctx.api, await issuePersonalCertificate(pki.ca, iin), c.token, 'termination', body),
    ),
    422,
    'SIGNER_NOT_AUTHORISED',
  );
  expect(await db('terminations').where({ client_id: c.id })).toEqual([]);

  const document = await instructionDocument(ctx.api, c.token, 'termination', body);
  expect(JSON.parse(document.toString('utf8'))).toMatchObject({
    type: 'ismet-backoffice/termination',
    client: { binIin: c.bin_iin },
    initiator: 'client',
    basis: '4.1.1',
    terminationDate: body.terminationDate,
    evidence: null,
  });
  const given = await notice(
    c.token,
    await signedBy(ctx.api, await pki.signerFor(c.bin_iin), c.token, 'termination', body),
  );
  expect(given.status).toBe(201);
  expect(given.body).toMatchObject({
    initiator: 'client',
    basis: '4.1.1',
    status: 'scheduled',
    terminationDate: body.terminationDate,
  });
  const row = await db('terminations').where({ id: given.body.id }).first();
  expect(Buffer.from(row.signed_document).equals(document)).toBe(true);
  expect(row).toMatchObject({ signature_basis: 'client_eds', signer: { bin: c.bin_iin } });
});

test('issue 16: the signed routes and their documents declare every status they answer with', async () => {
  const doc = (await ctx.api.request('GET', '/docs/json')).body;
  // Every route answers 429 and 503, and one with a body 413 and 415 (api/http/limits.ts): declared on each,
  // left out of the lists below, which are what each route answers of its own.
  const COMMON = ['413', '415', '429', '503'];
  expect(Object.keys(doc.paths['/client/v1/profile'].patch.responses)).toEqual(expect.arrayContaining(COMMON));
  const declared = (path: string, method: string) =>
    Object.keys(doc.paths[path][method].responses)
      .filter((code) => !COMMON.includes(code))
      .sort();
  expect(declared('/client/v1/profile', 'patch')).toEqual(['200', '400', '401', '403', '404', '409', '422']);
  expect(declared('/client/v1/profile/document', 'post')).toEqual(['200', '400', '401', '403', '404']);
  expect(declared('/client/v1/refunds', 'post')).toEqual(['201', '400', '401', '403', '404', '409', '422']);
  expect(declared('/client/v1/refunds/document', 'post')).toEqual(['200', '400', '401', '403', '404', '409']);
  expect(declared('/client/v1/termination', 'post')).toEqual(['201', '400', '401', '403', '404', '409', '422']);
  expect(declared('/client/v1/termination/document', 'post')).toEqual([
    '200',
    '400',
    '401',
    '403',
    '404',
    '409',
    '422',
  ]);
  expect(doc.paths['/client/v1/refunds'].post.responses['422'].content['application/json'].schema).toEqual({
    $ref: '#/components/schemas/ErrorResponse',
  });
});
