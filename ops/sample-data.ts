/**
 * Sample data made with the project's own code, for the benchmarks and the tests: random valid
 * identifiers, order lines, and orders registered as the order station registers them.
 */
import { randomInt } from 'node:crypto';
import { readCalendar } from '../db/calendar-store';
import type { Db } from '../db/connection';
import { OrderLine, registerOrder } from '../db/orders';
import { BusinessCalendar } from '../lib/calendar';
import { gtinCheckDigit } from '../lib/codes';
import { withBinIinCheckDigit } from '../lib/kz-identifiers';
import type { OrderEmissionInput } from '../workflows/order-emission';

/** A random GTIN-14 with a valid check digit (prefix 487: Kazakhstan). */
export function randomGtin(): string {
  const first13 = `0487${String(randomInt(10 ** 9)).padStart(9, '0')}`;
  return first13 + gtinCheckDigit(first13);
}

/** A random BIN/IIN with a valid check digit. */
export function randomBinIin(): string {
  for (;;) {
    const candidate = withBinIinCheckDigit(String(randomInt(10 ** 10, 10 ** 11)).padStart(11, '0'));
    if (candidate) return candidate;
  }
}

/** An order line of `quantity` codes with serials made by the operator, footwear template. */
export const line = (gtin: string, quantity: number, extra: Partial<OrderLine> = {}): OrderLine => ({
  gtin,
  quantity,
  serialNumberType: 'OPERATOR',
  templateId: 1,
  cisType: 'UNIT',
  ...extra,
});

/**
 * Registers an order as the order station does (status CREATED, the 4-hour deadline of 4.4.4
 * on the calendar in the database), returning the input of its workflow.
 */
export async function placeOrder(
  db: Db,
  client: { id: string; oms_id: string },
  lines: OrderLine[],
  registeredAt = new Date(),
  contactPerson = 'Иванов И.И.',
): Promise<OrderEmissionInput> {
  const calendar = new BusinessCalendar(await readCalendar(db));
  const { order, products } = await db.transaction((trx) =>
    registerOrder(trx, {
      clientId: client.id,
      omsId: client.oms_id,
      request: { contactPerson, releaseMethodType: 'PRODUCTION', createMethodType: 'SELF_MADE', products: lines },
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
