import { randomUUID } from 'node:crypto';
import { replaceCalendarYear } from '../../db/calendar-store';
import { clientBalance, deposit } from '../../db/ledger';
import { generateKey } from '../../lib/codes';
import {
  clientLifecycle,
  ClientLifecycleState,
  clientStateQuery,
  clientWorkflowId,
} from '../../workflows/client-lifecycle';
import { orderEmission, orderStateQuery, orderWorkflowId } from '../../workflows/order-emission';
import { approveRefundUpdate, refundWorkflowId } from '../../workflows/refund-request';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertStaff } from '../helpers/fixtures';
import { chargeClient, fundedClient, line, placeOrder } from '../helpers/orders';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { eventually } from '../helpers/eventually';
import { workerPerTest } from '../helpers/time-skipping';

// The one-year rule (3.7) on the time-skipping server with the real 2026-2027 calendar: money
// paid on 1 December 2026 may be used up to the end of 1 December 2027; a download that day
// keeps it, none by then returns it — less the actual bank fee — and ends the contract. A year
// without an order is flagged as the operator's ground to terminate (4.3.1 b).
const key = generateKey('LC01');
let database: TestDatabase;
let smtp: SmtpReceiver;
const TASK_QUEUE = 'lifecycle-tests';

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
  // The lifecycle looks a month ahead, into 2028, whose decree the bundled data does not have yet.
  await replaceCalendarYear(
    database.db,
    2028,
    { status: 'provisional', sources: [{ title: 'test: weekends only' }], days: [] },
    { reason: 'test' },
  );
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});
// A server of its own per test: its clock only moves forward.
const server = workerPerTest(TASK_QUEUE, () => ({
  db: database.db,
  smtpUrl: smtp.url,
  codeKeys: { current: key, byId: new Map([[key.id, key]]) },
}));
const { sleepUntil } = server;
const until = <T>(check: () => Promise<T | undefined | false | null>) => eventually(check, 30_000);

/** A client who joined on 19 November 2026 and paid 1 000 KZT on 1 December 2026, with its lifecycle running. */
async function clientWhoPaid() {
  const db = database.db;
  await sleepUntil('2026-12-01T12:00:00+05:00');
  const client = await fundedClient(db, 0);
  await db('clients')
    .where({ id: client.id })
    .update({ joined_on: '2026-11-19', effective_from: '2026-11-20', details: { iik: 'KZ86125KZT5004100100' } });
  const [payment] = await db('bank_payments')
    .insert({
      source_key: randomUUID(),
      source: 'manual',
      document_number: '17',
      document_date: '2026-12-01',
      received_on: '2026-12-01',
      amount: 1_000_00,
      payer_name: client.name,
      purpose: 'Аванс',
      status: 'credited',
      client_id: client.id,
    })
    .returning('*');
  await deposit(db, {
    idempotencyKey: `pay-${payment.id}`,
    clientId: client.id,
    amountTiyn: 1_000_00,
    paymentId: payment.id,
  });
  const handle = await server.env.client.workflow.start(clientLifecycle, {
    taskQueue: TASK_QUEUE,
    workflowId: clientWorkflowId(client.id),
    args: [{ clientId: client.id, effectiveFrom: '2026-11-20' }],
  });
  const state = await until(async () => {
    const s = await handle.query(clientStateQuery);
    return s.oneYearDueAt ? s : undefined;
  });
  return { client, handle, state };
}

const stateOf = (handle: { query: (q: typeof clientStateQuery) => Promise<ClientLifecycleState> }) =>
  handle.query(clientStateQuery);

test('nothing used by the end of 1 December 2027: at the start of the 2nd the advance is returned less the bank fee, the contract ends and the account closes', async () => {
  const db = database.db;
  const accountant = await insertStaff(db, ['accountant']);
  const { client, handle, state } = await clientWhoPaid();
  expect(state).toMatchObject({ status: 'active', unusedAdvanceSince: '2026-12-01', oneYearDueAt: '2027-12-01' });

  // 4.3.1 b: no order within a year of the contract (19 November 2026) — flagged, nothing ends.
  await sleepUntil('2027-11-19T23:00:00+05:00');
  expect((await stateOf(handle)).noOrderWithinYear).toBeFalsy();
  await sleepUntil('2027-11-20T01:00:00+05:00');
  await until(async () => (await stateOf(handle)).noOrderWithinYear);
  expect((await stateOf(handle)).status).toBe('active');

  // The last day of the year: still the client's to use.
  await sleepUntil('2027-12-01T23:59:00+05:00');
  expect(await db('refund_requests').where({ client_id: client.id })).toHaveLength(0);
  expect((await stateOf(handle)).status).toBe('active');

  await sleepUntil('2027-12-02T00:01:00+05:00');
  const refund = await until(async () => db('refund_requests').where({ client_id: client.id }).first());
  expect(refund).toMatchObject({
    kind: 'one_year',
    status: 'pending',
    iik: 'KZ86125KZT5004100100',
    amount_requested: null,
  });
  expect((await stateOf(handle)).status).toBe('refunding');

  const refundHandle = server.env.client.workflow.getHandle(refundWorkflowId(refund.id));
  await until(async () => {
    try {
      return await refundHandle.describe();
    } catch {
      return undefined;
    }
  });
  const paid = await refundHandle.executeUpdate(approveRefundUpdate, {
    args: [{ staffId: accountant.id, bankFeeTiyn: 200_00 }],
  });
  expect(paid).toMatchObject({ status: 'paid', paidTiyn: 1_000_00, feeTiyn: 200_00 });
  const final = await handle.result();
  expect(final).toMatchObject({ status: 'ended', endReason: expect.stringMatching(/^3\.7/) });
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 0, reserved: 0 });
  expect(await db('clients').where({ id: client.id }).first()).toMatchObject({
    status: 'terminated',
    contract_end_reason: expect.stringContaining('п. 3.7'),
  });
  expect((await db('personal_accounts').where({ client_id: client.id }).first()).status).toBe('closed');
  const refundMail = await smtp.waitFor(
    (m) => (m.subject?.startsWith('Возврат неиспользованного аванса') && m.text?.includes('п. 3.7')) ?? false,
  );
  expect(refundMail.text).toContain('800,00');
  await smtp.waitFor((m) => m.subject === 'Договор прекратил действие, лицевой счёт закрыт');
}, 180_000);

