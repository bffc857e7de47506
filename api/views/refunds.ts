import type { Db } from '../../db/connection';
import { clientBalance } from '../../db/ledger';
import { refusalGrounds } from '../../activities/refunds';
import { notFound } from '../http/errors';
import { toRefund } from '../schemas/lifecycle';

/** Refunds of unused money (6.11, 3.7, 4.1.2, 10.4) as the client and the accountants see them. */

/** A refund as the accountants see it: the client's name, the unused balance now, what may justify refusing it. */
export async function refundCase(db: Db, row: Record<string, any>) {
  const client = await db('clients').where({ id: row.client_id }).first('name');
  return {
    ...toRefund(row),
    clientName: client.name,
    availableTiyn: (await clientBalance(db, row.client_id)).available,
    refusalGrounds: row.kind === 'request' && row.status === 'pending' ? await refusalGrounds(db, row.client_id) : [],
  };
}

/** A refund's row. */
export async function refundRow(db: Db, id: string) {
  const row = await db('refund_requests').where({ id }).first();
  if (!row) throw notFound('refund', id);
  return row;
}

/** Refunds, the pending ones first by due date. */
export async function refundCases(db: Db, status: string | undefined) {
  const rows = await db('refund_requests')
    .modify((q) => void (status && q.where({ status })))
    .orderByRaw(`status = 'pending' DESC, due_at ASC NULLS LAST, requested_at DESC`)
    .limit(500);
  return Promise.all(rows.map((row: Record<string, any>) => refundCase(db, row)));
}

/** The client's refunds, newest first. */
export async function clientRefunds(db: Db, clientId: string) {
  return (await db('refund_requests').where({ client_id: clientId }).orderBy('requested_at', 'desc')).map(toRefund);
}
