import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Amounts, Price } from '../lib/money';
import { requestHash } from './ledger/book';

/**
 * Invoices for payment (Прил. 2 п.6) in PostgreSQL: found by the client's idempotency key, stored
 * numbered (without its PDF: the counter's transaction stays short), then with its PDF.
 * Issuing one (numbering, pricing, the PDF) is activities/invoices.ts `issueInvoice`.
 */

export type InvoiceRequest = { codes: number } | { amountTiyn: number };

export class InvoiceConflictError extends Error {}

const keyOf = (clientId: string, idempotencyKey: string) => `${clientId}:${idempotencyKey}`;

/** The invoice issued before under the client's idempotency key: the same request gets it back, another is refused. */
export async function invoiceByKey(
  trx: Knex,
  p: { clientId: string; idempotencyKey: string; request: InvoiceRequest },
): Promise<Record<string, any> | undefined> {
  const existing = await trx('invoices')
    .where({ idempotency_key: keyOf(p.clientId, p.idempotencyKey) })
    .first();
  if (existing && existing.request_hash !== requestHash(p.request))
    throw new InvoiceConflictError(`The idempotency key ${p.idempotencyKey} was used for another invoice request`);
  return existing;
}

/** The payer an invoice names: the client's row and its personal account's number. */
export async function invoicePayer(
  trx: Knex,
  clientId: string,
): Promise<{ client: Record<string, any>; personalAccount: string | undefined }> {
  const client = await trx('clients').where({ id: clientId }).first();
  const account = await trx('personal_accounts').where({ client_id: clientId }).first('number');
  return { client, personalAccount: account?.number };
}

/**
 * An issued invoice stored: numbered `number` (the `seq` of its `year`), priced at `price`; its
 * PDF is stored after the number's transaction commits (`storeInvoicePdf`).
 */
export async function insertInvoice(
  trx: Knex.Transaction,
  p: {
    clientId: string;
    idempotencyKey: string;
    request: InvoiceRequest;
    number: string;
    year: number;
    seq: number;
    issuedOn: string;
    price: Price;
    amounts: Amounts;
  },
): Promise<Record<string, any>> {
  const [invoice] = await trx('invoices')
    .insert({
      client_id: p.clientId,
      number: p.number,
      year: p.year,
      seq: p.seq,
      issued_on: p.issuedOn,
      idempotency_key: keyOf(p.clientId, p.idempotencyKey),
      request_hash: requestHash(p.request),
      codes: 'codes' in p.request ? p.request.codes : null,
      price_per_code_tiyn: p.price.pricePerCodeTiyn,
      vat_rate_bp: p.price.vatRateBp,
      net: p.amounts.net,
      vat: p.amounts.vat,
      total: p.amounts.total,
    })
    .returning('*');
  return invoice;
}

/** The invoice's PDF stored, once: when another stored it first (a retry, a reader), that one stays. */
export async function storeInvoicePdf(db: Knex, invoiceId: string, pdf: Buffer): Promise<Record<string, any>> {
  const [stored] = await db('invoices')
    .where({ id: invoiceId })
    .whereNull('pdf')
    .update({ pdf, pdf_sha256: createHash('sha256').update(pdf).digest('hex') })
    .returning('*');
  return stored ?? (await db('invoices').where({ id: invoiceId }).first());
}
