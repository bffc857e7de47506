/**
 * The detailed report of 6.9: the primary documents are made for the whole month without
 * a breakdown by orders (6.9), so in a dispute and at the client's request the Operator
 * gives, for the month of an act, the codes by product: its name (6.9.1), its GTIN (6.9.2)
 * and the number of codes emitted for the client's orders (6.9.3), with what was charged — in
 * Kazakh and Russian (Kazakh first: ./bilingual.ts).
 */
import { formatRate, formatTenge } from '../money';
import type { OperatorDetails } from '../operator';
import type { ActParty } from './act-pdf';
import { both, footer, heading, inline, label, section } from './bilingual';
import { REQUISITES_LABEL_WIDTH } from './requisites';
import { createPdf, details, formatDate, formatQuantity, startOfDayKz, table, toBuffer } from './pdf';

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
  const period = { from: formatDate(report.periodFrom), to: formatDate(report.periodTo) };
  const title = both('detailedReport.title', { number: report.actNumber, ...period });
  const doc = createPdf({
    title: `${title.kk} / ${title.ru}`,
    author: operator.name,
    subject: inline('detailedReport.subject'),
    createdAt: startOfDayKz(report.issuedOn),
  });

  heading(doc, title, both('detailedReport.made', { date: formatDate(report.issuedOn) }));
  const pricing = both('detailedReport.pricing');
  doc.text(pricing.kk, { align: 'center' }).text(pricing.ru, { align: 'center' });

  section(doc, both('act.executor'));
  details(
    doc,
    [
      [inline('requisites.name'), operator.name],
      [inline('requisites.bin'), operator.binIin],
    ],
    REQUISITES_LABEL_WIDTH,
  );
  section(doc, both('act.customer'));
  details(
    doc,
    [
      [inline('requisites.name'), client.name],
      [inline('requisites.binIin'), client.binIin],
    ],
    REQUISITES_LABEL_WIDTH,
  );

  doc.moveDown(0.8);
  // 7.5 pt: a 14-digit GTIN and amounts below a billion tenge stay on one line.
  doc.fontSize(7.5);
  table(
    doc,
    [
      { header: '№', width: 18, align: 'right' },
      { header: label('detailedReport.product') },
      { header: 'GTIN', width: 74 },
      { header: label('detailedReport.emitted'), width: 64, align: 'right' },
      { header: label('detailedReport.charged'), width: 54, align: 'right' },
      { header: label('detailedReport.net'), width: 66, align: 'right' },
      { header: label('detailedReport.vatRate'), width: 40, align: 'right' },
      { header: label('detailedReport.vat'), width: 62, align: 'right' },
      { header: label('detailedReport.total'), width: 66, align: 'right' },
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
        label('detailedReport.totalRow'),
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

  footer(doc, both('detailedReport.footer'));
  return toBuffer(doc);
}
