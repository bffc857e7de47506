import { createRefundActivities } from '../../activities/refunds';
import { clientBalance, refundPayout } from '../../db/ledger';
import { insertStaff, REQUISITES } from '../helpers/fixtures';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { fundedClient } from '../helpers/orders';

// Issue #19: a refund's payout and its status are one database transaction, idempotent on retry.
// The activity is called as the refund workflow's Update calls it (and as Temporal retries it):
// again after it finished, twice at once, after a crash inside its transaction, after a crash
// between its commit and its answer, and on a refund an older payout left booked but pending.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const AT = '2026-12-04T10:00:00.000Z'; // the decision's instant, as the workflow passes it: no test reads today
const BALANCE = 1_000_00;

const activities = () =>
  createRefundActivities({ db: database.db, clock: { now: () => new Date(AT) }, mailer: undefined as never });

/** A funded client with a bank account of record and a pending refund of `kind`. */
async function pendingRefund(kind: 'request' | 'one_year' = 'request') {
  const db = database.db;
  const client = await fundedClient(db, BALANCE);
  await db('clients').where({ id: client.id }).update({ details: REQUISITES });
  const [refund] = await db('refund_requests')
    .insert({ client_id: client.id, kind, requested_at: AT, iik: REQUISITES.iik })
    .returning('*');
  const accountant = await insertStaff(db, ['accountant']);
  return { client, refundId: refund.id as string, staffId: accountant.id as string };
}

/** The refund payouts booked for the client. */
const payouts = (clientId: string) =>
  database.db('ledger_transactions').where({ client_id: clientId, kind: 'refund_payout' }).select('id');

/** A trigger that fails `statement` on `table` (a crash at that point), dropped by the returned function. */
async function failing(table: string, when: string) {
  const name = `fail_${table}_${Math.random().toString(36).slice(2, 8)}`;
  await database.db.raw(
    `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'crash (${name})'; END $$`,
  );
  await database.db.raw(`CREATE TRIGGER ${name} ${when} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return async () => {
    await database.db.raw(`DROP TRIGGER ${name} ON ${table}`);
    await database.db.raw(`DROP FUNCTION ${name}()`);
  };
}

test('paid again (a retry of the activity): the same answer, one ledger entry, the balance lowered once', async () => {
  const { client, refundId, staffId } = await pendingRefund();
  const first = await activities().payRefund(refundId, {}, staffId, AT);
  const again = await activities().payRefund(refundId, {}, staffId, AT);

  expect(first).toMatchObject({ status: 'paid', paidTiyn: BALANCE, feeTiyn: 0, clientFeesTiyn: 0 });
  expect(again).toEqual(first);
  const booked = await payouts(client.id);
  expect(booked).toHaveLength(1);
  expect(await database.db('refund_requests').where({ id: refundId }).first()).toMatchObject({
    status: 'paid',
    paid_amount: BALANCE,
    clause: '6.11',
    decided_by: staffId,
    ledger_transaction_id: booked[0].id,
  });
  expect((await clientBalance(database.db, client.id)).available).toBe(0);
});

test('two payments at once (a retry racing the first attempt): one waits on the refund row, one ledger entry, both answer the same', async () => {
  const { client, refundId, staffId } = await pendingRefund('one_year');
  const decision = { bankFeeTiyn: 150_00 }; // 3.7: the operator's actual bank cost is kept
  const [a, b] = await Promise.all([
    activities().payRefund(refundId, decision, staffId, AT),
    activities().payRefund(refundId, decision, staffId, AT),
  ]);

  expect(a).toMatchObject({ status: 'paid', paidTiyn: BALANCE, feeTiyn: 150_00, clientFeesTiyn: 0 });
  expect(b).toEqual(a);
  expect(await payouts(client.id)).toHaveLength(1);
  expect((await clientBalance(database.db, client.id)).available).toBe(0);
});

test('a crash between the ledger posting and the status leaves neither: the retry pays the whole amount once', async () => {
  const { client, refundId, staffId } = await pendingRefund();
  // The refund's row cannot be marked paid: the crash comes after the payout was posted in the same transaction.
  const recover = await failing('refund_requests', 'BEFORE UPDATE');
  try {
    await expect(activities().payRefund(refundId, {}, staffId, AT)).rejects.toThrow(/crash/);
  } finally {
    await recover();
  }
  expect(await payouts(client.id)).toHaveLength(0);
  expect((await clientBalance(database.db, client.id)).available).toBe(BALANCE);
  expect((await database.db('refund_requests').where({ id: refundId }).first()).status).toBe('pending');

  const paid = await activities().payRefund(refundId, {}, staffId, AT);
  expect(paid).toMatchObject({ status: 'paid', paidTiyn: BALANCE });
  expect(await payouts(client.id)).toHaveLength(1);
});

test('a crash after the commit, before the answer: the retry answers what was paid, not an amount from the lowered balance', async () => {
  const { client, refundId, staffId } = await pendingRefund();
  // The notice to the client is recorded after the payment commits: failing there is a crash after the commit.
  const recover = await failing('notices', 'BEFORE INSERT');
  try {
    await expect(activities().payRefund(refundId, {}, staffId, AT)).rejects.toThrow(/crash/);
  } finally {
    await recover();
  }
  expect((await database.db('refund_requests').where({ id: refundId }).first()).status).toBe('paid');
  expect((await clientBalance(database.db, client.id)).available).toBe(0);

  const paid = await activities().payRefund(refundId, {}, staffId, AT);
  expect(paid).toMatchObject({ status: 'paid', paidTiyn: BALANCE, feeTiyn: 0 });
  expect(await payouts(client.id)).toHaveLength(1);
  expect(await database.db('notices').where({ client_id: client.id, topic: `refund:${refundId}` })).toHaveLength(1);
});

test('a payout an older attempt left booked with the refund still pending: the retry marks it paid with that entry and its amount', async () => {
  const { client, refundId, staffId } = await pendingRefund();
  // What the payout and the status as two steps left behind on a crash between them.
  const { transaction } = await refundPayout(database.db, {
    idempotencyKey: `refund:${refundId}`,
    clientId: client.id,
    amountTiyn: BALANCE,
    bankFeeTiyn: 0,
    refundRef: refundId,
    clause: '6.11',
    createdBy: staffId,
  });

  const paid = await activities().payRefund(refundId, {}, staffId, AT);
  expect(paid).toMatchObject({ status: 'paid', paidTiyn: BALANCE, feeTiyn: 0 });
  expect(await payouts(client.id)).toEqual([{ id: transaction.id }]);
  expect(await database.db('refund_requests').where({ id: refundId }).first()).toMatchObject({
    status: 'paid',
    paid_amount: BALANCE,
    ledger_transaction_id: transaction.id,
  });
});
