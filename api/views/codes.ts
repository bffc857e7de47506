import type { Knex } from 'knex';

/** The client's marking codes as the cabinet lists them. */

export interface CodesFilter {
  status?: string;
  orderId?: string;
  /** APPLIED codes whose block's application day (4.1.6) is before `today`. */
  overdue?: boolean;
  afterId: number;
  limit: number;
}

/** A page of the client's codes by id after `afterId`, one more than `limit` to tell whether another page follows. */
export const clientCodes = (db: Knex, clientId: string, f: CodesFilter, today: string) =>
  db('marking_codes as c')
    .join('order_products as p', 'p.id', 'c.order_product_id')
    .leftJoin('code_blocks as b', 'b.id', 'c.block_id')
    .where('c.client_id', clientId)
    .where('c.id', '>', f.afterId)
    .modify((q) => {
      if (f.status) q.where('c.status', f.status);
      if (f.orderId) q.where('p.order_id', f.orderId);
      if (f.overdue) q.where('c.status', 'APPLIED').where('b.apply_by', '<', today);
    })
    .orderBy('c.id')
    .limit(f.limit + 1)
    .select(
      'c.id',
      'c.gtin',
      'c.serial',
      'c.status',
      'c.block_id',
      'c.emitted_at',
      'c.applied_at',
      'c.introduced_at',
      'p.order_id',
      'b.apply_by',
    );
