import type { Knex } from 'knex';
import { conflict, notFound } from '../http/errors';

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

/**
 * The client's reconciliation act (the columns given, its summary by default), or 404. A read of
 * its PDF (`pdf` among the columns) is answered 409 PDF_NOT_READY while the act is numbered but its
 * PDF not stored yet (issue #19: activities/reconciliation.ts renders and signs it after the number's
 * transaction, and starts its workflow as it stores it — a reader does not finish it).
 */
export async function clientReconciliationAct(
  db: Knex,
  clientId: string,
  id: string,
  columns: string[] = RECONCILIATION_SUMMARY_COLUMNS,
): Promise<Record<string, any>> {
  const row = await db('reconciliation_acts').where({ id, client_id: clientId }).first(columns);
  if (!row) throw notFound('reconciliation act', id);
  if (columns.includes('pdf') && !row.pdf)
    throw conflict(
      'PDF_NOT_READY',
      'The reconciliation act is numbered; its PDF is being prepared: ask again shortly',
      {
        id,
      },
    );
  return row;
}

/** The client's reconciliation acts, newest first. */
export const clientReconciliationActs = (db: Knex, clientId: string) =>
  db('reconciliation_acts')
    .where({ client_id: clientId })
    .orderBy('created_at', 'desc')
    .select(RECONCILIATION_SUMMARY_COLUMNS);
