import { createHash, verify } from 'node:crypto';
import { createActActivities } from '../../activities/acts';
import type { Db } from '../../db/connection';
import { clientBalance } from '../../db/ledger';
import { formatTenge } from '../../lib/money';
import { reconciliationActStateQuery, reconciliationActWorkflowId } from '../../workflows/reconciliation-act';
import { expectApiError, TEST_CODE_KEYS, TEST_OPERATOR_SIGNER, useTestApi } from '../helpers/api';
import { clientToken } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { clientWithServices } from '../helpers/orders';
import { extractPdf, squash } from '../helpers/pdf-text';
import { signCms } from '../helpers/pki';

// Reconciliation acts signed like acts (6.6-6.8) through the API on the Temporal dev server, and
// the operator's signature of an act's VAT invoice (6.7).
//
// The dev server keeps real time, so the API and the worker issue at an instant pinned years
// ahead: the 5 working days (6.8) never end during a run, whatever day it is (their end is
// test/workflow/reconciliation-act.test.ts's, on the time-skipping server). Monday 1 October 2035,
// 10:00 Astana → Tuesday 2 … Monday 8 October: due at its 24:00.
const ISSUED_AT = '2035-10-01T10:00:00+05:00';
const DUE_AT = new Date('2035-10-09T00:00:00+05:00').toISOString();
// The client's services and payment, moved into the third quarter of 2026 (the period asked for).
const SERVICES_AT = new Date('2026-08-10T06:00:00Z');

let pki: TestPki;
const ctx = useTestApi({
  eds: async () => (pki = await createTestPki()).verifier,
  clock: { now: () => new Date(ISSUED_AT) },
});

/** A client paid in and charged for `codes` codes on SERVICES_AT, with its token. */
async function servedClient(codes: number) {
  const { db } = ctx.database;
  const { client } = await clientWithServices(db, codes, TEST_CODE_KEYS.current);
  await backdate(db, client.id, SERVICES_AT);
  return { client, token: await clientToken(db, client.id) };
}

/** Every ledger transaction of the client, dated `at` (the ledger is immutable, but for tests). */
async function backdate(db: Db, clientId: string, at: Date) {
  await db.transaction(async (trx) => {
    await trx.raw('ALTER TABLE ledger_transactions DISABLE TRIGGER ledger_transactions_immutable');
    await trx('ledger_transactions').where({ client_id: clientId }).update({ created_at: at });
    await trx.raw('ALTER TABLE ledger_transactions ENABLE TRIGGER ledger_transactions_immutable');
  });
}

const requestQ3 = (token: string) =>
  ctx.api.request('POST', '/client/v1/reconciliation-acts', { token, body: { quarter: '2026-Q3' } });
