import { randomInt } from 'node:crypto';
import type { Db } from '../../db/connection';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDownloadActivities } from '../../activities/downloads';
import { createOrderActivities } from '../../activities/orders';
import { readCalendar } from '../../db/calendar-store';
import { deposit } from '../../db/ledger';
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
  const calendar = new BusinessCalendar(await readCalendar(db));
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
 * Codes a client receives (downloads, is charged for) at `at`, through the activities the order
 * workflow runs, in its order: order, reservation, emission, READY, a download.
 */
export async function chargeClient(db: Db, client: { id: string; oms_id: string; gtins: string[] }, codes: number, key: CodeKey, at = new Date()) {
  const gtin = client.gtins[0];
  const deps = { db, clock: { now: () => at }, codeKeys: { current: key, byId: new Map([[key.id, key]]) }, mailer: undefined as never };
  const orders = createOrderActivities(deps);
  const input = await placeOrder(db, client, [line(gtin, codes)], at);
  const reservation = await orders.reserveOrder(input.orderId);
  if (!reservation.ok) throw new Error(`chargeClient: ${reservation.availableTiyn} tiyn available, ${reservation.neededTiyn} needed`);
  const activity = new MockActivityEnvironment();
  await activity.run(orders.emitCodes, input.products[0].orderProductId, 0, codes);
  await orders.markOrderReady(input.orderId);
  const block = await activity.run(createDownloadActivities(deps).deliverCodes, { orderId: input.orderId, gtin, quantity: codes, requestRef: 'key:test', channel: 'cabinet' as const });
  return { order: input, block };
}

/** A new client that has received `codes` codes today. */
export async function clientWithServices(db: Db, codes: number, key: CodeKey) {
  const client = await fundedClient(db, 100_000_00);
  return { client, ...(await chargeClient(db, client, codes, key)) };
}
