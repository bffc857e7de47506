import type { Knex } from 'knex';
import { invoiceWithPdf } from '../../activities/invoices';
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

/**
 * The client's invoice with its number and PDF, or 404. An invoice is numbered before its PDF is
 * rendered (issue #19): one read before its issue stored the PDF (or after an issue that stopped
 * in between) renders and stores it now, as its issue would (activities/invoices.ts).
 */
export async function clientInvoicePdf(db: Knex, clientId: string, invoiceId: string): Promise<Record<string, any>> {
  const row = await db('invoices').where({ id: invoiceId, client_id: clientId }).first();
  if (!row) throw notFound('invoice', invoiceId);
  return invoiceWithPdf(db, row);
}
