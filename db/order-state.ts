import type { Knex } from 'knex';
import { priceOfCodes } from '../lib/money';
import type { OrderOutcome } from '../lib/order-rules';
import { clientBalance, LedgerError, release, reserve } from './ledger';
import { priceOn } from './prices';

/**
 * The one writer of an order's state after its registration (`registerOrder` in db/orders.ts): its rows in
 * `orders` and `order_products` (buffers) move only through these transitions, one contract step each, each
 * safe to repeat (a transition already made changes nothing). The order's workflow decides when; these decide
 * whether. Activities only call them (activities/orders.ts); a download moves a buffer through `passCodes`.
 */

export type Reservation = { ok: true; reservedTiyn: number } | { ok: false; neededTiyn: number; availableTiyn: number };

/**
 * At emission (3.2): the balance is compared with the price of the ordered codes at the tariff and VAT rate in
 * force on `priceDate`; enough → reserved and the order APPROVED, short → nothing reserved (4.3.7: declined next).
 */
export async function reserveForEmission(
  db: Knex,
  p: { order: { id: string; client_id: string; total_codes: number }; priceDate: string; at: Date },
): Promise<Reservation> {
  const { order } = p;
  const orderId = order.id;
  await db('orders').where({ id: orderId, status: 'CREATED' }).update({ status: 'PENDING' });
  try {
    const booked = await reserve(db, {
      idempotencyKey: `reserve:${orderId}`,
      clientId: order.client_id,
      orderRef: orderId,
      codes: order.total_codes,
      priceDate: p.priceDate,
    });
    await db('orders')
      .where({ id: orderId })
      .whereIn('status', ['CREATED', 'PENDING'])
      .update({ status: 'APPROVED', reserved_amount: booked.reservation.amount, approved_at: p.at });
    return { ok: true, reservedTiyn: booked.reservation.amount };
  } catch (error) {
    if (!(error instanceof LedgerError) || error.code !== 'INSUFFICIENT_FUNDS') throw error;
    const price = await priceOn(db, p.priceDate);
    return {
      ok: false,
      neededTiyn: priceOfCodes(order.total_codes, price).total,
      availableTiyn: (await clientBalance(db, order.client_id)).available,
    };
  }
}

/** Declined before emission (4.3.7): the order and every buffer, with the reason. */
export async function declineOrder(db: Knex, p: { orderId: string; reason: string; at: Date }): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('orders')
      .where({ id: p.orderId })
      .whereIn('status', ['CREATED', 'PENDING'])
      .update({ status: 'DECLINED', decline_reason: p.reason, closed_at: p.at });
    await trx('order_products')
      .where({ order_id: p.orderId })
      .update({ status: 'REJECTED', rejection_reason: `Order declined: ${p.reason}` });
  });
}

/** A chunk of a buffer's codes emitted: the buffer's count follows its codes (the progress the station and the cabinet show). */
export async function recordEmitted(db: Knex, bufferId: string): Promise<number> {
  const [{ emitted }] = await db('order_products')
    .where({ id: bufferId })
    .update({ emitted: db('marking_codes').where({ order_product_id: bufferId }).count() })
    .returning('emitted');
  return emitted;
}

/** Every code emitted: the order READY, its buffers ACTIVE, a recorded late emission (4.4.4) given its end. */
export async function markOrderReady(db: Knex, p: { orderId: string; at: Date }): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('orders').where({ id: p.orderId, status: 'APPROVED' }).update({ status: 'READY', ready_at: p.at });
    await trx('order_products').where({ order_id: p.orderId, status: 'PENDING' }).update({ status: 'ACTIVE' });
    await trx('order_breaches')
      .where({ order_id: p.orderId })
      .whereNull('codes_ready_at')
      .update({ codes_ready_at: p.at });
  });
}

/** The day by which the codes must be downloaded (the buffer's lifetime), shown to the client and in the station's buffers. */
export async function setOrderExpiry(db: Knex, p: { orderId: string; expiresAt: string }): Promise<void> {
  await db('orders').where({ id: p.orderId }).update({ expires_at: p.expiresAt });
}

/**
 * The 4-hour deadline (4.4.4) passed (at `detectedAt`) before the codes were ready: the breach is recorded with the
 * client's right to compensation (7.3), and the support ticket it calls for is requested (Прил. 3), once.
 */
export async function recordEmissionBreach(
  db: Knex,
  p: { orderId: string; detectedAt: string; ticket: { priority: string; subject: string; body: string } },
): Promise<void> {
  const order = await db('orders').where({ id: p.orderId }).first('client_id', 'emission_deadline_at');
  await db.transaction(async (trx) => {
    await trx('orders')
      .where({ id: p.orderId })
      .whereNull('deadline_missed_at')
      .update({ deadline_missed_at: p.detectedAt });
    await trx('order_breaches')
      .insert({
        order_id: p.orderId,
        client_id: order.client_id,
        deadline_at: order.emission_deadline_at,
        detected_at: p.detectedAt,
      })
      .onConflict('order_id')
      .ignore();
    await trx('support_ticket_requests')
      .insert({ client_id: order.client_id, source: 'emission_deadline', source_id: p.orderId, ...p.ticket })
      .onConflict(['source', 'source_id'])
      .ignore();
  });
}

/** The client closes buffers (all, or one GTIN's): their codes not downloaded are given up. Returns how many stay open. */
export async function closeBuffers(db: Knex, p: { orderId: string; gtin?: string; at: Date }): Promise<number> {
  await db('order_products')
    .where({ order_id: p.orderId, status: 'ACTIVE' })
    .modify((q) => p.gtin && q.where({ gtin: p.gtin }))
    .update({ status: 'CLOSED', closed_at: p.at });
  const [{ open }] = await db('order_products')
    .where({ order_id: p.orderId, status: 'ACTIVE' })
    .count<{ open: number }[]>('* as open');
  return Number(open);
}

/**
 * The order ends (every buffer closed or exhausted, or its lifetime over): codes never downloaded are cancelled and
 * their reservation returns to the available balance (the service is rendered only at download, 6.4). Returns the
 * amount released.
 */
export async function closeOrder(db: Knex, p: { orderId: string; outcome: OrderOutcome; at: Date }): Promise<number> {
  const released = await release(db, { idempotencyKey: `release:${p.orderId}`, orderRef: p.orderId });
  await db.transaction(async (trx) => {
    const buffers = trx('order_products').where({ order_id: p.orderId }).select('id');
    await trx('marking_codes')
      .whereIn('order_product_id', buffers)
      .where({ status: 'EMITTED' })
      .update({ status: 'CANCELLED' });
    await trx('order_products')
      .where({ order_id: p.orderId })
      .whereIn('status', ['ACTIVE', 'PENDING'])
      .update({ status: p.outcome, closed_at: p.at });
    await trx('orders')
      .where({ id: p.orderId })
      .whereIn('status', ['READY', 'APPROVED'])
      .update({ status: p.outcome, closed_at: p.at });
  });
  return released.reservation.releasedAmount;
}

/**
 * `count` more codes of a buffer handed over (3.2, 6.4), inside the download's transaction `trx` that holds the
 * buffer's row: EXHAUSTED when none are left. Returns the buffer's row.
 */
export async function passCodes(
  trx: Knex.Transaction,
  buffer: { id: string; passed: number; quantity: number; status: string },
  count: number,
): Promise<Record<string, any>> {
  const passed = buffer.passed + count;
  const [updated] = await trx('order_products')
    .where({ id: buffer.id })
    .update({ passed, status: passed === buffer.quantity ? 'EXHAUSTED' : buffer.status })
    .returning('*');
  return updated;
}