test.each([
  ['on the last day of the year', '2027-12-01T15:00:00+05:00'],
  ['one day before it', '2027-11-30T15:00:00+05:00'],
])(
  'codes downloaded and charged %s keep the advance: no refund, the contract goes on',
  async (_when, usedAt) => {
    const db = database.db;
    const { client, handle } = await clientWhoPaid();
    await sleepUntil(usedAt);
    // Downloaded at the server's time: the order's and the download's activities run on its clock.
    await chargeClient(db, client, 5, key, new Date(await server.env.currentTimeMs()));
    await sleepUntil('2027-12-02T00:01:00+05:00');
    await until(async () => {
      const s = await stateOf(handle);
      return !s.oneYearDueAt && s.unusedAdvanceSince === undefined ? s : undefined;
    });
    await sleepUntil('2027-12-03T12:00:00+05:00');
    expect(await db('refund_requests').where({ client_id: client.id })).toHaveLength(0);
    expect(await stateOf(handle)).toMatchObject({ status: 'active' });
    expect((await db('clients').where({ id: client.id }).first()).status).toBe('active');
  },
  180_000,
);

test('the year is over at midnight: the contract is ending — the refund is opened and no new order is taken (3.7)', async () => {
  const db = database.db;
  const { client, handle } = await clientWhoPaid();
  await sleepUntil('2027-12-02T10:00:00+05:00');
  const refund = await until(async () => db('refund_requests').where({ client_id: client.id }).first());
  expect(refund).toMatchObject({ kind: 'one_year', status: 'pending' });
  expect(new Date(refund.requested_at).getTime()).toBeLessThan(Date.parse('2027-12-02T00:10:00+05:00'));
  await expect(chargeClient(db, client, 5, key, new Date(await server.env.currentTimeMs()))).rejects.toMatchObject({
    code: 'CONTRACT_ENDING',
  });
  expect((await stateOf(handle)).status).toBe('refunding');
}, 180_000);

test('3.7 settles everything before the account closes: an open order ends, its reservation comes back and the whole advance is returned', async () => {
  const db = database.db;
  const accountant = await insertStaff(db, ['accountant']);
  const { client, handle } = await clientWhoPaid();
  // Codes ordered a week before the year ends and never downloaded: reserved, not a service (6.4).
  await sleepUntil('2027-11-24T12:00:00+05:00');
  const input = await placeOrder(db, client, [line(client.gtins[0], 5)], new Date(await server.env.currentTimeMs()));
  const order = await server.env.client.workflow.start(orderEmission, {
    taskQueue: TASK_QUEUE,
    workflowId: orderWorkflowId(input.orderId),
    args: [input],
  });
  await until(async () => (await order.query(orderStateQuery)).status === 'READY');
  const reserved = (await clientBalance(db, client.id)).reserved;
  expect(reserved).toBeGreaterThan(0);
  expect((await clientBalance(db, client.id)).available).toBe(1_000_00 - reserved);

  await sleepUntil('2027-12-02T00:30:00+05:00');
  // The order ended first: its codes given up, its reservation back on the balance.
  expect(await order.result()).toMatchObject({ status: 'CLOSED', releasedTiyn: reserved, contractEnding: '3.7' });
  expect(
    await db('marking_codes')
      .whereIn(
        'order_product_id',
        input.products.map((p) => p.orderProductId),
      )
      .distinct('status')
      .pluck('status'),
  ).toEqual(['CANCELLED']);
  const refund = await until(async () => db('refund_requests').where({ client_id: client.id }).first());
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 1_000_00, reserved: 0 });

  const refundHandle = server.env.client.workflow.getHandle(refundWorkflowId(refund.id));
  await until(async () => refundHandle.describe().catch(() => undefined));
  const paid = await refundHandle.executeUpdate(approveRefundUpdate, {
    args: [{ staffId: accountant.id, bankFeeTiyn: 150_00 }],
  });
  // The whole advance leaves the account; the operator keeps its actual bank cost from it (3.7).
  expect(paid).toMatchObject({ status: 'paid', paidTiyn: 1_000_00, feeTiyn: 150_00 });
  expect(await handle.result()).toMatchObject({ status: 'ended', endReason: expect.stringMatching(/^3\.7/) });
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 0, reserved: 0 });
  expect((await db('personal_accounts').where({ client_id: client.id }).first()).status).toBe('closed');
}, 240_000);
