/**
 * «Счёт на оплату»: the invoice for an advance on a personal account, as a PDF in Kazakh and Russian
 * (Kazakh first: ./bilingual.ts; the amount in words in both, lib/i18n/kazakh-amount.ts).
 * The payer must name the personal account in the payment purpose; that is what lets an
 * incoming payment be matched and credited to the account automatically (6.2).
 */
import { kazakhAmountInWords } from '../i18n/kazakh-amount';
import { amountInWords, formatTenge } from '../money';
import type { OperatorDetails } from '../operator';
import { both, type Both, cell, footer, heading, inline, label, paragraph, section } from './bilingual';
import { clientRequisites, type ClientRequisites, operatorRequisites, REQUISITES_LABEL_WIDTH } from './requisites';
import {
  FONT,
  FONT_BOLD,
  createPdf,
  details,
  formatDate,
  formatQuantity,
  formatRate,
  startOfDayKz,
  table,
  toBuffer,
  totals,
} from './pdf';

export type InvoiceParty = ClientRequisites;

/** One invoice line; amounts are net (excluding VAT). */
export interface InvoiceLine {
  /** In Russian; printed in Kazakh above it when the documents catalogue knows it (`service.*`: ./bilingual.ts `cell`). */
  name: string;
  quantity: number;
  /** In Russian, like the name (`unit.*`). */
  unit: string;
  priceTiyn: number;
  amountTiyn: number;
}

export interface InvoiceDocument {
  /** E.g. '2026-000017'. */
  number: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** YYYY-MM-DD, or null when the invoice has no due date. */
  payableBy: string | null;
  operator: OperatorDetails;
  client: InvoiceParty;
  /** E.g. 'LS00000012'. */
  personalAccount: string;
  /** The contract the invoice is issued under, as it should read on the invoice, in Kazakh and in Russian. */
  contract: Both;
  lines: InvoiceLine[];
  netTiyn: number;
  /** Basis points: 1600 = 16%. */
  vatRateBp: number;
  vatTiyn: number;
  totalTiyn: number;
}

export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const { operator, client } = invoice;
  const title = both('invoice.title', { number: invoice.number, date: formatDate(invoice.issuedOn) });
  const account = invoice.personalAccount;
  const doc = createPdf({
    title: `${title.kk} / ${title.ru}`,
    author: operator.name,
    subject: inline('invoice.subject', { account }),
    createdAt: startOfDayKz(invoice.issuedOn),
  });

  heading(doc, title);

  section(doc, both('vatInvoice.supplier'));
  const knp: [string, string] = [inline('requisites.knp'), operator.knp];
  details(doc, [...operatorRequisites(operator, { labels: 'kk+ru' }), knp], REQUISITES_LABEL_WIDTH);

  section(doc, both('invoice.buyer'));
  details(doc, clientRequisites(client, { labels: 'kk+ru' }), REQUISITES_LABEL_WIDTH);

  section(doc, both('act.contract'));
  paragraph(doc, invoice.contract);
  doc.moveDown(0.8);

  table(
    doc,
    [
      { header: '№', width: 25, align: 'right' },
      { header: label('requisites.name') },
      { header: label('lines.quantity'), width: 65, align: 'right' },
      { header: label('lines.unit'), width: 45 },
      { header: label('lines.price'), width: 80, align: 'right' },
      { header: label('invoice.amount'), width: 95, align: 'right' },
    ],
    invoice.lines.map((line, i) => [
      String(i + 1),
      cell(line.name),
      formatQuantity(line.quantity),
      cell(line.unit),
      formatTenge(line.priceTiyn),
      formatTenge(line.amountTiyn),
    ]),
  );

  const rate = formatRate(invoice.vatRateBp);
  totals(
    doc,
    [
      { label: inline('totals.net'), value: formatTenge(invoice.netTiyn) },
      { label: inline('totals.vatAt', { rate }), value: formatTenge(invoice.vatTiyn) },
      { label: inline('invoice.totalDue'), value: formatTenge(invoice.totalTiyn), bold: true },
    ],
    95,
  );

  const vat = formatTenge(invoice.vatTiyn);
  const inWords = {
    kk: both('invoice.inWords', { words: kazakhAmountInWords(invoice.totalTiyn), rate, vat }).kk,
    ru: both('invoice.inWords', { words: amountInWords(invoice.totalTiyn), rate, vat }).ru,
  };
  doc.moveDown(0.6).text(inWords.kk).moveDown(0.2).text(inWords.ru);

  doc.moveDown(1.2);
  const [purpose, crediting] = [both('invoice.purpose', { account }), both('invoice.crediting')];
  for (const language of ['kk', 'ru'] as const)
    doc
      .font(FONT_BOLD)
      .text(purpose[language], { continued: true })
      .font(FONT)
      .text(` ${crediting[language]}`)
      .moveDown(0.2);
  if (invoice.payableBy !== null) {
    const valid = both('invoice.validUntil', { date: formatDate(invoice.payableBy) });
    doc.moveDown(0.4).text(valid.kk).text(valid.ru);
  }

  doc.moveDown(1.5);
  for (const signatory of ['invoice.head', 'vatInvoice.accountant'])
    doc.moveDown(0.6).text(`${inline(signatory)} ${operator.name} ____________________ / ____________________ /`);

  footer(doc, both('invoice.footer'));
  return toBuffer(doc);
}
