import { createDb, Db } from '../../db/connection';
import {
  assignPayment,
  capture,
  checkLedger,
  clientBalance,
  clientStatement,
  compensationCredit,
  correction,
  deposit,
  holdUnassignedPayment,
  LedgerError,
  refundPayout,
  release,
  reserve,
  returnPayment,
} from '../../db/ledger';
import { priceOfCodes } from '../../lib/money';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertClient, insertStaff } from '../helpers/fixtures';

// The ledger on a real PostgreSQL: its rules are the database's, so they are tested there.
const DAY = '2026-11-26';
const PER_CODE = priceOfCodes(1, { pricePerCodeTiyn: 268, vatRateBp: 1600 }).total; // 311

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.drop());

const key = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;

async function fundedClient(amount: number) {
  const client = await insertClient(db);
  if (amount > 0)
    await deposit(db, { idempotencyKey: key('dep'), clientId: client.id, amountTiyn: amount, paymentId: key('pay') });
  return client.id as string;
}

async function expectLedgerError(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toMatchObject({ name: 'LedgerError', code });
}

test('reserve at emission, charge in parts at download, release the rest: exact to the tiyn', async () => {
  const clientId = await fundedClient(10_000);
  const orderRef = key('order');
  const reserved = await reserve(db, {
    idempotencyKey: `reserve:${orderRef}`,
    clientId,
    orderRef,
    codes: 7,
    priceDate: DAY,
  });
  expect(reserved.reservation).toMatchObject({
    codes: 7,
    pricePerCodeTiyn: 268,
    vatRateBp: 1600,
    amount: priceOfCodes(7, { pricePerCodeTiyn: 268, vatRateBp: 1600 }).total,
  });
  const amount = reserved.reservation.amount; // 1876 net + 300.16 → 300 VAT = 2176
  expect(amount).toBe(2176);
  expect(await clientBalance(db, clientId)).toMatchObject({ available: 10_000 - amount, reserved: amount });

  const first = await capture(db, { idempotencyKey: 'dl-1', orderRef, codes: 2, downloadRef: 'dl-1' });
  const second = await capture(db, { idempotencyKey: 'dl-2', orderRef, codes: 3, downloadRef: 'dl-2' });
  expect(first.transaction.entries.map((e) => [e.kind, e.amount])).toEqual(
    expect.arrayContaining([
      ['client_reserved', -622],
      ['revenue', 536],
      ['vat_payable', 86],
    ]),
  );
  const released = await release(db, { idempotencyKey: `release:${orderRef}`, orderRef });
  const charged =
    first.reservation.capturedAmount + (second.reservation.capturedAmount - first.reservation.capturedAmount);
  expect(charged + released.reservation.releasedAmount).toBe(amount);
  expect(released.reservation).toMatchObject({
    status: 'closed',
    capturedCodes: 5,
    capturedAmount: priceOfCodes(5, { pricePerCodeTiyn: 268, vatRateBp: 1600 }).total,
  });
  expect(await clientBalance(db, clientId)).toMatchObject({
    available: 10_000 - charged,
    reserved: 0,
    totalPaidIn: 10_000,
    totalCharged: charged,
  });

  // A closed reservation charges nothing more; releasing again answers with the same state.
  await expectLedgerError(
    capture(db, { idempotencyKey: 'dl-3', orderRef, codes: 1, downloadRef: 'dl-3' }),
    'RESERVATION_CLOSED',
  );
  const again = await release(db, { idempotencyKey: 'another-key', orderRef });
  expect(again).toMatchObject({ replayed: true, reservation: released.reservation });
  expect(again.transaction?.id).toBe(released.transaction?.id);
});

