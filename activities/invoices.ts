import type { Knex } from 'knex';
import { lockDocumentCounter } from '../db/document-counters';
import { insertInvoice, invoiceByKey, invoicePayer, type InvoiceRequest, storeInvoicePdf } from '../db/invoices';
import { priceOn } from '../db/prices';
import { russian } from '../lib/documents/bilingual';
import { type InvoiceDocument, type InvoiceLine, renderInvoicePdf } from '../lib/documents/invoice-pdf';
import { type Amounts, priceOfCodes, splitTotal } from '../lib/money';
import { contractReferences, OPERATOR } from '../lib/operator';

/**
 * Invoices for payment (Прил. 2 п.6): on the client's request, for N codes or an advance amount. The line is named in
 * Russian — «Код маркировки (обувь) и его прослеживаемость, п. 6.1 Договора», 'шт.', or «Предварительная оплата (аванс)
 * услуг Единого оператора маркировки, п. 3.2 Договора», 'усл.' — and printed in Kazakh too (lib/documents/bilingual.ts).
 */

function invoiceLines(request: InvoiceRequest, amounts: Amounts, pricePerCodeTiyn: number): InvoiceLine[] {
  if ('codes' in request) {
    return [
      {
        name: russian('service.codesInvoice'),
        quantity: request.codes,
        unit: russian('unit.piece'),
        priceTiyn: pricePerCodeTiyn,
        amountTiyn: amounts.net,
      },
    ];
  }
  return [
    {
      name: russian('service.advance'),
      quantity: 1,
      unit: russian('unit.service'),
      priceTiyn: amounts.net,
      amountTiyn: amounts.net,
    },
  ];
}

/** Renders an invoice's PDF; injectable so a test can make it slow. */
export type InvoiceRenderer = (document: InvoiceDocument) => Promise<Buffer>;

/** The invoice's document from its row (number, prices, amounts) and its payer. */
function invoiceDocument(
  invoice: Record<string, any>,
  { client, personalAccount }: { client: Record<string, any>; personalAccount: string | undefined },
): InvoiceDocument {
  const details = client.details ?? {};
  const request: InvoiceRequest = invoice.codes !== null ? { codes: invoice.codes } : { amountTiyn: invoice.total };
  const amounts: Amounts = { net: invoice.net, vat: invoice.vat, total: invoice.total };
  return {
    number: invoice.number,
    issuedOn: invoice.issued_on,
    payableBy: null,
    operator: OPERATOR,
    client: {
      name: details.companyName ?? client.name,
      binIin: client.bin_iin,
      address: details.legalAddress ?? '—',
      iik: details.iik ?? '—',
      bankName: details.bankName ?? '—',
      bik: details.bik ?? '—',
      kbe: details.kbe ?? '—',
    },
    personalAccount: personalAccount ?? '—',
    contract: contractReferences(client.joined_on),
    lines: invoiceLines(request, amounts, invoice.price_per_code_tiyn),
    netTiyn: amounts.net,
    vatRateBp: invoice.vat_rate_bp,
    vatTiyn: amounts.vat,
    totalTiyn: amounts.total,
  };
}

/**
 * The invoice with its PDF: rendered and stored when it has none yet (its issue stopped between
 * numbering and storing, or a reader came first). Two at once both render; the first stored stays.
 */
export async function invoiceWithPdf(
  db: Knex,
  invoice: Record<string, any>,
  render: InvoiceRenderer = renderInvoicePdf,
  payer?: Awaited<ReturnType<typeof invoicePayer>>,
): Promise<Record<string, any>> {
  if (invoice.pdf) return invoice;
  const pdf = await render(invoiceDocument(invoice, payer ?? (await invoicePayer(db, invoice.client_id))));
  return storeInvoicePdf(db, invoice.id, pdf);
}

/**
 * Issues an invoice on `issuedOn` (a local date): priced at the tariff and VAT rate of that
 * day, numbered `YYYY-NNNNNN` without gaps, rendered as a PDF and stored (db/invoices.ts). The same
 * idempotency key returns the same invoice; with another request it is refused (InvoiceConflictError).
 *
 * The year's counter row is shared by every client: it is held only by a short transaction that
 * takes the next number and commits the invoice's row with it (so no number is lost, and a twin
 * request waiting on the counter then finds that row). The PDF is rendered after that commit,
 * outside any lock, and stored in a second step (issue #19).
 */
export async function issueInvoice(
  db: Knex,
  p: { clientId: string; request: InvoiceRequest; idempotencyKey: string; issuedOn: string },
  render: InvoiceRenderer = renderInvoicePdf,
): Promise<{ invoice: Record<string, any>; replayed: boolean }> {
  const before = await invoiceByKey(db, p); // a repeat needs no number
  if (before) return { invoice: await invoiceWithPdf(db, before, render), replayed: true };
  const year = Number(p.issuedOn.slice(0, 4));
  const price = await priceOn(db, p.issuedOn);
  const amounts =
    'codes' in p.request ? priceOfCodes(p.request.codes, price) : splitTotal(p.request.amountTiyn, price.vatRateBp);
  const payer = await invoicePayer(db, p.clientId);
  const numbered = await db.transaction(async (trx) => {
    const counter = await lockDocumentCounter(trx, 'invoice', year);
    const twin = await invoiceByKey(trx, p); // committed while this one waited for the counter
    if (twin) return { invoice: twin, replayed: true };
    const seq = await counter.take();
    const number = `${year}-${String(seq).padStart(6, '0')}`;
    return { invoice: await insertInvoice(trx, { ...p, number, year, seq, price, amounts }), replayed: false };
  });
  return { invoice: await invoiceWithPdf(db, numbered.invoice, render, payer), replayed: numbered.replayed };
}
