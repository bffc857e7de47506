import type { Knex } from 'knex';
import { notFound } from '../http/errors';

/** Reconciliation acts (6.6-6.8) as the client reads them. */

export const RECONCILIATION_SUMMARY_COLUMNS = [
  'id',
  'client_id',
  'number',
  'period_from',
  'period_to',
  'opening',
  'payments',
  'services',
  'corrections',
  'refunds',
  'closing',
  'status',
  'issued_at',
  'due_at',
  'accepted_at',
  'refusal_reason',
  'operator_signature',
];

/** The client's reconciliation act (the columns given, its summary by default), or 404. */
export async function clientReconciliationAct(
  db: Knex,
  clientId: string,
  id: string,
  columns: string[] = RECONCILIATION_SUMMARY_COLUMNS,
): Promise<Record<string, any>> {
  const row = await db('reconciliation_acts').where({ id, client_id: clientId }).first(columns);
  if (!row) throw notFound('reconciliation act', id);
  return row;
}

/** The client's reconciliation acts, newest first. */
export const clientReconciliationActs = (db: Knex, clientId: string) =>
  db('reconciliation_acts')
    .where({ client_id: clientId })
    .orderBy('created_at', 'desc')
    .select(RECONCILIATION_SUMMARY_COLUMNS);