describe('6.4: the service is rendered at download, so the VAT rate in force on the download date applies', () => {
  // 12% until 31.12.2025, 16% from 01.01.2026 (the bundled rates); 2.68 ₸ a code net.
  const entries = (booked: { transaction: { entries: { kind: string; amount: number }[] } }) =>
    booked.transaction.entries.map((e) => [e.kind, e.amount]);

  test('codes reserved at 12% in December 2025 and downloaded in January 2026 are charged 16% VAT on the same net price', async () => {
    const clientId = await fundedClient(10_000);
    const orderRef = key('order');
    const { reservation } = await reserve(db, {
      idempotencyKey: `reserve:${orderRef}`,
      clientId,
      orderRef,
      codes: 7,
      priceDate: '2025-12-30',
    });
    expect(reservation).toMatchObject({ vatRateBp: 1200, amount: 1876 + 225 });
    const before = await capture(db, {
      idempotencyKey: key('dl'),
      orderRef,
      codes: 2,
      downloadRef: key('d'),
      priceDate: '2025-12-31',
    });
    expect(entries(before)).toEqual(
      expect.arrayContaining([
        ['revenue', 536],
        ['vat_payable', 64],
      ]),
    );
    const after = await capture(db, {
      idempotencyKey: key('dl'),
      orderRef,
      codes: 3,
      downloadRef: key('d'),
      priceDate: '2026-01-05',
    });
    // 3 × 2.68 = 8.04 net; 16% of it = 1.2864 → 1.29 (not 12% → 0.96).
    expect(entries(after)).toEqual(
      expect.arrayContaining([
        ['client_reserved', -933],
        ['revenue', 804],
        ['vat_payable', 129],
      ]),
    );
    const released = await release(db, { idempotencyKey: `release:${orderRef}`, orderRef });
    expect(released.reservation.releasedAmount).toBe(2101 - 600 - 933);
    expect(await clientBalance(db, clientId)).toMatchObject({ available: 10_000 - 600 - 933, reserved: 0 });
  });

  test('a reservation that falls short after the rise takes the difference from the available balance', async () => {
    const clientId = await fundedClient(10_000);
    const orderRef = key('order');
    await reserve(db, { idempotencyKey: `reserve:${orderRef}`, clientId, orderRef, codes: 2, priceDate: '2025-12-30' }); // 536 + 64 = 600
    const charged = await capture(db, {
      idempotencyKey: key('dl'),
      orderRef,
      codes: 2,
      downloadRef: key('d'),
      priceDate: '2026-01-05',
    }); // 536 + 86 = 622
    expect(entries(charged)).toEqual(
      expect.arrayContaining([
        ['client_available', -22],
        ['client_reserved', -600],
        ['revenue', 536],
        ['vat_payable', 86],
      ]),
    );
    expect(charged.reservation).toMatchObject({ amount: 622, capturedAmount: 622 });
    expect(await clientBalance(db, clientId)).toMatchObject({ available: 10_000 - 622, reserved: 0 });
  });

  test('without that difference on the balance the download is refused with the reason, and nothing is booked', async () => {
    const clientId = await fundedClient(600);
    const orderRef = key('order');
    await reserve(db, { idempotencyKey: `reserve:${orderRef}`, clientId, orderRef, codes: 2, priceDate: '2025-12-30' });
    const refused = capture(db, {
      idempotencyKey: key('dl'),
      orderRef,
      codes: 2,
      downloadRef: key('d'),
      priceDate: '2026-01-05',
    });
    await expect(refused).rejects.toMatchObject({
      name: 'LedgerError',
      code: 'INSUFFICIENT_FUNDS',
      message: expect.stringContaining('16%, not the 12% reserved at: these codes cost 0,22 ₸ more'),
    });
    expect(await clientBalance(db, clientId)).toMatchObject({ available: 0, reserved: 600 });
    expect(await db('reservations').where({ order_ref: orderRef }).first()).toMatchObject({
      captured_codes: 0,
      amount: 600,
    });
  });
});

test('a short balance refuses the reservation and books nothing (3.2)', async () => {
  const clientId = await fundedClient(PER_CODE * 3 - 1);
  const orderRef = key('order');
  await expectLedgerError(
    reserve(db, { idempotencyKey: `reserve:${orderRef}`, clientId, orderRef, codes: 3, priceDate: DAY }),
    'INSUFFICIENT_FUNDS',
  );
  expect(await db('reservations').where({ order_ref: orderRef })).toHaveLength(0);
  expect(await db('ledger_transactions').where({ idempotency_key: `reserve:${orderRef}` })).toHaveLength(0);
  expect(await clientBalance(db, clientId)).toMatchObject({ available: PER_CODE * 3 - 1, reserved: 0 });
  // The same key may be used again once the money is there.
  await deposit(db, { idempotencyKey: key('dep'), clientId, amountTiyn: 1, paymentId: key('pay') });
  const ok = await reserve(db, { idempotencyKey: `reserve:${orderRef}`, clientId, orderRef, codes: 3, priceDate: DAY });
  expect(ok.reservation.amount).toBe(PER_CODE * 3);
});

