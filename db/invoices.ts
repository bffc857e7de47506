import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { InvoiceLine, renderInvoicePdf } from '../lib/documents/invoice-pdf';
import { Amounts, priceOfCodes, splitTotal } from '../lib/money';
import { contractReference, OPERATOR } from '../lib/operator';
import { requestHash } from './ledger/book';
import { priceOn } from './prices';

/** Invoices for payment (Прил. 2 п.6): on the client's request, for N codes or an advance amount. */

export type InvoiceRequest = { codes: number } | { amountTiyn: number };

export class InvoiceConflictError extends Error {}

/**
 * Numbers documents of a kind per year without gaps: `lock` holds the counter row until the
 * caller's transaction ends (so concurrent issuers queue, and a twin request sees the first
 * one's document), `take` uses the next number; a rolled-back document gives it back.
 */
export async function lockDocumentCounter(trx: Knex.Transaction, kind: string, year: number) {
  await trx('document_counters').insert({ kind, year, last: 0 }).onConflict(['kind', 'year']).ignore();
  const { last } = await trx('document_counters').where({ kind, year }).forUpdate().first('last');
  return {
    async take(): Promise<number> {
      await trx('document_counters').where({ kind, year }).update({ last: last + 1 });
      return last + 1;
    },
  };
}


function invoiceLines(request: InvoiceRequest, amounts: Amounts, pricePerCodeTiyn: number): InvoiceLine[] {
  if ('codes' in request) {
    return [{ name: 'Код маркировки (обувь) и его прослеживаемость, п. 6.1 Договора', quantity: request.codes, unit: 'шт.', priceTiyn: pricePerCodeTiyn, amountTiyn: amounts.net }];
  }
  return [{ name: 'Предварительная оплата (аванс) услуг Единого оператора маркировки, п. 3.2 Договора', quantity: 1, unit: 'усл.', priceTiyn: amounts.net, amountTiyn: amounts.net }];
}

/**
 * Issues an invoice on `issuedOn` (a local date): priced at the tariff and VAT rate of that
 * day, numbered `YYYY-NNNNNN`, rendered as a PDF and stored. The same idempotency key
 * returns the same invoice; with another request it is refused.
 */
export async function issueInvoice(db: Knex, p: { clientId: string; request: InvoiceRequest; idempotencyKey: string; issuedOn: string }) {
  return db.transaction(async (trx) => {
    const key = `${p.clientId}:${p.idempotencyKey}`;
    const hash = requestHash(p.request);
    const year = Number(p.issuedOn.slice(0, 4));
    const counter = await lockDocumentCounter(trx, 'invoice', year);
    const existing = await trx('invoices').where({ idempotency_key: key }).first();
    if (existing) {
      if (existing.request_hash !== hash) throw new InvoiceConflictError(`The idempotency key ${p.idempotencyKey} was used for another invoice request`);
      return { invoice: existing, replayed: true };
    }
    const price = await priceOn(trx, p.issuedOn);
    const amounts = 'codes' in p.request ? priceOfCodes(p.request.codes, price) : splitTotal(p.request.amountTiyn, price.vatRateBp);
    const client = await trx('clients').where({ id: p.clientId }).first();
    const account = await trx('personal_accounts').where({ client_id: p.clientId }).first('number');
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
      personalAccount: account?.number ?? '—',
      contract: contractReference(client.joined_on),
      lines: invoiceLines(p.request, amounts, price.pricePerCodeTiyn),
      netTiyn: amounts.net,
      vatRateBp: price.vatRateBp,
      vatTiyn: amounts.vat,
      totalTiyn: amounts.total,
    });
    const [invoice] = await trx('invoices')
      .insert({
        client_id: p.clientId,
        number,
        year,
        seq,
        issued_on: p.issuedOn,
        idempotency_key: key,
        request_hash: hash,
        codes: 'codes' in p.request ? p.request.codes : null,
        price_per_code_tiyn: price.pricePerCodeTiyn,
        vat_rate_bp: price.vatRateBp,
        net: amounts.net,
        vat: amounts.vat,
        total: amounts.total,
        pdf,
        pdf_sha256: createHash('sha256').update(pdf).digest('hex'),
      })
      .returning('*');
    return { invoice, replayed: false };
  });
}
