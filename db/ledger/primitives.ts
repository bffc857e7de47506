import type { Knex } from 'knex';
import { Amounts, amountsForNet, chargeForDelivery, formatRate, formatTenge, priceOfCodes } from '../../lib/money';
import { NoPriceError, priceOn, vatRateOn } from '../prices';
import {
  assertPositiveTiyn,
  BookedTransaction,
  BookingRequest,
  bookIn,
  LedgerError,
  Posting,
  readTransaction,
} from './book';

/**
 * The movements of the personal account. Each is one balanced, idempotent transaction;
 * each takes a database or a transaction (to be part of a larger one, e.g. a payment import).
 */

type Booked = { transaction: BookedTransaction; replayed: boolean };

export const inTransaction = <T>(db: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
  (db as Knex.Transaction).isTransaction ? fn(db as Knex.Transaction) : db.transaction(fn);

const available = (client: string) => ({ client, kind: 'client_available' as const });
const reserved = (client: string) => ({ client, kind: 'client_reserved' as const });

/** A two-legged movement: `amount` leaves `from` (debit) and reaches `to` (credit). */
function transfer(
  db: Knex,
  request: BookingRequest,
  from: Posting['account'],
  to: Posting['account'],
  amount: number,
): Promise<Booked> {
  return inTransaction(db, (trx) =>
    bookIn(trx, request, () => [
      { account: from, amount: -amount },
      { account: to, amount },
    ]),
  );
}

const payment = (id: string) => ({ type: 'payment', id });

/** A top-up credited to the personal account (3.4, 6.2: when the money reaches the operator). */
export function deposit(
  db: Knex,
  p: { idempotencyKey: string; clientId: string; amountTiyn: number; paymentId: string; createdBy?: string },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  const request = { clientId: p.clientId, amount: p.amountTiyn, paymentId: p.paymentId };
  return transfer(
    db,
    { ...p, kind: 'deposit', clause: '6.2', reference: payment(p.paymentId), request },
    { operator: 'operator_bank' },
    available(p.clientId),
    p.amountTiyn,
  );
}

/** A payment that names no personal account waits in the unassigned queue (3.4). */
export function holdUnassignedPayment(
  db: Knex,
  p: { idempotencyKey: string; amountTiyn: number; paymentId: string },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  const request = { amount: p.amountTiyn, paymentId: p.paymentId };
  return transfer(
    db,
    { ...p, kind: 'payment_unassigned', clause: '3.4', reference: payment(p.paymentId), request },
    { operator: 'operator_bank' },
    { operator: 'unassigned_payments' },
    p.amountTiyn,
  );
}

/** An accountant assigns an unassigned payment to a client's personal account. */
export function assignPayment(
  db: Knex,
  p: { idempotencyKey: string; clientId: string; amountTiyn: number; paymentId: string; createdBy?: string },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  const request = { clientId: p.clientId, amount: p.amountTiyn, paymentId: p.paymentId };
  return transfer(
    db,
    { ...p, kind: 'payment_assign', clause: '3.4', reference: payment(p.paymentId), request },
    { operator: 'unassigned_payments' },
    available(p.clientId),
    p.amountTiyn,
  );
}

/** An unassigned payment sent back to the payer. */
export function returnPayment(
  db: Knex,
  p: { idempotencyKey: string; amountTiyn: number; paymentId: string; memo: string; createdBy?: string },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  const request = { amount: p.amountTiyn, paymentId: p.paymentId };
  return transfer(
    db,
    { ...p, kind: 'payment_return', clause: '3.4', reference: payment(p.paymentId), request },
    { operator: 'unassigned_payments' },
    { operator: 'operator_bank' },
    p.amountTiyn,
  );
}

export interface Reservation {
  id: string;
  clientId: string;
  orderRef: string;
  codes: number;
  pricePerCodeTiyn: number;
  vatRateBp: number;
  amount: number;
  capturedCodes: number;
  capturedAmount: number;
  releasedAmount: number;
  status: 'open' | 'closed';
}

const toReservation = (r: any): Reservation => ({
  id: r.id,
  clientId: r.client_id,
  orderRef: r.order_ref,
  codes: r.codes,
  pricePerCodeTiyn: r.price_per_code_tiyn,
  vatRateBp: r.vat_rate_bp,
  amount: r.amount,
  capturedCodes: r.captured_codes,
  capturedAmount: r.captured_net + r.captured_vat,
  releasedAmount: r.released_amount,
  status: r.status,
});

/**
 * At emission (3.2, 6.4): the price of the ordered codes at the tariff and VAT rate in force
 * on `priceDate` moves from available to reserved; refused with INSUFFICIENT_FUNDS (nothing
 * booked) when the available balance is short. The reservation keeps that price for its codes.
 */
export function reserve(
  db: Knex,
  p: { idempotencyKey: string; clientId: string; orderRef: string; codes: number; priceDate: string },
): Promise<Booked & { reservation: Reservation }> {
  if (!Number.isSafeInteger(p.codes) || p.codes <= 0)
    throw new LedgerError('INVALID_AMOUNT', `codes must be a positive whole number, got ${p.codes}`);
  return inTransaction(db, async (trx) => {
    const existing = await trx('reservations').where({ order_ref: p.orderRef }).first();
    if (existing) {
      const original = await readTransaction(trx, existing.reserve_transaction_id);
      if (original?.idempotencyKey !== p.idempotencyKey) {
        throw new LedgerError('IDEMPOTENCY_CONFLICT', `Order ${p.orderRef} already has a reservation`, {
          orderRef: p.orderRef,
        });
      }
    }
    let price;
    try {
      price = await priceOn(trx, p.priceDate);
    } catch (error) {
      if (error instanceof NoPriceError) throw new LedgerError('NO_PRICE', error.message, { date: p.priceDate });
      throw error;
    }
    const amount = priceOfCodes(p.codes, price).total;
    const booked = await bookIn(
      trx,
      {
        idempotencyKey: p.idempotencyKey,
        kind: 'reserve',
        clientId: p.clientId,
        clause: '3.2',
        reference: { type: 'order', id: p.orderRef },
        request: { clientId: p.clientId, orderRef: p.orderRef, codes: p.codes },
      },
      async (transactionId) => {
        await trx('reservations').insert({
          client_id: p.clientId,
          order_ref: p.orderRef,
          codes: p.codes,
          price_per_code_tiyn: price.pricePerCodeTiyn,
          vat_rate_bp: price.vatRateBp,
          amount,
          reserve_transaction_id: transactionId,
        });
        return [
          { account: available(p.clientId), amount: -amount },
          { account: reserved(p.clientId), amount },
        ];
      },
    );
    const reservation = toReservation(await trx('reservations').where({ order_ref: p.orderRef }).first());
    return { ...booked, reservation };
  });
}

async function lockReservation(trx: Knex.Transaction, orderRef: string) {
  const row = await trx('reservations').where({ order_ref: orderRef }).forUpdate().first();
  if (!row) throw new LedgerError('RESERVATION_NOT_FOUND', `Order ${orderRef} has no reservation`, { orderRef });
  return row;
}

/**
 * At download (3.2, 6.4, 1.1.14): the price of codes delivered for the first time moves from
 * the reservation to the operator, net to revenue and VAT to VAT payable. The service is rendered
 * on the download's `priceDate` (6.4), so the VAT rate in force that day applies to the net price
 * reserved; what the reservation lacks after a rise is taken from the available balance, and
 * without it the download is refused (INSUFFICIENT_FUNDS, nothing booked).
 */
export function capture(
  db: Knex,
  p: { idempotencyKey: string; orderRef: string; codes: number; downloadRef: string; priceDate?: string },
): Promise<Booked & { reservation: Reservation; vatRateBp: number }> {
  if (!Number.isSafeInteger(p.codes) || p.codes <= 0)
    throw new LedgerError('INVALID_AMOUNT', `codes must be a positive whole number, got ${p.codes}`);
  return inTransaction(db, async (trx) => {
    const row = await lockReservation(trx, p.orderRef);
    const vatRateBp = p.priceDate ? ((await vatRateOn(trx, p.priceDate)) ?? row.vat_rate_bp) : row.vat_rate_bp;
    const booked = await bookIn(
      trx,
      {
        idempotencyKey: p.idempotencyKey,
        kind: 'capture',
        clientId: row.client_id,
        clause: '6.4',
        reference: { type: 'download', id: p.downloadRef },
        request: { orderRef: p.orderRef, codes: p.codes, downloadRef: p.downloadRef },
      },
      async () => {
        if (row.status !== 'open')
          throw new LedgerError('RESERVATION_CLOSED', `The reservation of order ${p.orderRef} is closed`, {
            orderRef: p.orderRef,
          });
        if (row.captured_codes + p.codes > row.codes) {
          throw new LedgerError(
            'RESERVATION_EXCEEDED',
            `Order ${p.orderRef} reserved ${row.codes} codes; ${row.captured_codes} are charged, ${p.codes} more do not fit`,
            {
              orderRef: p.orderRef,
              reservedCodes: row.codes,
              capturedCodes: row.captured_codes,
            },
          );
        }
        const charge = chargeAt(row, p.codes, vatRateBp);
        const left = row.amount - row.captured_net - row.captured_vat - row.released_amount;
        const topUp = Math.max(0, charge.total - left);
        if (topUp > 0)
          await assertAvailable(
            trx,
            row.client_id,
            topUp,
            `the VAT rate on ${p.priceDate} is ${formatRate(vatRateBp)}, not the ${formatRate(row.vat_rate_bp)} reserved at: these codes cost ${formatTenge(topUp)} ₸ more`,
          );
        await trx('reservations')
          .where({ id: row.id })
          .update({
            amount: row.amount + topUp,
            captured_codes: row.captured_codes + p.codes,
            captured_net: row.captured_net + charge.net,
            captured_vat: row.captured_vat + charge.vat,
          });
        return [
          ...(topUp > 0 ? [{ account: available(row.client_id), amount: -topUp }] : []),
          { account: reserved(row.client_id), amount: -(charge.total - topUp) },
          { account: { operator: 'revenue' }, amount: charge.net },
          { account: { operator: 'vat_payable' }, amount: charge.vat },
        ].filter((posting) => posting.amount !== 0) as Posting[];
      },
    );
    return {
      ...booked,
      reservation: toReservation(await trx('reservations').where({ id: row.id }).first()),
      vatRateBp,
    };
  });
}

/** The charge for `codes` more codes of a reservation at `vatRateBp`: its own rate charges cumulatively (never a tiyn over the reserved price). */
function chargeAt(row: Record<string, any>, codes: number, vatRateBp: number): Amounts {
  if (vatRateBp === row.vat_rate_bp)
    return chargeForDelivery({ pricePerCodeTiyn: row.price_per_code_tiyn, vatRateBp }, row.captured_codes, codes);
  return amountsForNet(codes * row.price_per_code_tiyn, vatRateBp);
}

async function assertAvailable(trx: Knex, clientId: string, amount: number, why: string): Promise<void> {
  const account = await trx('ledger_accounts')
    .where({ client_id: clientId, kind: 'client_available' })
    .first('balance');
  const balance = Number(account?.balance ?? 0);
  if (balance < amount) {
    throw new LedgerError(
      'INSUFFICIENT_FUNDS',
      `${why}, and the available balance is ${formatTenge(balance)} ₸ — top it up (4.3.7)`,
      { neededTiyn: amount, availableTiyn: balance },
    );
  }
}

/**
 * When an order closes (all codes delivered, the buffer closed or expired): what is still
 * reserved goes back to available. A closed reservation answers with its final state.
 */
export function release(
  db: Knex,
  p: { idempotencyKey: string; orderRef: string },
): Promise<{ transaction: BookedTransaction | null; replayed: boolean; reservation: Reservation }> {
  return inTransaction(db, async (trx) => {
    const row = await lockReservation(trx, p.orderRef);
    if (row.status === 'closed') {
      const tx = await trx('ledger_transactions')
        .where({ kind: 'release', reference_type: 'order', reference_id: p.orderRef })
        .first('id');
      return {
        transaction: tx ? (await readTransaction(trx, tx.id))! : null,
        replayed: true,
        reservation: toReservation(row),
      };
    }
    const rest = row.amount - row.captured_net - row.captured_vat - row.released_amount;
    let transaction: BookedTransaction | null = null;
    if (rest > 0) {
      ({ transaction } = await bookIn(
        trx,
        {
          idempotencyKey: p.idempotencyKey,
          kind: 'release',
          clientId: row.client_id,
          clause: '3.2',
          reference: { type: 'order', id: p.orderRef },
          request: { orderRef: p.orderRef },
        },
        () => [
          { account: reserved(row.client_id), amount: -rest },
          { account: available(row.client_id), amount: rest },
        ],
      ));
    }
    await trx('reservations')
      .where({ id: row.id })
      .update({ released_amount: row.released_amount + rest, status: 'closed', closed_at: trx.fn.now() });
    return {
      transaction,
      replayed: false,
      reservation: toReservation(await trx('reservations').where({ id: row.id }).first()),
    };
  });
}

/**
 * A refund of unused money (6.11, 3.7) to the client's bank account: the amount leaves the
 * available balance; what the bank transfers is the amount minus the actual bank fee.
 */
export function refundPayout(
  db: Knex,
  p: {
    idempotencyKey: string;
    clientId: string;
    amountTiyn: number;
    bankFeeTiyn: number;
    refundRef: string;
    clause?: string;
    createdBy?: string;
  },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  if (!Number.isSafeInteger(p.bankFeeTiyn) || p.bankFeeTiyn < 0 || p.bankFeeTiyn > p.amountTiyn) {
    throw new LedgerError(
      'INVALID_AMOUNT',
      `the bank fee must be a whole number of tiyn between 0 and the amount, got ${p.bankFeeTiyn}`,
    );
  }
  return inTransaction(db, (trx) =>
    bookIn(
      trx,
      {
        idempotencyKey: p.idempotencyKey,
        kind: 'refund_payout',
        clientId: p.clientId,
        clause: p.clause ?? '6.11',
        reference: { type: 'refund', id: p.refundRef },
        createdBy: p.createdBy,
        request: { clientId: p.clientId, amount: p.amountTiyn, bankFee: p.bankFeeTiyn, refundRef: p.refundRef },
      },
      () => [
        { account: available(p.clientId), amount: -p.amountTiyn },
        { account: { operator: 'refunds_payable' }, amount: p.amountTiyn - p.bankFeeTiyn },
        { account: { operator: 'bank_fees' }, amount: p.bankFeeTiyn },
      ],
    ),
  );
}

/** A compensation credited to the personal account (7.2: defect act; 7.3: late service). */
export function compensationCredit(
  db: Knex,
  p: {
    idempotencyKey: string;
    clientId: string;
    amountTiyn: number;
    reference: { type: string; id: string };
    clause: '7.2' | '7.3';
    memo: string;
    createdBy?: string;
  },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  const request = {
    clientId: p.clientId,
    amount: p.amountTiyn,
    reference: p.reference,
    clause: p.clause,
    memo: p.memo,
  };
  return transfer(
    db,
    { ...p, kind: 'compensation', request },
    { operator: 'compensations' },
    available(p.clientId),
    p.amountTiyn,
  );
}

/**
 * Money the operator pays to the client's bank account from its own funds, the operator bearing
 * the bank's fee: a compensation of actual damage (7.3), or the client's bank fees reimbursed
 * with the refund when the client ended the contract for the operator's breach (4.1.2).
 */
export function compensationPayout(
  db: Knex,
  p: {
    idempotencyKey: string;
    clientId: string;
    amountTiyn: number;
    reference: { type: string; id: string };
    memo: string;
    createdBy?: string;
    clause?: '7.3' | '4.1.2';
  },
): Promise<Booked> {
  assertPositiveTiyn(p.amountTiyn);
  const request = { clientId: p.clientId, amount: p.amountTiyn, reference: p.reference, memo: p.memo };
  return transfer(
    db,
    { ...p, kind: 'compensation_payout', clause: p.clause ?? '7.3', request },
    { operator: 'compensations' },
    { operator: 'refunds_payable' },
    p.amountTiyn,
  );
}

/** A staff correction of the available balance, up (positive) or down (negative), with its reason (6.6.4). */
export function correction(
  db: Knex,
  p: { idempotencyKey: string; clientId: string; amountTiyn: number; reason: string; createdBy?: string },
): Promise<Booked> {
  if (!Number.isSafeInteger(p.amountTiyn) || p.amountTiyn === 0) {
    throw new LedgerError(
      'INVALID_AMOUNT',
      `a correction must be a non-zero whole number of tiyn, got ${p.amountTiyn}`,
    );
  }
  const request: BookingRequest = {
    idempotencyKey: p.idempotencyKey,
    kind: 'correction',
    clientId: p.clientId,
    clause: '6.6.4',
    memo: p.reason,
    createdBy: p.createdBy,
    reference: { type: 'correction', id: p.idempotencyKey },
    request: { clientId: p.clientId, amount: p.amountTiyn, reason: p.reason },
  };
  return transfer(db, request, { operator: 'corrections' }, available(p.clientId), p.amountTiyn);
}

/**
 * The VAT of an act is the rate applied to each line's net amount, rounded once per line; the
 * downloads were charged VAT rounded per reservation. The difference is booked here, so act,
 * VAT invoice, reconciliation act and ledger agree to the tiyn: a positive `amountTiyn` is VAT
 * the client owes on top (from its available balance; when that is short, the operator bears it
 * by a correction credited first), a negative one is returned to it.
 */
export function vatRounding(
  db: Knex,
  p: { idempotencyKey: string; clientId: string; amountTiyn: number; actRef: string },
): Promise<Booked> {
  if (!Number.isSafeInteger(p.amountTiyn) || p.amountTiyn === 0)
    throw new LedgerError(
      'INVALID_AMOUNT',
      `a rounding correction must be a non-zero whole number of tiyn, got ${p.amountTiyn}`,
    );
  const request: BookingRequest = {
    idempotencyKey: p.idempotencyKey,
    kind: 'vat_rounding',
    clientId: p.clientId,
    clause: '6.5',
    memo: 'Округление НДС по строкам акта',
    reference: { type: 'act', id: p.actRef },
    request: { clientId: p.clientId, amount: p.amountTiyn, actRef: p.actRef },
  };
  if (p.amountTiyn < 0) return transfer(db, request, { operator: 'vat_payable' }, available(p.clientId), -p.amountTiyn);
  return inTransaction(db, async (trx) => {
    const account = await trx('ledger_accounts')
      .where({ client_id: p.clientId, kind: 'client_available' })
      .forUpdate()
      .first('balance');
    if (Number(account?.balance ?? 0) < p.amountTiyn) {
      await correction(trx, {
        idempotencyKey: `${p.idempotencyKey}:borne`,
        clientId: p.clientId,
        amountTiyn: p.amountTiyn,
        reason: 'Округление НДС по строкам акта за счёт Оператора',
        createdBy: undefined,
      });
    }
    return transfer(trx, request, available(p.clientId), { operator: 'vat_payable' }, p.amountTiyn);
  });
}
