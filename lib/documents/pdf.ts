/**
 * The shared base of the PDF documents the Operator issues (invoices, monthly acts,
 * reconciliation acts): an A4 pdfkit document with DejaVu Sans (pdfkit's built-in
 * Helvetica has no Cyrillic), a table, a label-value block, a totals block, and rendering
 * to a Buffer.
 *
 * Output is deterministic for a given input: the creation date comes from the caller and
 * pdfkit derives the file ID from the metadata, so the same document renders to the same
 * bytes.
 */
import PDFDocument from 'pdfkit';
import { dejaVu, defaultFont, registerParsedFont } from './fonts';
export { formatRate } from '../money';

export type Pdf = PDFKit.PDFDocument;

export const FONT = 'DejaVuSans';
export const FONT_BOLD = 'DejaVuSans-Bold';
export const FONT_SIZE = 9;

const MARGIN = 40;
/** Inner padding of table cells, points. */
const CELL_PADDING = 3;
const LINE_COLOR = '#999999';

export interface PdfMetadata {
  title: string;
  /** The issuer, normally the Operator's name. */
  author: string;
  subject?: string;
  /** Written as the document's CreationDate; never the current time, so output is reproducible. */
  createdAt: Date;
}

/** A new A4 document with the DejaVu fonts registered and selected, and the given metadata. */
export function createPdf(meta: PdfMetadata): Pdf {
  const info: PDFKit.DocumentInfo = {
    Title: meta.title,
    Author: meta.author,
    Creator: meta.author,
    Producer: 'PDFKit',
    CreationDate: meta.createdAt,
    ModDate: meta.createdAt,
  };
  if (meta.subject !== undefined) info.Subject = meta.subject;
  const regular = dejaVu('DejaVuSans.ttf');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: true,
    info,
    displayTitle: true,
    lang: 'ru-RU',
    ...defaultFont(regular), // not Helvetica, whose metrics pdfkit would read for every document
  });
  registerParsedFont(doc, FONT, regular);
  registerParsedFont(doc, FONT_BOLD, dejaVu('DejaVuSans-Bold.ttf'));
  return doc.font(FONT).fontSize(FONT_SIZE);
}

/** Ends the document and resolves with its bytes. */
export function toBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** Width between the left and right margins. */
export function contentWidth(doc: Pdf): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

/** Starts a new page unless `height` more points fit above the bottom margin. */
export function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.maxY()) doc.addPage();
}

export interface Column {
  header: string;
  /** Points; a column without a width takes what the others leave of the content width. */
  width?: number;
  /** 'right' for numbers. */
  align?: 'left' | 'center' | 'right';
}

function columnWidths(doc: Pdf, columns: Column[]): number[] {
  const fixed = columns.reduce((sum, c) => sum + (c.width ?? 0), 0);
  const flexible = columns.filter((c) => c.width === undefined).length;
  const rest = flexible > 0 ? (contentWidth(doc) - fixed) / flexible : 0;
  return columns.map((c) => c.width ?? rest);
}

/**
 * A table at the current position: a bold header row, one line under every row, long cells
 * wrapped. A row that does not fit goes to the next page, which repeats the header.
 */
