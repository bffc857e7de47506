import { clientBalance } from '../../db/ledger';
import { refundStateQuery, refundWorkflowId } from '../../workflows/refund-request';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertStaff } from '../helpers/fixtures';
import { fundedClient, line, placeOrder } from '../helpers/orders';
import { createTestPki, TestPki } from '../helpers/joining';
import { signedInstructionBody } from '../helpers/signed';
import { isTo } from '../helpers/smtp';

// Refunds on request (6.11) through the API on the Temporal dev server: the accountant pays the
// whole unused advance, or refuses — and the system refuses a refusal the contract does not allow.
// The request is the client's EDS-signed document (test/integration/signed-instructions.test.ts).
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });

/** A refund request signed with the client's own EDS. */
const ask = async (token: string, client: { bin_iin: string }, body: Record<string, unknown>) =>
  ctx.api.request('POST', '/client/v1/refunds', {
    token,
    body: await signedInstructionBody(ctx.api, pki, token, client.bin_iin, 'refund', body),
  });

const pending = (refundId: string) =>
  eventually(
    async () =>
      (await ctx.api.temporal.client.workflow.getHandle(refundWorkflowId(refundId)).query(refundStateQuery)).dueAt,
  );

test('6.11: a refund with no debt and no order in progress may not be refused; it returns the whole unused advance, booked and e-mailed', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 1_000_00);
  await db('clients')
    .where({ id: client.id })
    .update({ details: { iik: 'KZ86125KZT5004100100' } });
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);

  expectApiError(
    await ctx.api.request('POST', '/client/v1/refunds', { token, body: { amountTiyn: 1_000_01 } }),
    400,
    'AMOUNT_EXCEEDS_BALANCE',
  );
  const asked = await ask(token, client, { note: 'Прекращаем производство' });
  expect(asked.status).toBe(201);
  expect(asked.body).toMatchObject({
    kind: 'request',
    status: 'pending',
    amountRequestedTiyn: null,
    iik: 'KZ86125KZT5004100100',
  });
  expectApiError(await ctx.api.request('POST', '/client/v1/refunds', { token, body: {} }), 409, 'REFUND_PENDING');
  const dueAt = await pending(asked.body.id);
  // 15 calendar days (6.11), the last day moved to a working day: at least 15 days ahead.
  expect(new Date(dueAt).getTime() - Date.parse(asked.body.requestedAt)).toBeGreaterThanOrEqual(
    15 * 86_400_000 - 86_400_000,
  );

  const desk = (
    await ctx.api.request('GET', '/staff/v1/refunds?status=pending', { token: accountant.token })
  ).body.refunds.find((r: { id: string }) => r.id === asked.body.id);
  expect(desk).toMatchObject({ availableTiyn: 1_000_00, refusalGrounds: [], dueAt });

  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/refuse`, {
      token: accountant.token,
      body: { reason: 'Не хотим' },
    }),
    409,
    'REFUSAL_NOT_ALLOWED',
  );
  // 6.11: «неиспользованной суммы аванса» — the whole of it; only 3.7 deducts the operator's bank costs, and 4.1.2 alone adds the client's.
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/pay`, {
      token: accountant.token,
      body: { bankFeeTiyn: 150_00 },
    }),
    400,
    'BANK_FEE_NOT_ALLOWED',
  );
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/pay`, {
      token: accountant.token,
      body: { clientBankFeesTiyn: 5_00, clientBankFeesDocument: 'п/п 1' },
    }),
    400,
    'CLIENT_FEES_NOT_ALLOWED',
  );
  const paid = await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/pay`, {
    token: accountant.token,
    body: {},
  });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({
    status: 'paid',
    clause: '6.11',
    paidTiyn: 1_000_00,
    bankFeeTiyn: 0,
    clientBankFeesTiyn: 0,
    availableTiyn: 0,
  });
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 0, reserved: 0 });
  const booked = await db('ledger_entries as e')
    .join('ledger_accounts as a', 'a.id', 'e.account_id')
    .where('e.transaction_id', (await db('refund_requests').where({ id: asked.body.id }).first()).ledger_transaction_id)
    .select('a.kind', 'e.amount');
  expect(booked.find((e) => e.kind === 'bank_fees')?.amount ?? 0).toBe(0);
  const mail = await ctx.smtp.waitFor(
    (m) => isTo(m, client.email) && (m.subject?.startsWith('Возврат неиспользованного аванса') ?? false),
  );
  expect(mail.subject).toMatch(/1\s000,00/);
  expect(mail.text).not.toContain('за вычетом');
  expect(mail.text).toContain('KZ86125KZT5004100100');
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/pay`, {
      token: accountant.token,
      body: { bankFeeTiyn: 0 },
    }),
    409,
    'REFUND_DECIDED',
  );
  expectApiError(await ctx.api.request('POST', '/client/v1/refunds', { token, body: {} }), 409, 'NOTHING_TO_REFUND');
});

test('with an order in progress the accountant may refuse, with the reason e-mailed', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 500_00);
  await placeOrder(db, client, [line(client.gtins[0], 10)]);
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);
  const asked = await ask(token, client, { amountTiyn: 200_00 });
  await pending(asked.body.id);
  const refused = await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/refuse`, {
    token: accountant.token,
    body: { reason: 'Заявка в работе' },
  });
  expect(refused.status).toBe(200);
  expect(refused.body.status).toBe('refused');
  expect(refused.body.decisionReason).toMatch(/Заявка в работе \(1 order\(s\) in progress\)/);
  await ctx.smtp.waitFor(
    (m) =>
      isTo(m, client.email) &&
      m.subject === 'Ответ на обращение о возврате аванса' &&
      (m.text?.includes('Заявка в работе') ?? false),
  );
  expect((await clientBalance(db, client.id)).available).toBe(500_00);
  const mine = (await ctx.api.request('GET', '/client/v1/refunds', { token })).body.refunds;
  expect(mine).toEqual([
    expect.objectContaining({ id: asked.body.id, status: 'refused', amountRequestedTiyn: 200_00 }),
  ]);
});