const download = async (path: string, token: string) =>
  Buffer.from(await (await fetch(ctx.api.url + path, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
const sign = async (binIin: string, pdf: Buffer) =>
  Buffer.from(await signCms(await pki.signerFor(binIin), pdf, { signingTime: null })).toString('base64');

test('6.6, 6.7: the reconciliation act is stored with its PDF, signed by the operator — the signature verifies against the served key — and sent to the client with 5 working days to answer (6.8)', async () => {
  const { db } = ctx.database;
  const { client, token } = await servedClient(4);
  const created = await requestQ3(token);
  expect(created.status).toBe(201);
  const act = created.body;
  expect(act).toMatchObject({
    status: 'issued',
    periodFrom: '2026-07-01',
    periodTo: '2026-09-30',
    issuedAt: new Date(ISSUED_AT).toISOString(),
    dueAt: DUE_AT,
    overdue: false,
    signedAt: null,
    files: {
      pdf: `/client/v1/reconciliation-acts/${act.id}/pdf`,
      operatorSignature: `/client/v1/reconciliation-acts/${act.id}/operator-signature`,
    },
  });
  expect(act.timeLeftMs).toBe(Date.parse(DUE_AT) - Date.parse(ISSUED_AT));
  // 6.6: the figures of the quarter, reconciling with the personal account.
  const balance = await clientBalance(db, client.id);
  expect({
    opening: act.openingTiyn,
    payments: act.paymentsTiyn,
    corrections: act.correctionsTiyn,
    refunds: act.refundsTiyn,
    closing: act.closingTiyn,
  }).toEqual({
    opening: 0,
    payments: 100_000_00,
    corrections: 0,
    refunds: 0,
    closing: balance.available + balance.reserved,
  });
  expect(act.servicesTiyn).toBe(100_000_00 - act.closingTiyn);

  // Stored, not rendered on the fly: the PDF served is the one the operator signed.
  const pdf = await download(act.files.pdf, token);
  const row = await db('reconciliation_acts').where({ id: act.id }).first();
  expect(row.pdf.equals(pdf)).toBe(true);
  expect(row).toMatchObject({ client_id: client.id, status: 'issued', operator_key_id: TEST_OPERATOR_SIGNER.keyId });
  const text = extractPdf(pdf).text;
  expect(text).toContain(act.number);
  expect(text).toContain(squash(formatTenge(act.closingTiyn)));
  expect(text).toContain('до 09.10.2035 00:00');

  const signature = await ctx.api.request('GET', act.files.operatorSignature, { token });
  expect(signature.status).toBe(200);
  expect(signature.body).toMatchObject({
    keyId: TEST_OPERATOR_SIGNER.keyId,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
  });
  expect(verify('sha256', pdf, signature.body.publicKeyPem, Buffer.from(signature.body.signature, 'base64'))).toBe(
    true,
  );
  expect(
    verify(
      'sha256',
      Buffer.concat([pdf, Buffer.from(' ')]),
      signature.body.publicKeyPem,
      Buffer.from(signature.body.signature, 'base64'),
    ),
  ).toBe(false);

  // Listed and read with its deadline; its workflow awaits the client; the client is told.
  expect((await ctx.api.request('GET', '/client/v1/reconciliation-acts', { token })).body.reconciliationActs).toEqual([
    act,
  ]);
  expect((await ctx.api.request('GET', `/client/v1/reconciliation-acts/${act.id}`, { token })).body).toEqual(act);
  const handle = ctx.api.temporal.client.workflow.getHandle(reconciliationActWorkflowId(act.id));
  expect(await handle.query(reconciliationActStateQuery)).toMatchObject({
    status: 'issued',
    dueAt: DUE_AT,
    clientId: client.id,
  });
  const notice = await ctx.smtp.waitFor((m) => m.subject === `Акт сверки взаиморасчётов № ${act.number} на подписание`);
  // The e-mail: Russian format, Astana time; a deadline at the next midnight reads as the end of the day before.
  expect(notice.text).toContain('до конца 08.10.2035');
  expect(notice.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);

  // Another client's act is not this client's to read.
  const other = await servedClient(1);
  expectApiError(
    await ctx.api.request('GET', `/client/v1/reconciliation-acts/${act.id}/operator-signature`, { token: other.token }),
    404,
    'NOT_FOUND',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/reconciliation-acts', {
      token,
      body: { from: '2035-10-01', to: '2035-10-02' },
    }),
    400,
    'BAD_PERIOD',
  );
});

test('6.7, 6.8: signed with the client’s EDS over the PDF → signed; a signature of another BIN is refused with 422 and the act still awaits the client', async () => {
  const { db } = ctx.database;
  const a = await servedClient(2);
  const b = await servedClient(3);
  const act = (await requestQ3(b.token)).body;
  const pdf = await download(act.files.pdf, b.token);

  const wrong = await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/sign`, {
    token: b.token,
    body: { signature: await sign(a.client.bin_iin, pdf) },
  });
  expectApiError(wrong, 422, 'BAD_SIGNATURE');
  expect(wrong.body.details.problems).toContainEqual(
    expect.objectContaining({
      code: 'SIGNER_MISMATCH',
      messageRu: expect.stringContaining('БИН/ИИН в сертификате не совпадает'),
    }),
  );
  expect(
    (await ctx.api.request('GET', `/client/v1/reconciliation-acts/${act.id}`, { token: b.token })).body,
  ).toMatchObject({ status: 'issued', signedAt: null });
  expect(await db('reconciliation_acts').where({ id: act.id }).first('status', 'client_signature')).toEqual({
    status: 'issued',
    client_signature: null,
  });

  const good = await sign(b.client.bin_iin, pdf);
  const signed = await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/sign`, {
    token: b.token,
    body: { signature: good },
  });
  expect(signed.status).toBe(200);
  expect(signed.body).toMatchObject({ id: act.id, status: 'signed', timeLeftMs: null, signedAt: expect.any(String) });
  expect(await db('reconciliation_acts').where({ id: act.id }).first('status', 'client_signature')).toEqual({
    status: 'signed',
    client_signature: good,
  });
  const result = await ctx.api.temporal.client.workflow.getHandle(reconciliationActWorkflowId(act.id)).result();
  expect(result).toMatchObject({ status: 'signed' });

  // Decided: neither a refusal nor another signature is taken.
  expectApiError(
    await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/refuse`, {
      token: b.token,
      body: { reason: 'Сальдо не совпадает с нашими данными' },
    }),
    409,
    'ACT_NOT_OPEN',
  );
  expectApiError(
    await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/sign`, {
      token: b.token,
      body: { signature: good },
    }),
    409,
    'ACT_NOT_OPEN',
  );
  // Nor another client's signature of this client's act.
  expectApiError(
    await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/sign`, {
      token: a.token,
      body: { signature: good },
    }),
    404,
    'NOT_FOUND',
  );
});

test('6.8: a motivated refusal with its reasons → refused; reasons too short are not one', async () => {
  const { db } = ctx.database;
  const { token } = await servedClient(5);
  const act = (await requestQ3(token)).body;

  expectApiError(
    await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/refuse`, {
      token,
      body: { reason: 'нет' },
    }),
    400,
    'VALIDATION_FAILED',
  );
  const reason = 'Поступление оплаты от 10.08.2026 у нас отражено иной суммой';
  const refused = await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/refuse`, {
    token,
    body: { reason },
  });
  expect(refused.status).toBe(200);
  expect(refused.body).toMatchObject({
    id: act.id,
    status: 'refused',
    refusalReason: reason,
    signedAt: null,
    timeLeftMs: null,
  });
  expect(await db('reconciliation_acts').where({ id: act.id }).first('status', 'refusal_reason')).toEqual({
    status: 'refused',
    refusal_reason: reason,
  });
  expect(await ctx.api.temporal.client.workflow.getHandle(reconciliationActWorkflowId(act.id)).result()).toMatchObject({
    status: 'refused',
    refusal: reason,
  });
  const pdf = await download(act.files.pdf, token);
  expectApiError(
    await ctx.api.request('POST', `/client/v1/reconciliation-acts/${act.id}/sign`, {
      token,
      body: { signature: await sign('000000000000', pdf) },
    }),
    409,
    'ACT_NOT_OPEN',
  );
});

test('6.7: the VAT invoice of an act is signed by the operator, and the signature verifies against the served key', async () => {
  const { db } = ctx.database;
  const { client, token } = await servedClient(6);
  const activities = createActActivities({
    db,
    mailer: { send: async () => ({ messageId: '' }), close: () => undefined },
    clock: { now: () => new Date(ISSUED_AT) },
    operatorSigner: TEST_OPERATOR_SIGNER,
  });
  // The act of August 2026, issued on the 1st of September at 00:30 Astana.
  const issued = (await activities.issueMonthlyAct(client.id, '2026-08', '2026-09-01T00:30:00+05:00'))!;
  expect(issued).toMatchObject({ revision: 1, issuedAt: new Date('2026-09-01T00:30:00+05:00').toISOString() });

  const invoice = await download(`/client/v1/acts/${issued.actId}/vat-invoice.pdf`, token);
  const signature = await ctx.api.request('GET', `/client/v1/acts/${issued.actId}/vat-invoice-signature`, { token });
  expect(signature.status).toBe(200);
  expect(signature.body).toMatchObject({
    keyId: TEST_OPERATOR_SIGNER.keyId,
    pdfSha256: createHash('sha256').update(invoice).digest('hex'),
  });
  expect(verify('sha256', invoice, signature.body.publicKeyPem, Buffer.from(signature.body.signature, 'base64'))).toBe(
    true,
  );
  // A signature of the VAT invoice, not the act's.
  const actPdf = await download(`/client/v1/acts/${issued.actId}/pdf`, token);
  expect(verify('sha256', actPdf, signature.body.publicKeyPem, Buffer.from(signature.body.signature, 'base64'))).toBe(
    false,
  );
  const actSignature = (await ctx.api.request('GET', `/client/v1/acts/${issued.actId}/operator-signature`, { token }))
    .body;
  expect(verify('sha256', actPdf, actSignature.publicKeyPem, Buffer.from(actSignature.signature, 'base64'))).toBe(true);

  // An act issued before VAT invoices were signed has no such signature.
  await db('acts').where({ id: issued.actId }).update({ vat_invoice_signature: null });
  expectApiError(
    await ctx.api.request('GET', `/client/v1/acts/${issued.actId}/vat-invoice-signature`, { token }),
    404,
    'NOT_FOUND',
  );
});
