/**
 * «Счёт на оплату»: the invoice for an advance on a personal account, as a PDF in Russian.
 * The payer must name the personal account in the payment purpose; that is what lets an
 * incoming payment be matched and credited to the account automatically (6.2).
 */
import { amountInWords, formatTenge } from '../money';
import type { OperatorDetails } from '../operator';
import { clientRequisites, type ClientRequisites, operatorRequisites } from './requisites';
import {
  FONT,
  FONT_BOLD,
  type Pdf,
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
  name: string;
  quantity: number;
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
  /** The contract the invoice is issued under, as it should read on the invoice. */
  contract: string;
  lines: InvoiceLine[];
  netTiyn: number;
  /** Basis points: 1600 = 16%. */
  vatRateBp: number;
  vatTiyn: number;
  totalTiyn: number;
}

function section(doc: Pdf, title: string): void {
  doc.moveDown(0.6).font(FONT_BOLD).fontSize(10).text(title).font(FONT).fontSize(9).moveDown(0.2);
}

export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  const { operator, client } = invoice;
  const title = `Счёт на оплату № ${invoice.number} от ${formatDate(invoice.issuedOn)}`;
  const doc = createPdf({
    title,
    author: operator.name,
    subject: `Лицевой счёт ${invoice.personalAccount}`,
    createdAt: startOfDayKz(invoice.issuedOn),
  });

  doc.font(FONT_BOLD).fontSize(14).text(title, { align: 'center' }).font(FONT).fontSize(9);

  section(doc, 'Поставщик');
  details(doc, [...operatorRequisites(operator), ['КНП', operator.knp]]);

  section(doc, 'Покупатель');
  details(doc, clientRequisites(client));

  section(doc, 'Договор');
  doc.text(invoice.contract);
  doc.moveDown(0.8);

  table(
    doc,
    [
      { header: '№', width: 25, align: 'right' },
      { header: 'Наименование' },
      { header: 'Кол-во', width: 65, align: 'right' },
      { header: 'Ед.', width: 35 },
      { header: 'Цена без НДС, тенге', width: 80, align: 'right' },
      { header: 'Сумма без НДС, тенге', width: 95, align: 'right' },
    ],
    invoice.lines.map((line, i) => [
      String(i + 1),
      line.name,
      formatQuantity(line.quantity),
      line.unit,
      formatTenge(line.priceTiyn),
      formatTenge(line.amountTiyn),
    ]),
  );

  totals(
    doc,
    [
      { label: 'Итого без НДС', value: formatTenge(invoice.netTiyn) },
      { label: `НДС ${formatRate(invoice.vatRateBp)}`, value: formatTenge(invoice.vatTiyn) },
      { label: 'Всего к оплате', value: formatTenge(invoice.totalTiyn), bold: true },
    ],
    95,
  );

  doc
    .moveDown(0.6)
    .text(
      `Всего к оплате: ${amountInWords(invoice.totalTiyn)}, в том числе НДС ${formatRate(invoice.vatRateBp)} — ${formatTenge(invoice.vatTiyn)} тенге.`,
    );

  doc.moveDown(1.2);
  doc
    .font(FONT_BOLD)
    .text(`В назначении платежа укажите номер лицевого счёта ${invoice.personalAccount}.`, { continued: true })
    .font(FONT)
    .text(' Оплата зачисляется на лицевой счёт после поступления денег на счёт Оператора (п. 6.2 Договора).');
  if (invoice.payableBy !== null) doc.moveDown(0.4).text(`Счёт действителен до ${formatDate(invoice.payableBy)}.`);

  doc.moveDown(1.5);
  for (const signatory of ['Руководитель', 'Главный бухгалтер'])
    doc.moveDown(0.6).text(`${signatory} ${operator.name} ____________________ / ____________________ /`);

  doc
    .moveDown(1.5)
    .fontSize(7)
    .fillColor('#666666')
    .text('Документ сформирован ИС МПТ автоматически (Прил. 2 п. 6)')
    .fillColor('black')
    .fontSize(9);

  return toBuffer(doc);
}
