import type { Db } from '../../db/connection';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDownloadActivities } from '../../activities/downloads';
import { createOrderActivities } from '../../activities/orders';
import { deposit } from '../../db/ledger';
import { openPersonalAccount } from '../../db/personal-accounts';
import type { CodeKey } from '../../lib/codes';
import { line, placeOrder, randomGtin } from '../../ops/sample-data';
import { insertClient } from './fixtures';
import { acceptedProduct } from './products';

export { line, placeOrder, randomGtin };

/** A client with a personal account, `amountTiyn` on it and `gtins` in its catalogue, its right to them accepted. */
export async function fundedClient(db: Db, amountTiyn: number, gtins: string[] = [randomGtin()]) {
  const client = await insertClient(db);
  const account = await openPersonalAccount(db, client.id, new Date());
  if (amountTiyn > 0)
    await deposit(db, {
      idempotencyKey: `fund-${client.id}`,
      clientId: client.id,
      amountTiyn,
      paymentId: `fund-${client.id}`,
    });
  await db('products').insert(
    gtins.map((gtin) => ({ client_id: client.id, gtin, name: `Туфли ${gtin}`, ...acceptedProduct() })),
  );
  return { ...client, accountNumber: account.number, gtins };
}

/**
 * Codes a client receives (downloads, is charged for) at `at`, through the activities the order
 * workflow runs, in its order: order, reservation, emission, READY, a download.
 */
export async function chargeClient(
  db: Db,
  client: { id: string; oms_id: string; gtins: string[] },
  codes: number,
  key: CodeKey,
  at = new Date(),
) {
  const gtin = client.gtins[0];
  const deps = {
    db,
    clock: { now: () => at },
    codeKeys: { current: key, byId: new Map([[key.id, key]]) },
    mailer: undefined as never,
  };
  const orders = createOrderActivities(deps);
  const input = await placeOrder(db, client, [line(gtin, codes)], at);
  const reservation = await orders.reserveOrder(input.orderId);
  if (!reservation.ok)
    throw new Error(`chargeClient: ${reservation.availableTiyn} tiyn available, ${reservation.neededTiyn} needed`);
  const activity = new MockActivityEnvironment();
  await activity.run(orders.emitCodes, input.products[0].orderProductId, 0, codes);
  await orders.markOrderReady(input.orderId);
  const block = await activity.run(createDownloadActivities(deps).deliverCodes, {
    orderId: input.orderId,
    gtin,
    quantity: codes,
    requestRef: 'key:test',
    channel: 'cabinet' as const,
  });
  return { order: input, block };
}

/** A new client that has received `codes` codes today. */
export async function clientWithServices(db: Db, codes: number, key: CodeKey) {
  const client = await fundedClient(db, 100_000_00);
  return { client, ...(await chargeClient(db, client, codes, key)) };
}

/** The order station's body (`OrderDtoShoesKZ`) for `quantity` codes of one GTIN, operator's serials. */
export const stationOrder = (gtin: string, quantity: number) => ({
  contactPerson: 'Тест',
  releaseMethodType: 'PRODUCTION',
  createMethodType: 'SELF_MADE',
  products: [{ gtin, quantity, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' }],
});
