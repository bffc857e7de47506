import type { Knex } from 'knex';
import { notFound } from '../http/errors';

/** Invoices for payment (Прил. 2 п.6) as the client reads them. */

const INVOICE_COLUMNS = [
  'id',
  'number',
  'issued_on',
  'codes',
  'price_per_code_tiyn',
  'vat_rate_bp',
  'net',
  'vat',
  'total',
  'pdf_sha256',
  'created_at',
];

/** The client's invoices without their PDFs, newest first (at most 500). */
export const clientInvoices = (db: Knex, clientId: string) =>
  db('invoices').where({ client_id: clientId }).orderBy('created_at', 'desc').limit(500).select(INVOICE_COLUMNS);

/** The client's invoice's number and PDF, or 404. */
export async function clientInvoicePdf(db: Knex, clientId: string, invoiceId: string): Promise<Record<string, any>> {
  const row = await db('invoices').where({ id: invoiceId, client_id: clientId }).first('number', 'pdf');
  if (!row) throw notFound('invoice', invoiceId);
  return row;
}
