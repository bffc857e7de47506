import { clientBalance } from '../../db/ledger';
import { expectApiError, useTestApi } from '../helpers/api';
import { insertClient, insertStaff } from '../helpers/fixtures';

// Money put into a personal account by hand: up to the threshold (100 000 ₸ by default) one
// accountant books it; above it one proposes and a second approves or rejects, both recorded.
const ctx = useTestApi();

async function people() {
  const [first, second] = await Promise.all([
    insertStaff(ctx.database.db, ['accountant']),
    insertStaff(ctx.database.db, ['accountant']),
  ]);
  return { first, second, client: await insertClient(ctx.database.db) };
}
/** A ticket of the client whose reaction deadline (Прил. 3) was missed: a recorded case a compensation may settle. */
async function breachedTicket(clientId: string, breached = true) {
  const at = new Date('2026-11-02T04:00:00Z');
  const [row] = await ctx.database
    .db('tickets')
    .insert({
      number: `SD-T-${Math.random().toString(36).slice(2, 10)}`,
      client_id: clientId,
      contact_email: 'shop@example.kz',
      channel: 'email',
      subject: 'Коды не пришли',
      received_at: at,
      line_arrived_at: at,
      reaction_breached_at: breached ? new Date(at.getTime() + 3_600_000) : null,
    })
    .returning('*');
  return row;
}
const post = (token: string, path: string, key: string, body: unknown) =>
  ctx.api.request('POST', path, { token, body, headers: { 'idempotency-key': key } });

test('one accountant alone cannot credit 5 000 000 ₸: the correction waits for a second person, who books it once', async () => {
  const { first, second, client } = await people();
  const proposed = await post(first.token, `/staff/v1/clients/${client.id}/corrections`, `big-${client.id}`, {
    amountTiyn: 5_000_000_00,
    reason: 'Зачисление по письму клиента',
  });
  expect(proposed.status).toBe(202);
  expect(proposed.body).toMatchObject({
    status: 'pending',
    kind: 'correction',
    amountTiyn: 5_000_000_00,
    proposedBy: first.id,
    ledgerTransactionId: null,
  });
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(0);
  // The same request again is the same proposal.
  expect(
    (
      await post(first.token, `/staff/v1/clients/${client.id}/corrections`, `big-${client.id}`, {
        amountTiyn: 5_000_000_00,
        reason: 'Зачисление по письму клиента',
      })
    ).body.id,
  ).toBe(proposed.body.id);

  expectApiError(
    await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/approve`, {
      token: first.token,
      body: {},
    }),
    403,
    'SAME_PERSON',
  );
  const approved = await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/approve`, {
    token: second.token,
    body: { note: 'Письмо проверено' },
  });
  expect(approved.body).toMatchObject({
    status: 'approved',
    decidedBy: second.id,
    ledgerTransactionId: expect.any(Number),
  });
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(5_000_000_00);
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/approve`, {
      token: second.token,
      body: {},
    }),
    409,
    'ALREADY_DECIDED',
  );
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(5_000_000_00);
  const listed = (await ctx.api.request('GET', '/staff/v1/manual-credits?status=approved', { token: second.token }))
    .body.credits;
  expect(listed.find((c: { id: string }) => c.id === proposed.body.id)).toMatchObject({
    proposedBy: first.id,
    decidedBy: second.id,
    decisionNote: 'Письмо проверено',
  });
});

test('a large compensation rejected by the second person books nothing; a small correction books at once', async () => {
  const { first, second, client } = await people();
  const ticket = await breachedTicket(client.id);
  const proposed = await post(first.token, `/staff/v1/clients/${client.id}/compensations`, `comp-${client.id}`, {
    amountTiyn: 200_000_00,
    clause: '7.3',
    reference: { type: 'ticket', id: ticket.id },
    reason: 'Ущерб от простоя',
  });
  expect(proposed.status).toBe(202);
  const rejected = await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/reject`, {
    token: second.token,
    body: { note: 'Основание не найдено' },
  });
  expect(rejected.body).toMatchObject({ status: 'rejected', ledgerTransactionId: null });
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(0);

  const small = await post(first.token, `/staff/v1/clients/${client.id}/corrections`, `small-${client.id}`, {
    amountTiyn: 100_00,
    reason: 'Округление',
  });
  expect(small.status).toBe(201);
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(100_00);
});

test('a compensation names a recorded case of this client, and no case is compensated twice', async () => {
  const { first, second, client } = await people();
  const other = await insertClient(ctx.database.db);
  const comp = (key: string, reference: unknown, amountTiyn = 500_00) =>
    post(first.token, `/staff/v1/clients/${client.id}/compensations`, key, {
      amountTiyn,
      clause: '7.3',
      reference,
      reason: 'Ущерб от просрочки',
    });
  // Tried from outside: a reference that names nothing credited the account.
  expectApiError(
    await comp(`none-${client.id}`, { type: 'claim', id: '00000000-0000-4000-8000-000000000000' }),
    400,
    'NOT_A_RECORDED_CASE',
  );
  expectApiError(await comp(`free-${client.id}`, { type: 'defect_act', id: 'ДА-1' }), 400, 'VALIDATION_FAILED');
  const othersTicket = await breachedTicket(other.id);
  expectApiError(await comp(`other-${client.id}`, { type: 'ticket', id: othersTicket.id }), 400, 'NOT_A_RECORDED_CASE');
  const onTime = await breachedTicket(client.id, false);
  expectApiError(await comp(`ontime-${client.id}`, { type: 'ticket', id: onTime.id }), 400, 'NOT_A_RECORDED_CASE');
  expectApiError(
    await comp(`big-none-${client.id}`, { type: 'ticket', id: onTime.id }, 300_000_00),
    400,
    'NOT_A_RECORDED_CASE',
  );
  expect(await ctx.database.db('manual_credits').where({ client_id: client.id }).first()).toBeUndefined();
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(0);

  const ticket = await breachedTicket(client.id);
  const paid = await comp(`paid-${client.id}`, { type: 'ticket', id: ticket.id });
  expect(paid.status).toBe(201);
  expect((await comp(`paid-${client.id}`, { type: 'ticket', id: ticket.id })).status).toBe(200);
  expectApiError(await comp(`again-${client.id}`, { type: 'ticket', id: ticket.id }), 409, 'ALREADY_COMPENSATED');
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(500_00);
  expect(second.id).not.toBe(first.id);
});
