import { emitCodeRange } from '../../db/codes';
import { generateKey, parseMarkingCode, randomSerials } from '../../lib/codes';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { fundedClient, line, placeOrder, randomGtin } from '../helpers/orders';

// emitCodeRange writes a chunk of codes by one COPY (#20): all or nothing, idempotent, safe when attempts overlap.
const key = generateKey('EM01');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function buffer(quantity: number, extra: Parameters<typeof line>[2] = {}) {
  const gtin = randomGtin();
  const client = await fundedClient(database.db, 0, [gtin]);
  const order = await placeOrder(database.db, client, [line(gtin, quantity, extra)]);
  return { gtin, orderProductId: order.products[0].orderProductId };
}

const codesOf = (orderProductId: string) =>
  database
    .db('marking_codes')
    .where({ order_product_id: orderProductId })
    .orderBy('seq')
    .select('seq', 'serial', 'code');

test('a chunk emitted again keeps its codes; one cut short is completed from where it stopped', async () => {
  const { gtin, orderProductId } = await buffer(300);
  expect(await emitCodeRange(database.db, { orderProductId, from: 0, to: 120, key })).toBe(120);
  const first = await codesOf(orderProductId);
  expect(await emitCodeRange(database.db, { orderProductId, from: 0, to: 120, key })).toBe(120);
  expect(await codesOf(orderProductId)).toEqual(first);

  expect(await emitCodeRange(database.db, { orderProductId, from: 0, to: 300, key })).toBe(300);
  const all = await codesOf(orderProductId);
  expect(all.map((row) => row.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  expect(all.slice(0, 120)).toEqual(first);
  for (const row of all) expect(parseMarkingCode(row.code)).toMatchObject({ gtin, serial: row.serial });
  expect(new Set(all.map((row) => row.serial)).size).toBe(300);
});

test('attempts of one step at once: every position once, each attempt answers the full count', async () => {
  const { orderProductId } = await buffer(5_000);
  const counts = await Promise.all(
    Array.from({ length: 4 }, () => emitCodeRange(database.db, { orderProductId, from: 0, to: 5_000, key })),
  );
  expect(counts).toEqual([5_000, 5_000, 5_000, 5_000]);
  const rows = await codesOf(orderProductId);
  expect(rows).toHaveLength(5_000);
  expect(new Set(rows.map((row) => row.seq)).size).toBe(5_000);
});

test('a serial taken for the GTIN meanwhile fails the whole chunk: nothing of it is written', async () => {
  const serials = randomSerials(50);
  const { gtin, orderProductId } = await buffer(50, { serialNumberType: 'SELF_MADE', serialNumbers: serials });
  // Another buffer of the GTIN received serial 17 after this order was checked.
  const other = await buffer(1);
  await database.db('marking_codes').insert({
    order_product_id: other.orderProductId,
    seq: 0,
    client_id: await clientOf(other.orderProductId),
    gtin,
    serial: serials[17],
    code: `01${gtin}21${serials[17]}`,
    key_id: key.id,
  });
  await expect(emitCodeRange(database.db, { orderProductId, from: 0, to: 50, key })).rejects.toThrow(
    /could not emit 50 codes .* after 5 attempts/,
  );
  expect(await codesOf(orderProductId)).toEqual([]);
});

async function clientOf(orderProductId: string): Promise<string> {
  const row = await database
    .db('order_products as op')
    .join('orders as o', 'o.id', 'op.order_id')
    .where('op.id', orderProductId)
    .first('o.client_id');
  return row.client_id;
}
