import { randomInt } from 'node:crypto';
import type { Db } from '../../db/connection';
import { emitCodeRange } from '../../db/codes';
import { deliverBlock } from '../../db/downloads';
import { deposit, reserve } from '../../db/ledger';
import { OrderLine, registerOrder } from '../../db/orders';
import { openPersonalAccount } from '../../db/personal-accounts';
import { CodeKey, gtinCheckDigit } from '../../lib/codes';
import { BusinessCalendar } from '../../lib/calendar';
import type { OrderEmissionInput } from '../../workflows/order-emission';
import { insertClient } from './fixtures';

/** A random GTIN-14 with a valid check digit (prefix 487: Kazakhstan). */
export function randomGtin(): string {
  const first13 = `0487${String(randomInt(10 ** 9)).padStart(9, '0')}`;
  return first13 + gtinCheckDigit(first13);
}

/** A client with a personal account, `amountTiyn` on it and `gtins` in its catalogue. */
export async function fundedClient(db: Db, amountTiyn: number, gtins: string[] = [randomGtin()]) {
  const client = await insertClient(db);
  const account = await openPersonalAccount(db, client.id, new Date());
  if (amountTiyn > 0) await deposit(db, { idempotencyKey: `fund-${client.id}`, clientId: client.id, amountTiyn, paymentId: `fund-${client.id}` });
  await db('products').insert(gtins.map((gtin) => ({ client_id: client.id, gtin, name: `Туфли ${gtin}` })));
  return { ...client, accountNumber: account.number, gtins };
}

export const line = (gtin: string, quantity: number, extra: Partial<OrderLine> = {}): OrderLine => ({
  gtin,
  quantity,
  serialNumberType: 'OPERATOR',
  templateId: 1,
  cisType: 'UNIT',
  ...extra,
});

/** Registers an order as the order station does, returning the input of its workflow. */
export async function placeOrder(db: Db, client: { id: string; oms_id: string }, lines: OrderLine[], registeredAt = new Date()): Promise<OrderEmissionInput> {
  const calendar = new BusinessCalendar({ years: {} });
  const { order, products } = await db.transaction((trx) =>
    registerOrder(trx, {
      clientId: client.id,
      omsId: client.oms_id,
      request: { contactPerson: 'Иванов И.И.', releaseMethodType: 'PRODUCTION', createMethodType: 'SELF_MADE', products: lines },
      registeredAt,
      today: calendar.localDate(registeredAt),
      deadline: (at) => calendar.addClockHours(at, 4),
    }),
  );
  return {
    orderId: order.id,
    clientId: client.id,
    registeredAt: new Date(order.registered_at).toISOString(),
    products: products.map((p) => ({ orderProductId: p.id, gtin: p.gtin, quantity: p.quantity })),
  };
}

/**
 * Codes a client receives (downloads, is charged for) now, through the steps the order
 * workflow takes: order, reservation, emission, READY, a download.
 */
export async function chargeClient(db: Db, client: { id: string; oms_id: string; gtins: string[] }, codes: number, key: CodeKey) {
  const gtin = client.gtins[0];
  const input = await placeOrder(db, client, [line(gtin, codes)]);
  await reserve(db, { idempotencyKey: `reserve:${input.orderId}`, clientId: client.id, orderRef: input.orderId, codes, priceDate: new BusinessCalendar({ years: {} }).localDate(new Date()) });
  await emitCodeRange(db, { orderProductId: input.products[0].orderProductId, from: 0, to: codes, key });
  await db('orders').where({ id: input.orderId }).update({ status: 'READY' });
  await db('order_products').where({ order_id: input.orderId }).update({ status: 'ACTIVE' });
  const block = await deliverBlock(db, { orderId: input.orderId, gtin, quantity: codes, requestRef: 'key:test', channel: 'cabinet', applyBy: null, at: new Date() });
  return { order: input, block };
}

/** A new client that has received `codes` codes today. */
export async function clientWithServices(db: Db, codes: number, key: CodeKey) {
  const client = await fundedClient(db, 100_000_00);
  return { client, ...(await chargeClient(db, client, codes, key)) };
}
