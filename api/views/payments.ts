import type { Knex } from 'knex';
import { notFound } from '../http/errors';

/** Bank payments to the operator account as the accountants see them. */

/** Payments in a status (of a client when given): the unassigned queue oldest first, the rest newest first. */
export const paymentsIn = (db: Knex, q: { status: string; clientId?: string; limit: number }) =>
  db('bank_payments')
    .where({ status: q.status })
    .modify((query) => q.clientId && query.where({ client_id: q.clientId }))
    .orderBy([{ column: 'received_on', order: q.status === 'unassigned' ? 'asc' : 'desc' }, { column: 'recorded_at' }])
    .limit(q.limit);

/** A bank payment, or 404. */
export async function paymentById(db: Knex, paymentId: string): Promise<Record<string, any>> {
  const row = await db('bank_payments').where({ id: paymentId }).first();
  if (!row) throw notFound('payment', paymentId);
  return row;
}
