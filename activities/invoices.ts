import type { Knex } from 'knex';
import { lockDocumentCounter } from '../db/document-counters';
import { insertInvoice, invoiceByKey, invoicePayer, type InvoiceRequest } from '../db/invoices';
import { priceOn } from '../db/prices';
import { type InvoiceLine, renderInvoicePdf } from '../lib/documents/invoice-pdf';
import { type Amounts, priceOfCodes, splitTotal } from '../lib/money';
import { contractReference, OPERATOR } from '../lib/operator';

/** Invoices for payment (Прил. 2 п.6): on the client's request, for N codes or an advance amount. */

function invoiceLines(request: InvoiceRequest, amounts: Amounts, pricePerCodeTiyn: number): InvoiceLine[] {
  if ('codes' in request) {
    return [
      {
        name: 'Код маркировки (обувь) и его прослеживаемость, п. 6.1 Договора',
        quantity: request.codes,
        unit: 'шт.',
        priceTiyn: pricePerCodeTiyn,
        amountTiyn: amounts.net,
      },
    ];
  }
  return [
    {
      name: 'Предварительная оплата (аванс) услуг Единого оператора маркировки, п. 3.2 Договора',
      quantity: 1,
      unit: 'усл.',
      priceTiyn: amounts.net,
      amountTiyn: amounts.net,
    },
  ];
}

/**
 * Issues an invoice on `issuedOn` (a local date): priced at the tariff and VAT rate of that
 * day, numbered `YYYY-NNNNNN`, rendered as a PDF and stored (db/invoices.ts). The same idempotency
 * key returns the same invoice; with another request it is refused (InvoiceConflictError).
 */
export async function issueInvoice(
  db: Knex,
  p: { clientId: string; request: InvoiceRequest; idempotencyKey: string; issuedOn: string },
) {
  return db.transaction(async (trx) => {
    const year = Number(p.issuedOn.slice(0, 4));
    const counter = await lockDocumentCounter(trx, 'invoice', year);
    const existing = await invoiceByKey(trx, p);
    if (existing) return { invoice: existing, replayed: true };
    const price = await priceOn(trx, p.issuedOn);
    const amounts =
      'codes' in p.request ? priceOfCodes(p.request.codes, price) : splitTotal(p.request.amountTiyn, price.vatRateBp);
    const { client, personalAccount } = await invoicePayer(trx, p.clientId);
    const details = client.details ?? {};
    const seq = await counter.take();
    const number = `${year}-${String(seq).padStart(6, '0')}`;
    const pdf = await renderInvoicePdf({
      number,
      issuedOn: p.issuedOn,
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
      contract: contractReference(client.joined_on),
      lines: invoiceLines(p.request, amounts, price.pricePerCodeTiyn),
      netTiyn: amounts.net,
      vatRateBp: price.vatRateBp,
      vatTiyn: amounts.vat,
      totalTiyn: amounts.total,
    });
    const invoice = await insertInvoice(trx, { ...p, number, year, seq, price, amounts, pdf });
    return { invoice, replayed: false };
  });
}
