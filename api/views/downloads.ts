import type { Knex } from 'knex';
import { notFound } from '../http/errors';

/** The client's downloads (blocks of codes) as the cabinet reads them. */

/** The client's order (its id), or 404. */
export async function clientOrderId(db: Knex, clientId: string, orderId: string): Promise<string> {
  const order = await db('orders').where({ id: orderId, client_id: clientId }).first('id');
  if (!order) throw notFound('order', orderId);
  return order.id;
}

/** The client's block (its id and quantity), or 404. */
export async function clientBlock(
  db: Knex,
  clientId: string,
  blockId: string,
): Promise<{ id: string; quantity: number }> {
  const block = await db('code_blocks').where({ id: blockId, client_id: clientId }).first('id', 'quantity');
  if (!block) throw notFound('download', blockId);
  return block;
}

/** The client's latest 500 blocks with their order and GTIN, newest first. */
export const clientBlocks = (db: Knex, clientId: string) =>
  db('code_blocks as b')
    .join('order_products as p', 'p.id', 'b.order_product_id')
    .where('b.client_id', clientId)
    .orderBy('b.delivered_at', 'desc')
    .limit(500)
    .select('b.*', 'p.order_id', 'p.gtin');

/** The product names of a block's codes: the client's product card for the block's GTIN. */
export async function blockProductNames(db: Knex, clientId: string, blockId: string): Promise<Map<string, string>> {
  const products: { gtin: string; name: string }[] = await db('code_blocks as b')
    .join('order_products as op', 'op.id', 'b.order_product_id')
    .join('products as p', function () {
      this.on('p.gtin', '=', 'op.gtin').andOn('p.client_id', '=', 'b.client_id');
    })
    .where({ 'b.id': blockId, 'b.client_id': clientId })
    .select('p.gtin', 'p.name');
  return new Map(products.map((p) => [p.gtin, p.name]));
}
