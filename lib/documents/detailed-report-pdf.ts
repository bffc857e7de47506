/**
 * The detailed report of 6.9: the primary documents are made for the whole month without
 * a breakdown by orders (6.9), so in a dispute and at the client's request the Operator
 * gives, for the month of an act, the codes by product: its name (6.9.1), its GTIN (6.9.2)
 * and the number of codes emitted for the client's orders (6.9.3), with what was charged.
 */
import { formatRate, formatTenge } from '../money';
import type { OperatorDetails } from '../operator';
import type { ActParty } from './act-pdf';
import {
  FONT,
  FONT_BOLD,
  type Pdf,
  createPdf,
  details,
  formatDate,
  formatQuantity,
  startOfDayKz,
  table,
  toBuffer,
} from './pdf';

export interface DetailedReportRow {
  productName: string;
  gtin: string;
  /** Codes emitted for the client's orders (6.9.3). */
  emitted: number;
  /** Codes paid for (downloaded). */
  charged: number;
  /** The VAT rate of the downloads' dates (6.4); a GTIN downloaded under two rates has a row for each. */
  vatRateBp?: number;
  netTiyn: number;
  vatTiyn: number;
  totalTiyn: number;
}

export interface DetailedReportDocument {
  /** The number of the act the report details. */
  actNumber: string;
  /** YYYY-MM-DD. */
  periodFrom: string;
  /** YYYY-MM-DD. */
  periodTo: string;
  operator: OperatorDetails;
  client: ActParty;
  rows: DetailedReportRow[];
  /** YYYY-MM-DD. */
  issuedOn: string;
}

function section(doc: Pdf, title: string): void {
  doc.moveDown(0.6).font(FONT_BOLD).fontSize(10).text(title).font(FONT).fontSize(9).moveDown(0.2);
}

function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a whole number ≥ 0, got ${value}`);
}

function assertTiyn(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number of tiyn, got ${value}`);
}

export async function renderDetailedReportPdf(report: DetailedReportDocument): Promise<Buffer> {
  formatDate(report.issuedOn);
  if (report.periodFrom > report.periodTo)
    throw new RangeError(`the period starts ${report.periodFrom} after it ends ${report.periodTo}`);
  const sum = { emitted: 0, charged: 0, net: 0, vat: 0, total: 0 };
  report.rows.forEach((row, i) => {
    const what = `report row ${i + 1}`;
    assertCount(row.emitted, `${what} emitted`);
    assertCount(row.charged, `${what} charged`);
    assertTiyn(row.netTiyn, `${what} net`);
    assertTiyn(row.vatTiyn, `${what} VAT`);
    assertTiyn(row.totalTiyn, `${what} total`);
    if (row.netTiyn + row.vatTiyn !== row.totalTiyn)
      throw new RangeError(`${what}: net ${row.netTiyn} + VAT ${row.vatTiyn} ≠ total ${row.totalTiyn}`);
    sum.emitted += row.emitted;
    sum.charged += row.charged;
    sum.net += row.netTiyn;
    sum.vat += row.vatTiyn;
    sum.total += row.totalTiyn;
  });

  const { operator, client } = report;
  const period = `с ${formatDate(report.periodFrom)} по ${formatDate(report.periodTo)}`;
  const title = `Детальный отчёт к акту № ${report.actNumber} за период ${period}`;
  const doc = createPdf({
    title,
    author: operator.name,
    subject: 'Детальный отчёт (п. 6.9 Договора)',
    createdAt: startOfDayKz(report.issuedOn),
  });

  doc.font(FONT_BOLD).fontSize(14).text(title, { align: 'center' }).font(FONT).fontSize(10);
  doc
    .text(`сформирован ${formatDate(report.issuedOn)} по запросу Заказчика (п. 6.9 Договора)`, { align: 'center' })
    .fontSize(9);
  doc.text('Каждая строка оценена по тарифу и ставке НДС на даты скачивания кодов (п. 6.4 Договора).', {
    align: 'center',
  });

  section(doc, 'Исполнитель');
  details(doc, [
    ['Наименование', operator.name],
    ['БИН', operator.binIin],
  ]);
  section(doc, 'Заказчик');
  details(doc, [
    ['Наименование', client.name],
    ['БИН/ИИН', client.binIin],
  ]);

  doc.moveDown(0.8);
  // 7.5 pt: a 14-digit GTIN and amounts below a billion tenge stay on one line.
  doc.fontSize(7.5);
  table(
    doc,
    [
      { header: '№', width: 18, align: 'right' },
      { header: 'Наименование товара' },
      { header: 'GTIN', width: 74 },
      { header: 'Эмитировано кодов', width: 64, align: 'right' },
      { header: 'Оплачено (скачано)', width: 54, align: 'right' },
      { header: 'Без НДС, тенге', width: 66, align: 'right' },
      { header: 'Ставка НДС', width: 34, align: 'right' },
      { header: 'НДС, тенге', width: 62, align: 'right' },
      { header: 'Всего, тенге', width: 66, align: 'right' },
    ],
    [
      ...report.rows.map((row, i) => [
        String(i + 1),
        row.productName,
        row.gtin,
        formatQuantity(row.emitted),
        formatQuantity(row.charged),
        formatTenge(row.netTiyn),
        row.vatRateBp === undefined ? '' : formatRate(row.vatRateBp),
        formatTenge(row.vatTiyn),
        formatTenge(row.totalTiyn),
      ]),
      [
        '',
        'Итого',
        '',
        formatQuantity(sum.emitted),
        formatQuantity(sum.charged),
        formatTenge(sum.net),
        '',
        formatTenge(sum.vat),
        formatTenge(sum.total),
      ],
    ],
  );
  doc.fontSize(9);

  doc
    .moveDown(1.5)
    .fontSize(7)
    .fillColor('#666666')
    .text('Документ сформирован ИС МПТ автоматически (п. 6.9 Договора)')
    .fillColor('black')
    .fontSize(9);
  return toBuffer(doc);
}