test('capturing more codes than reserved is refused', async () => {
  const clientId = await fundedClient(PER_CODE * 2);
  const orderRef = key('order');
  await reserve(db, { idempotencyKey: `reserve:${orderRef}`, clientId, orderRef, codes: 2, priceDate: DAY });
  await expectLedgerError(
    capture(db, { idempotencyKey: key('dl'), orderRef, codes: 3, downloadRef: 'x' }),
    'RESERVATION_EXCEEDED',
  );
  await expectLedgerError(
    capture(db, { idempotencyKey: key('dl'), orderRef: 'no-such-order', codes: 1, downloadRef: 'x' }),
    'RESERVATION_NOT_FOUND',
  );
});

test('concurrency: of many parallel reservations on one account exactly the affordable ones succeed', async () => {
  const affordable = 17;
  const clientId = await fundedClient(PER_CODE * affordable + PER_CODE - 1);
  const wide = createDb(database.url, { poolMax: 20 });
  try {
    const attempts = Array.from({ length: 60 }, (_, i) =>
      reserve(wide, {
        idempotencyKey: `reserve:c-${clientId}-${i}`,
        clientId,
        orderRef: `c-${clientId}-${i}`,
        codes: 1,
        priceDate: DAY,
      }).then(
        () => 'ok',
        (error) => (error instanceof LedgerError ? error.code : Promise.reject(error)),
      ),
    );
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(affordable);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_FUNDS')).toHaveLength(60 - affordable);
  } finally {
    await wide.destroy();
  }
  expect(await clientBalance(db, clientId)).toMatchObject({ available: PER_CODE - 1, reserved: PER_CODE * affordable });
  expect((await checkLedger(db)).problems).toEqual([]);
});

test('concurrency: the same request sent many times at once takes effect once', async () => {
  const clientId = await fundedClient(0);
  const wide = createDb(database.url, { poolMax: 20 });
  try {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        deposit(wide, { idempotencyKey: 'twin-deposit', clientId, amountTiyn: 5000, paymentId: 'twin' }),
      ),
    );
    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
  } finally {
    await wide.destroy();
  }
  expect((await clientBalance(db, clientId)).available).toBe(5000);
});

