/**
 * The monthly primary documents (6.5): «Акт выполненных работ (оказанных услуг)» for a
 * calendar month and the «Счёт-фактура» (VAT invoice) issued with it, as PDFs in Kazakh and
 * Russian (the law «О языках в Республике Казахстан», art. 21): each heading and paragraph in
 * Kazakh, then in Russian; each label with the Kazakh above the Russian (./bilingual.ts).
 *
 * The act states the three figures of 6.5 — the number of codes whose service counts as
 * rendered (6.5.1), their cost (6.5.2) and the total volume of services (6.5.3) — and the
 * signing rule of 6.8: the client signs with EDS or sends a motivated refusal within
 * 5 working days, otherwise the services count as rendered and the act as signed.
 *
 * The documents are built from figures the caller computed; the renderer only checks they
 * agree with each other (net + VAT = total, the lines add up to the totals), because a
 * primary document whose table does not add up must not be issued.
 */
import { formatTenge } from '../money';
import type { OperatorDetails } from '../operator';
import { both, type Both, cell, footer, heading, inline, label, paragraph, section, signature } from './bilingual';
import { clientRequisites, type ClientRequisites, operatorRequisites, REQUISITES_LABEL_WIDTH } from './requisites';
import {
  type Column,
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

export type ActParty = ClientRequisites;

/** One line of the act: a service with its net amount, VAT at its rate and the total. */
export interface ActLine {
  /** In Russian; printed in Kazakh above it when the documents catalogue knows it (`service.*`: ./bilingual.ts `cell`). */
  name: string;
  quantity: number;
  /** In Russian, like the name (`unit.*`). */
  unit: string;
  /** Price per unit excluding VAT. */
  priceTiyn: number;
  netTiyn: number;
  /** Basis points: 1600 = 16%. */
  vatRateBp: number;
  vatTiyn: number;
  totalTiyn: number;
}

export interface ActDocument {
  /** E.g. 'АВР-2026-000012'. */
  number: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** YYYY-MM-DD, the first day of the month. */
  periodFrom: string;
  /** YYYY-MM-DD, the last day of the month. */
  periodTo: string;
  /** 1 = the original act; 2 and more = a corrected act («Исправленный акт № … взамен акта № …»). */
  revision: number;
  /** The number of the act this one corrects; required from revision 2. */
  replaces?: string | null;
  /** A supplementary act: the number of the month's act whose services it adds to (6.5). */
  supplements?: string | null;
  operator: OperatorDetails;
  client: ActParty;
  /** The contract's name and joining date, as it should read on the act, in Kazakh and in Russian. */
  contract: Both;
  lines: ActLine[];
  /** 6.5.1: the number of codes whose service counts as rendered. */
  codes: number;
  /** 6.5.2, 6.5.3. */
  netTiyn: number;
  vatTiyn: number;
  totalTiyn: number;
  /** An ISO instant with an offset: the client signs or refuses by then (6.8). */
  signingDeadline: string;
}

/** «Счёт-фактура» issued with an act; the turnover date is the last day of the act's period. */
export interface VatInvoiceDocument {
  number: string;
  /** YYYY-MM-DD. */
  issuedOn: string;
  /** YYYY-MM-DD, «дата совершения оборота»: the last day of the act's period. */
  turnoverDate: string;
  act: ActDocument;
}

/** Kazakhstan has been on a single time zone, UTC+5, since 1 March 2024. */
const ASTANA_OFFSET_MS = 5 * 3_600_000;
const ISO_INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** '2026-04-09T18:00:00+05:00' → '09.04.2026 18:00', Astana time (UTC+5) whatever the input offset. */
function formatInstantAstana(iso: string): string {
  const ms = Date.parse(iso);
  if (!ISO_INSTANT_WITH_OFFSET.test(iso) || Number.isNaN(ms))
    throw new RangeError(`expected an ISO instant with an offset, got ${iso}`);
  const local = new Date(ms + ASTANA_OFFSET_MS);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(local.getUTCDate())}.${pad(local.getUTCMonth() + 1)}.${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
}

function assertTiyn(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number of tiyn, got ${value}`);
}

/** Throws a RangeError unless the act's figures agree with each other. */
function validateAct(act: ActDocument): void {
  if (!Number.isSafeInteger(act.revision) || act.revision < 1)
    throw new RangeError(`an act's revision must be a whole number ≥ 1, got ${act.revision}`);
  if (act.revision >= 2 && !act.replaces && !act.supplements)
    throw new RangeError(
      `corrected or supplementary act ${act.number} (revision ${act.revision}) must name the act it replaces or supplements`,
    );
  formatDate(act.issuedOn);
  formatDate(act.periodFrom);
  formatDate(act.periodTo);
  if (act.periodFrom > act.periodTo)
    throw new RangeError(`the act's period starts ${act.periodFrom} after it ends ${act.periodTo}`);
  formatInstantAstana(act.signingDeadline);
  if (!Number.isSafeInteger(act.codes) || act.codes < 0)
    throw new RangeError(`the number of codes must be a whole number ≥ 0, got ${act.codes}`);

  const sum = { net: 0, vat: 0, total: 0 };
  act.lines.forEach((line, i) => {
    const what = `act line ${i + 1}`;
    assertTiyn(line.priceTiyn, `${what} price`);
    assertTiyn(line.netTiyn, `${what} net`);
    assertTiyn(line.vatTiyn, `${what} VAT`);
    assertTiyn(line.totalTiyn, `${what} total`);
    if (line.netTiyn + line.vatTiyn !== line.totalTiyn) {
      throw new RangeError(`${what}: net ${line.netTiyn} + VAT ${line.vatTiyn} ≠ total ${line.totalTiyn}`);
    }
    sum.net += line.netTiyn;
    sum.vat += line.vatTiyn;
    sum.total += line.totalTiyn;
  });
  assertTiyn(act.netTiyn, 'act net');
  assertTiyn(act.vatTiyn, 'act VAT');
  assertTiyn(act.totalTiyn, 'act total');
  if (act.netTiyn + act.vatTiyn !== act.totalTiyn)
    throw new RangeError(`act ${act.number}: net ${act.netTiyn} + VAT ${act.vatTiyn} ≠ total ${act.totalTiyn}`);
  if (sum.net !== act.netTiyn || sum.vat !== act.vatTiyn || sum.total !== act.totalTiyn) {
    throw new RangeError(
      `act ${act.number}: the lines add up to net ${sum.net}, VAT ${sum.vat}, total ${sum.total}; the act says ${act.netTiyn}, ${act.vatTiyn}, ${act.totalTiyn}`,
    );
  }
}

function actTitle(act: ActDocument): Both {
  const [number, date] = [act.number, formatDate(act.issuedOn)];
  if (act.supplements) return both('act.titleSupplementary', { number, date, supplements: act.supplements });
  return act.revision >= 2
    ? both('act.titleCorrected', { number, date, replaces: act.replaces ?? '' })
    : both('act.title', { number, date });
}

const periodOf = (act: ActDocument) => ({ from: formatDate(act.periodFrom), to: formatDate(act.periodTo) });

/** «НДС 16%» when every line has the same rate, otherwise «НДС»: in both languages, on one line. */
function vatLabel(lines: ActLine[]): string {
  const rates = new Set(lines.map((line) => line.vatRateBp));
  return rates.size === 1 ? inline('totals.vatAt', { rate: formatRate(lines[0].vatRateBp) }) : inline('totals.vat');
}

/** The nine-column table of the act and the VAT invoice, in 8 pt so that amounts below a billion tenge stay on one line. */
function linesTable(doc: Pdf, nameHeader: string, lines: ActLine[]): void {
  const columns: Column[] = [
    { header: '№', width: 18, align: 'right' },
    { header: nameHeader },
    { header: label('lines.quantity'), width: 46, align: 'right' },
    { header: label('lines.unit'), width: 34 },
    { header: label('lines.price'), width: 48, align: 'right' },
    { header: label('lines.net'), width: 62, align: 'right' },
    { header: label('lines.vatRate'), width: 72, align: 'right' },
    { header: label('lines.vat'), width: 62, align: 'right' },
    { header: label('lines.total'), width: 66, align: 'right' },
  ];
  // 7 pt: the service's name in both languages, and the headers' longest Kazakh words («мөлшерлемесі»), fit their columns.
  doc.fontSize(7);
  table(
    doc,
    columns,
    lines.map((line, i) => [
      String(i + 1),
      cell(line.name),
      formatQuantity(line.quantity),
      cell(line.unit),
      formatTenge(line.priceTiyn),
      formatTenge(line.netTiyn),
      formatRate(line.vatRateBp),
      formatTenge(line.vatTiyn),
      formatTenge(line.totalTiyn),
    ]),
  );
  doc.fontSize(9);
}

function amountTotals(doc: Pdf, act: ActDocument): void {
  totals(
    doc,
    [
      { label: inline('totals.net'), value: formatTenge(act.netTiyn) },
      { label: vatLabel(act.lines), value: formatTenge(act.vatTiyn) },
      { label: inline('totals.total'), value: formatTenge(act.totalTiyn), bold: true },
    ],
    95,
  );
}

export async function renderActPdf(act: ActDocument): Promise<Buffer> {
  validateAct(act);
  const { operator, client } = act;
  const title = actTitle(act);
  const doc = createPdf({
    title: `${title.kk} / ${title.ru}`,
    author: operator.name,
    subject: inline('act.subject', periodOf(act)),
    createdAt: startOfDayKz(act.issuedOn),
  });

  heading(doc, title, both(act.revision >= 2 ? 'act.periodOfWorks' : 'act.period', periodOf(act)));

  section(doc, both('act.executor'));
  details(doc, operatorRequisites(operator, { labels: 'kk+ru' }), REQUISITES_LABEL_WIDTH);

  section(doc, both('act.customer'));
  details(doc, clientRequisites(client, { labels: 'kk+ru' }), REQUISITES_LABEL_WIDTH);

  section(doc, both('act.contract'));
  paragraph(doc, act.contract);
  doc.moveDown(0.8);

  linesTable(doc, label('act.linesName'), act.lines);
  amountTotals(doc, act);

  doc.moveDown(1);
  paragraph(doc, both('act.codes', { codes: formatQuantity(act.codes) }));
  paragraph(doc, both('act.cost', { net: formatTenge(act.netTiyn) }));
  paragraph(doc, both('act.volume', { total: formatTenge(act.totalTiyn), vat: formatTenge(act.vatTiyn) }));

  doc.moveDown(0.8);
  paragraph(doc, both('act.signing', { deadline: formatInstantAstana(act.signingDeadline) }));

  doc.moveDown(1.2);
  signature(doc, 'act.fromExecutor', both('signedWithEds'), operator.name);
  doc.moveDown(0.6);
  const blank = '______________________';
  signature(doc, 'act.fromCustomer', { kk: blank, ru: blank }, client.name);

  footer(doc, both('act.footer'));
  return toBuffer(doc);
}

export async function renderVatInvoicePdf(invoice: VatInvoiceDocument): Promise<Buffer> {
  const { act } = invoice;
  validateAct(act);
  formatDate(invoice.issuedOn);
  formatDate(invoice.turnoverDate);
  if (invoice.turnoverDate !== act.periodTo) {
    throw new RangeError(
      `the turnover date ${invoice.turnoverDate} must be the last day of the act's period, ${act.periodTo}`,
    );
  }
  const { operator, client } = act;
  const title = both('vatInvoice.title', { number: invoice.number, date: formatDate(invoice.issuedOn) });
  const doc = createPdf({
    title: `${title.kk} / ${title.ru}`,
    author: operator.name,
    subject: inline('vatInvoice.subject', { number: act.number, ...periodOf(act) }),
    createdAt: startOfDayKz(invoice.issuedOn),
  });

  heading(doc, title);
  doc.moveDown(0.4);
  const basis = both(act.revision >= 2 ? 'vatInvoice.basisCorrectedAct' : 'vatInvoice.basisAct', {
    number: act.number,
    date: formatDate(act.issuedOn),
    ...periodOf(act),
  });
  details(
    doc,
    [
      [inline('vatInvoice.turnoverDate'), formatDate(invoice.turnoverDate)],
      [inline('vatInvoice.basis'), `${basis.kk}\n${basis.ru}`],
      [inline('act.contract'), `${act.contract.kk}\n${act.contract.ru}`],
    ],
    REQUISITES_LABEL_WIDTH,
  );

  section(doc, both('vatInvoice.supplier'));
  details(doc, operatorRequisites(operator, { beneficiary: false, labels: 'kk+ru' }), REQUISITES_LABEL_WIDTH);

  section(doc, both('vatInvoice.recipient'));
  details(doc, clientRequisites(client, { kbe: false, labels: 'kk+ru' }), REQUISITES_LABEL_WIDTH);

  doc.moveDown(0.8);
  linesTable(doc, label('vatInvoice.linesName'), act.lines);
  amountTotals(doc, act);

  doc.moveDown(1.2);
  signature(doc, 'vatInvoice.head', both('signedWithEds'));
  signature(doc, 'vatInvoice.accountant', both('signedWithEds'));

  footer(doc, both('act.footer'));
  return toBuffer(doc);
}
