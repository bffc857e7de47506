import { clientBalance } from '../../db/ledger';
import { expectApiError, useTestApi } from '../helpers/api';
import { insertClient, insertStaff } from '../helpers/fixtures';

// Money put into a personal account by hand: up to the threshold (100 000 ₸ by default) one
// accountant books it; above it one proposes and a second approves or rejects, both recorded.
const ctx = useTestApi();

async function people() {
  const [first, second] = await Promise.all([insertStaff(ctx.database.db, ['accountant']), insertStaff(ctx.database.db, ['accountant'])]);
  return { first, second, client: await insertClient(ctx.database.db) };
}
const post = (token: string, path: string, key: string, body: unknown) => ctx.api.request('POST', path, { token, body, headers: { 'idempotency-key': key } });

test('one accountant alone cannot credit 5 000 000 ₸: the correction waits for a second person, who books it once', async () => {
  const { first, second, client } = await people();
  const proposed = await post(first.token, `/staff/v1/clients/${client.id}/corrections`, `big-${client.id}`, { amountTiyn: 5_000_000_00, reason: 'Зачисление по письму клиента' });
  expect(proposed.status).toBe(202);
  expect(proposed.body).toMatchObject({ status: 'pending', kind: 'correction', amountTiyn: 5_000_000_00, proposedBy: first.id, ledgerTransactionId: null });
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(0);
  // The same request again is the same proposal.
  expect((await post(first.token, `/staff/v1/clients/${client.id}/corrections`, `big-${client.id}`, { amountTiyn: 5_000_000_00, reason: 'Зачисление по письму клиента' })).body.id).toBe(proposed.body.id);

  expectApiError(await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/approve`, { token: first.token, body: {} }), 403, 'SAME_PERSON');
  const approved = await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/approve`, { token: second.token, body: { note: 'Письмо проверено' } });
  expect(approved.body).toMatchObject({ status: 'approved', decidedBy: second.id, ledgerTransactionId: expect.any(Number) });
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(5_000_000_00);
  expectApiError(await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/approve`, { token: second.token, body: {} }), 409, 'ALREADY_DECIDED');
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(5_000_000_00);
  const listed = (await ctx.api.request('GET', '/staff/v1/manual-credits?status=approved', { token: second.token })).body.credits;
  expect(listed.find((c: { id: string }) => c.id === proposed.body.id)).toMatchObject({ proposedBy: first.id, decidedBy: second.id, decisionNote: 'Письмо проверено' });
});

test('a large compensation rejected by the second person books nothing; a small correction books at once', async () => {
  const { first, second, client } = await people();
  const proposed = await post(first.token, `/staff/v1/clients/${client.id}/compensations`, `comp-${client.id}`, { amountTiyn: 200_000_00, clause: '7.3', reference: { type: 'claim', id: 'нет' }, reason: 'Ущерб от простоя' });
  expect(proposed.status).toBe(202);
  const rejected = await ctx.api.request('POST', `/staff/v1/manual-credits/${proposed.body.id}/reject`, { token: second.token, body: { note: 'Основание не найдено' } });
  expect(rejected.body).toMatchObject({ status: 'rejected', ledgerTransactionId: null });
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(0);

  const small = await post(first.token, `/staff/v1/clients/${client.id}/corrections`, `small-${client.id}`, { amountTiyn: 100_00, reason: 'Округление' });
  expect(small.status).toBe(201);
  expect((await clientBalance(ctx.database.db, client.id)).available).toBe(100_00);
});