describe('idempotency of every primitive: same key → one effect and the same answer; other content → conflict', () => {
  let clientId: string;
  let staffId: string;
  beforeAll(async () => {
    clientId = await fundedClient(1_000_000);
    staffId = (await insertStaff(db, ['accountant'])).id;
  });

  const cases: [string, () => Promise<{ transaction: { id: number } | null }>, () => Promise<unknown>][] = [
    [
      'deposit',
      () => deposit(db, { idempotencyKey: 'k-deposit', clientId, amountTiyn: 100, paymentId: 'p1' }),
      () => deposit(db, { idempotencyKey: 'k-deposit', clientId, amountTiyn: 101, paymentId: 'p1' }),
    ],
    [
      'reserve',
      () =>
        reserve(db, { idempotencyKey: 'reserve:k-order', clientId, orderRef: 'k-order', codes: 10, priceDate: DAY }),
      () =>
        reserve(db, { idempotencyKey: 'reserve:k-order', clientId, orderRef: 'k-order', codes: 11, priceDate: DAY }),
    ],
    [
      'capture',
      () => capture(db, { idempotencyKey: 'k-capture', orderRef: 'k-order', codes: 4, downloadRef: 'd1' }),
      () => capture(db, { idempotencyKey: 'k-capture', orderRef: 'k-order', codes: 5, downloadRef: 'd1' }),
    ],
    [
      'refund payout',
      () =>
        refundPayout(db, { idempotencyKey: 'k-refund', clientId, amountTiyn: 1000, bankFeeTiyn: 150, refundRef: 'r1' }),
      () =>
        refundPayout(db, { idempotencyKey: 'k-refund', clientId, amountTiyn: 1000, bankFeeTiyn: 200, refundRef: 'r1' }),
    ],
    [
      'compensation',
      () =>
        compensationCredit(db, {
          idempotencyKey: 'k-comp',
          clientId,
          amountTiyn: 700,
          clause: '7.2',
          reference: { type: 'defect_act', id: 'da1' },
          memo: 'Дефектный акт',
        }),
      () =>
        compensationCredit(db, {
          idempotencyKey: 'k-comp',
          clientId,
          amountTiyn: 701,
          clause: '7.2',
          reference: { type: 'defect_act', id: 'da1' },
          memo: 'Дефектный акт',
        }),
    ],
    [
      'correction',
      () =>
        correction(db, {
          idempotencyKey: 'k-corr',
          clientId,
          amountTiyn: -300,
          reason: 'ошибка зачисления',
          createdBy: staffId,
        }),
      () =>
        correction(db, {
          idempotencyKey: 'k-corr',
          clientId,
          amountTiyn: 300,
          reason: 'ошибка зачисления',
          createdBy: staffId,
        }),
    ],
  ];

  test.each(cases)('%s', async (_name, once, other) => {
    const before = await db('ledger_entries').count<{ count: number }[]>('* as count');
    const first = await once();
    const afterFirst = await clientBalance(db, clientId);
    const entries = await db('ledger_entries').count<{ count: number }[]>('* as count');
    const second = await once();
    expect(second).toEqual({ ...first, replayed: true });
    expect(await clientBalance(db, clientId)).toEqual(afterFirst);
    expect(await db('ledger_entries').count('* as count')).toEqual(entries);
    expect(Number(entries[0].count)).toBeGreaterThan(Number(before[0].count));
    await expectLedgerError(other(), 'IDEMPOTENCY_CONFLICT');
  });

  test('release (state-idempotent: a closed reservation answers with its release)', async () => {
    const first = await release(db, { idempotencyKey: 'release:k-order', orderRef: 'k-order' });
    expect(first.replayed).toBe(false);
    const second = await release(db, { idempotencyKey: 'release:k-order', orderRef: 'k-order' });
    expect(second).toEqual({ ...first, replayed: true });
  });

  test('payments held, assigned and returned', async () => {
    const held = await holdUnassignedPayment(db, { idempotencyKey: 'k-hold', amountTiyn: 900, paymentId: 'u1' });
    expect(await holdUnassignedPayment(db, { idempotencyKey: 'k-hold', amountTiyn: 900, paymentId: 'u1' })).toEqual({
      ...held,
      replayed: true,
    });
    const assigned = await assignPayment(db, {
      idempotencyKey: 'k-assign',
      clientId,
      amountTiyn: 900,
      paymentId: 'u1',
    });
    expect(await assignPayment(db, { idempotencyKey: 'k-assign', clientId, amountTiyn: 900, paymentId: 'u1' })).toEqual(
      { ...assigned, replayed: true },
    );
    await expectLedgerError(
      assignPayment(db, { idempotencyKey: 'k-assign', clientId, amountTiyn: 901, paymentId: 'u1' }),
      'IDEMPOTENCY_CONFLICT',
    );
    await holdUnassignedPayment(db, { idempotencyKey: 'k-hold-2', amountTiyn: 50, paymentId: 'u2' });
    const returned = await returnPayment(db, {
      idempotencyKey: 'k-return',
      amountTiyn: 50,
      paymentId: 'u2',
      memo: 'не наш клиент',
    });
    expect(
      await returnPayment(db, { idempotencyKey: 'k-return', amountTiyn: 50, paymentId: 'u2', memo: 'не наш клиент' }),
    ).toEqual({ ...returned, replayed: true });
  });

  test('the statement shows every operation with its changes; pages do not overlap', async () => {
    const all = await clientStatement(db, clientId, { limit: 100 });
    expect(all.lines.map((l) => l.kind)).toEqual([
      'payment_assign',
      'release',
      'correction',
      'compensation',
      'refund_payout',
      'capture',
      'reserve',
      'deposit',
      'deposit',
    ]);
    const refund = all.lines.find((l) => l.kind === 'refund_payout')!;
    expect(refund).toMatchObject({
      availableChange: -1000,
      reservedChange: 0,
      reference: { type: 'refund', id: 'r1' },
    });
    const first = await clientStatement(db, clientId, { limit: 4 });
    const second = await clientStatement(db, clientId, { limit: 4, before: first.next! });
    expect([...first.lines, ...second.lines].map((l) => l.transactionId)).toEqual(
      all.lines.slice(0, 8).map((l) => l.transactionId),
    );
    const balance = await clientBalance(db, clientId);
    expect(balance).toMatchObject({
      reserved: 0,
      totalRefunded: 1000,
      totalCompensated: 700,
      totalCorrections: -300,
      totalPaidIn: 1_000_000 + 100 + 900,
    });
    expect(balance.available).toBe(
      balance.totalPaidIn -
        balance.totalCharged -
        balance.totalRefunded +
        balance.totalCompensated +
        balance.totalCorrections,
    );
  });
});