export function table(doc: Pdf, columns: Column[], rows: string[][]): void {
  const widths = columnWidths(doc, columns);
  const left = doc.page.margins.left;
  const right = left + widths.reduce((a, b) => a + b, 0);

  const rowHeight = (cells: string[], font: string): number => {
    doc.font(font);
    return (
      Math.max(...cells.map((text, i) => doc.heightOfString(text, { width: widths[i] - 2 * CELL_PADDING }))) +
      2 * CELL_PADDING
    );
  };

  const rule = (y: number): void => {
    doc.save().lineWidth(0.5).strokeColor(LINE_COLOR).moveTo(left, y).lineTo(right, y).stroke().restore();
  };

  const drawRow = (cells: string[], font: string): void => {
    const height = rowHeight(cells, font);
    const top = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      doc.text(text, x + CELL_PADDING, top + CELL_PADDING, {
        width: widths[i] - 2 * CELL_PADDING,
        align: columns[i].align ?? 'left',
      });
      x += widths[i];
    });
    rule(top + height);
    doc.y = top + height;
  };

  const header = columns.map((c) => c.header);
  const drawHeader = (): void => {
    rule(doc.y);
    drawRow(header, FONT_BOLD);
  };

  for (const row of rows) {
    if (row.length !== columns.length)
      throw new RangeError(`a table row has ${row.length} cells, the table ${columns.length} columns`);
  }
  // Keep the header together with the first row.
  ensureSpace(doc, rowHeight(header, FONT_BOLD) + (rows.length > 0 ? rowHeight(rows[0], FONT) : 0));
  drawHeader();
  for (const row of rows) {
    if (doc.y + rowHeight(row, FONT) > doc.page.maxY()) {
      doc.addPage();
      drawHeader();
    }
    drawRow(row, FONT);
  }
  doc.font(FONT);
  doc.x = left;
}

/**
 * Label-value lines («БИН: 941240000193»): labels in a column of `labelWidth` points,
 * values wrapped in the rest of the line.
 */
export function details(doc: Pdf, lines: Array<[label: string, value: string]>, labelWidth = 130): void {
  const left = doc.page.margins.left;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of lines) {
    const labelText = `${label}:`;
    const height = Math.max(
      doc.font(FONT).heightOfString(labelText, { width: labelWidth - CELL_PADDING }),
      doc.heightOfString(value, { width: valueWidth }),
    );
    ensureSpace(doc, height);
    const top = doc.y;
    doc.fillColor('#444444').text(labelText, left, top, { width: labelWidth - CELL_PADDING });
    doc.fillColor('black').text(value, left + labelWidth, top, { width: valueWidth });
    doc.y = top + height + 1;
  }
  doc.x = left;
}

export interface TotalLine {
  label: string;
  value: string;
  bold?: boolean;
}

/** Totals under a table: labels right-aligned against a right-aligned value column of `valueWidth` points. */
export function totals(doc: Pdf, lines: TotalLine[], valueWidth = 110): void {
  const left = doc.page.margins.left;
  const labelWidth = contentWidth(doc) - valueWidth - CELL_PADDING;
  const heightOf = (line: TotalLine): number =>
    doc.font(line.bold ? FONT_BOLD : FONT).heightOfString(line.value, { width: valueWidth - CELL_PADDING });
  // The totals stay together on one page.
  ensureSpace(
    doc,
    lines.reduce((sum, line) => sum + CELL_PADDING + heightOf(line), 0),
  );
  for (const line of lines) {
    const height = heightOf(line);
    const top = doc.y + CELL_PADDING;
    doc.text(`${line.label}:`, left, top, { width: labelWidth, align: 'right' });
    doc.text(line.value, left + labelWidth + CELL_PADDING, top, { width: valueWidth - CELL_PADDING, align: 'right' });
    doc.y = top + height;
  }
  doc.font(FONT);
  doc.x = left;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** '2026-03-14' → '14.03.2026'. */
export function formatDate(isoDate: string): string {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got ${isoDate}`);
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** The start of a calendar day in Kazakhstan (UTC+5), e.g. for a document's creation date. */
export function startOfDayKz(isoDate: string): Date {
  formatDate(isoDate); // validates
  return new Date(`${isoDate}T00:00:00+05:00`);
}

/** 1000000 → '1 000 000' (no-break spaces, as formatTenge groups), 2.5 → '2,5'. */
export function formatQuantity(quantity: number): string {
  if (!Number.isFinite(quantity)) throw new RangeError(`a quantity must be a finite number, got ${quantity}`);
  const [whole, fraction] = String(quantity).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return fraction ? `${grouped},${fraction}` : grouped;
}