test('6.11: a disputed act is not a debt — with nothing else, the refund may not be refused', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 300_00);
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);
  const disputed = {
    client_id: client.id,
    period_from: '2026-10-01',
    period_to: '2026-10-31',
    number: `A-${client.id}`,
    vat_invoice_number: `V-${client.id}`,
    status: 'disputed',
    codes: 1,
    net: 268,
    vat: 43,
    total: 311,
    lines: JSON.stringify([]),
    issued_at: new Date(),
    issued_on: '2026-11-02',
    pdf: Buffer.from('%PDF'),
    pdf_sha256: '0'.repeat(64),
    vat_invoice_pdf: Buffer.from('%PDF'),
    operator_signature: 'x',
    operator_key_id: 'k',
  };
  await db('acts').insert(disputed);
  const asked = await ask(token, client, {});
  await pending(asked.body.id);
  const desk = (
    await ctx.api.request('GET', '/staff/v1/refunds?status=pending', { token: accountant.token })
  ).body.refunds.find((r: { id: string }) => r.id === asked.body.id);
  expect(desk.refusalGrounds).toEqual([]);
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/refuse`, {
      token: accountant.token,
      body: { reason: 'Акт оспорен' },
    }),
    409,
    'REFUSAL_NOT_ALLOWED',
  );
});

test('a refund goes to the client’s bank account of record, never to none: without one it is not paid and nothing is booked', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 400_00);
  const token = await clientToken(db, client.id);
  const accountant = await insertStaff(db, ['accountant']);
  const asked = await ask(token, client, {});
  expect(asked.body.iik).toBeNull();
  await pending(asked.body.id);
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/pay`, { token: accountant.token, body: {} }),
    409,
    'NO_BANK_ACCOUNT',
  );
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 400_00, totalRefunded: 0 });
  expect((await db('refund_requests').where({ id: asked.body.id }).first()).status).toBe('pending');

  // The account of record appears (its signed application or a signed change): the refund goes there.
  await db('clients')
    .where({ id: client.id })
    .update({ details: { iik: 'KZ86125KZT5004100100' } });
  const paid = await ctx.api.request('POST', `/staff/v1/refunds/${asked.body.id}/pay`, {
    token: accountant.token,
    body: {},
  });
  expect(paid.body).toMatchObject({ status: 'paid', paidTiyn: 400_00 });
  expect(await db('refund_requests').where({ id: asked.body.id }).first()).toMatchObject({
    iik: 'KZ86125KZT5004100100',
    status: 'paid',
  });
});