describe('the database enforces the rules, whatever the code does', () => {
  test('a negative balance, an unbalanced transaction, an edit or a deletion is refused', async () => {
    const clientId = await fundedClient(500);
    const account = await db('ledger_accounts').where({ client_id: clientId, kind: 'client_available' }).first();
    const bank = await db('ledger_accounts').where({ code: 'operator:operator_bank' }).first();
    const insertTx = async (trx: Db) =>
      (
        await trx('ledger_transactions')
          .insert({ idempotency_key: key('raw'), request_hash: 'x'.repeat(64), kind: 'correction', clause: 'test' })
          .returning('id')
      )[0].id;

    await expect(
      db.transaction(async (trx) => {
        const id = await insertTx(trx);
        await trx('ledger_entries').insert([
          { transaction_id: id, account_id: account.id, amount: -501 },
          { transaction_id: id, account_id: bank.id, amount: 501 },
        ]);
      }),
    ).rejects.toMatchObject({ constraint: 'ledger_accounts_non_negative' });

    await expect(
      db.transaction(async (trx) => {
        const id = await insertTx(trx);
        await trx('ledger_entries').insert({ transaction_id: id, account_id: account.id, amount: 10 });
      }),
    ).rejects.toThrow(/does not balance/);

    await expect(db('ledger_entries').where({ account_id: account.id }).update({ amount: 1_000_000 })).rejects.toThrow(
      /immutable/,
    );
    await expect(db('ledger_entries').where({ account_id: account.id }).delete()).rejects.toThrow(/immutable/);
    await expect(db('ledger_transactions').where({ client_id: clientId }).delete()).rejects.toThrow(/immutable/);
    await expect(db.raw('TRUNCATE ledger_entries CASCADE')).rejects.toThrow(/immutable/);
    await expect(db('ledger_accounts').where({ id: account.id }).update({ balance: 1_000_000 })).rejects.toThrow(
      /only by booking/,
    );
    expect((await clientBalance(db, clientId)).available).toBe(500);
    // The totals per kind of transaction (what the account shows as paid in, charged…) move only with entries too.
    await expect(
      db('ledger_account_totals').where({ account_id: account.id }).update({ total: 1_000_000 }),
    ).rejects.toThrow(/only by booking/);
    await expect(
      db('ledger_account_totals').insert({ account_id: account.id, tx_kind: 'compensation', total: 1 }),
    ).rejects.toThrow(/only by booking/);
    await expect(db('ledger_account_totals').where({ account_id: account.id }).delete()).rejects.toThrow(
      /only by booking/,
    );
    await expect(db.raw('TRUNCATE ledger_account_totals')).rejects.toThrow(/immutable/);
    expect(await clientBalance(db, clientId)).toMatchObject({ available: 500, totalPaidIn: 500 });
  });

  test('the check recomputes balances from entries and reports drift', async () => {
    expect((await checkLedger(db)).problems).toEqual([]);
    const clientId = await fundedClient(1000);
    // Only a superuser bypassing the guard could do this; the check must catch it.
    await db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE ledger_accounts DISABLE TRIGGER ledger_accounts_guard');
      await trx('ledger_accounts').where({ client_id: clientId, kind: 'client_available' }).update({ balance: 1001 });
      await trx.raw('ALTER TABLE ledger_accounts ENABLE TRIGGER ledger_accounts_guard');
    });
    const report = await checkLedger(db);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'balance_drift',
        message: expect.stringContaining('balance 1001, entries sum to 1000'),
      }),
    ]);
    expect(report.accountsChecked).toBeGreaterThan(0);
  });

  test('the check recomputes the totals per kind of transaction from entries and reports drift', async () => {
    const clientId = await fundedClient(700);
    const account = await db('ledger_accounts').where({ client_id: clientId, kind: 'client_available' }).first();
    await db.transaction(async (trx) => {
      await trx.raw('ALTER TABLE ledger_account_totals DISABLE TRIGGER ledger_account_totals_guard');
      await trx('ledger_account_totals').where({ account_id: account.id, tx_kind: 'deposit' }).update({ total: 699 });
      await trx.raw('ALTER TABLE ledger_account_totals ENABLE TRIGGER ledger_account_totals_guard');
    });
    const drift = (await checkLedger(db)).problems.filter((p) => p.kind === 'total_drift');
    expect(drift).toEqual([
      expect.objectContaining({ message: expect.stringContaining('deposit total kept 699, entries sum to 700') }),
    ]);
  });
});
