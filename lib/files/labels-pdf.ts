/**
 * Label sheets: a PDF with one label per code in a grid (by default 4 × 10 labels of
 * 48.5 × 25.4 mm on A4, a common self-adhesive sheet). Each label carries the DataMatrix and,
 * under it, the КИ (01)GTIN(21)SERIAL, the part people and documents use, in monospace so 0/O
 * and 1/l/I stay apart; then the product's name (from the client's product card for the GTIN,
 * when given), shortened with «…» to one line; the verification part (91)…(92)… follows in
 * small type when the label has room left for it.
 *
 * The symbols are vector modules (one fill of horizontal runs each), sharp at any printer
 * resolution, no PNG made and embedded per label: a page's symbols are one Form XObject whose
 * content the pool's threads encode, draw and deflate, while the main thread lays out the text.
 * The document is written page by page: a page's codes are read and encoded only when the
 * reader has taken the pages before (a page ahead per thread), so memory does not grow with
 * the number of codes. The grid is centred on the page, as on label sheets.
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import { parseMarkingCode } from '../codes/marking-code';
import { dejaVu, registerParsedFont, rememberingLayout } from '../documents/fonts';
import { inline } from '../documents/bilingual';
import { renderedBatches, type RenderPool } from './render-pool';
import { canonicalCodes } from './zip';

export interface LabelLayout {
  page: 'A4' | 'A5' | 'LETTER';
  columns: number;
  rows: number;
  labelWidthMm: number;
  labelHeightMm: number;
  /** The least distance from the page edge to the labels (printers do not print to the edge). */
  marginMm: number;
  /** The printed square of the DataMatrix, its one-module quiet zone included. */
  symbolSizeMm: number;
}

export const DEFAULT_LABEL_LAYOUT: LabelLayout = Object.freeze({
  page: 'A4',
  columns: 4,
  rows: 10,
  labelWidthMm: 48.5,
  labelHeightMm: 25.4,
  marginMm: 5,
  symbolSizeMm: 15,
});

/** Page sizes in millimetres, portrait. */
const PAGES: Record<LabelLayout['page'], { width: number; height: number }> = {
  A4: { width: 210, height: 297 },
  A5: { width: 148, height: 210 },
  LETTER: { width: 215.9, height: 279.4 },
};

/** DejaVu Sans Mono, the monospaced member of the family lib/documents/pdf.ts uses: codes read best with fixed-width glyphs. */
const MONO = 'DejaVuSansMono';
/** The product's name: DejaVu Sans (Cyrillic), proportional. */
const SANS = 'DejaVuSans';
/** The name line: as large as NAME_MAX_PT, never below NAME_MIN_PT (it is shortened instead). */
const NAME_MAX_PT = 6;
const PT_PER_MM = 72 / 25.4;
/** Blank border inside a label (cutting tolerance), mm. */
const LABEL_PADDING_MM = 1.5;
/** Between the symbol and the text, mm. */
const GAP_MM = 0.8;
/** Below about 10 mm the modules of a 36 × 36 symbol get smaller than a quarter millimetre. */
const MIN_SYMBOL_MM = 10;
/** The КИ line: as large as the label width allows up to KI_MAX_PT, never below KI_MIN_PT. */
const KI_MAX_PT = 7;
const KI_MIN_PT = 4.5;
/** The verification part, when it fits. */
const TAIL_PT = 4.5;
/**
 * DejaVu Sans Mono's advance (every glyph's) and line height with its gap, as pdfkit computes it, in em: to size the
 * КИ line before any document exists, and to centre monospaced text without laying it out.
 */
const monoMetrics = (() => {
  let metrics: { advanceEm: number; lineEm: number } | undefined;
  return () => {
    if (!metrics) {
      const font = dejaVu('DejaVuSansMono.ttf');
      metrics = {
        advanceEm: font.getGlyph(font.glyphForCodePoint(0x30).id).advanceWidth / font.unitsPerEm,
        lineEm: (font.ascent + font.lineGap - font.descent) / font.unitsPerEm,
      };
    }
    return metrics;
  };
})();
/** (01) + 14 + (21) + 13. */
const KI_TEXT_LENGTH = 35;

const positive = (value: number) => Number.isFinite(value) && value > 0;

/** The layout with defaults filled in; RangeError with the reason when labels do not fit. */
export function resolveLayout(partial: Partial<LabelLayout> = {}): LabelLayout {
  const layout: LabelLayout = { ...DEFAULT_LABEL_LAYOUT, ...partial };
  const page = PAGES[layout.page];
  if (!page) throw new RangeError(`unknown page size "${String(layout.page)}"; use ${Object.keys(PAGES).join(', ')}`);
  for (const key of ['columns', 'rows'] as const) {
    if (!Number.isInteger(layout[key]) || layout[key] < 1)
      throw new RangeError(`${key} must be a whole number ≥ 1, got ${layout[key]}`);
  }
  for (const key of ['labelWidthMm', 'labelHeightMm', 'symbolSizeMm'] as const) {
    if (!positive(layout[key]))
      throw new RangeError(`${key} must be a positive number of millimetres, got ${layout[key]}`);
  }
  if (!Number.isFinite(layout.marginMm) || layout.marginMm < 0)
    throw new RangeError(`marginMm must be ≥ 0, got ${layout.marginMm}`);

  const fit = (count: number, size: number, pageSize: number, what: string, dimension: string): void => {
    const needed = count * size + 2 * layout.marginMm;
    if (needed > pageSize + 1e-9) {
      throw new RangeError(
        `the labels do not fit the page: ${count} ${what} of ${size} mm and 2 × ${layout.marginMm} mm margins need ${round(needed)} mm, ` +
          `${layout.page} is ${pageSize} mm ${dimension}`,
      );
    }
  };
  fit(layout.columns, layout.labelWidthMm, page.width, 'columns', 'wide');
  fit(layout.rows, layout.labelHeightMm, page.height, 'rows', 'high');

  if (layout.symbolSizeMm < MIN_SYMBOL_MM)
    throw new RangeError(
      `symbolSizeMm must be at least ${MIN_SYMBOL_MM} mm to scan reliably, got ${layout.symbolSizeMm}`,
    );
  const innerWidth = layout.labelWidthMm - 2 * LABEL_PADDING_MM;
  const innerHeight = layout.labelHeightMm - 2 * LABEL_PADDING_MM;
  if (layout.symbolSizeMm > innerWidth) {
    throw new RangeError(
      `the symbol (${layout.symbolSizeMm} mm) does not fit the label width (${layout.labelWidthMm} mm, ${round(innerWidth)} mm inside the border)`,
    );
  }
  if (kiFontSize(layout) < KI_MIN_PT) {
    throw new RangeError(
      `a label ${layout.labelWidthMm} mm wide has no room for a readable КИ line (${KI_TEXT_LENGTH} characters at ${KI_MIN_PT} pt)`,
    );
  }
  const kiHeightMm = (kiFontSize(layout) * monoMetrics().lineEm) / PT_PER_MM;
  if (layout.symbolSizeMm + GAP_MM + kiHeightMm > innerHeight + 1e-9) {
    throw new RangeError(
      `the symbol (${layout.symbolSizeMm} mm) and the КИ line under it (${round(GAP_MM + kiHeightMm)} mm) do not fit a label ${layout.labelHeightMm} mm high ` +
        `(${round(innerHeight)} mm inside the border)`,
    );
  }
  return layout;
}

const round = (mm: number) => Math.round(mm * 10) / 10;

/** The КИ font size: the largest up to KI_MAX_PT whose line fits the label's inner width. */
function kiFontSize(layout: LabelLayout): number {
  const widthPt = (layout.labelWidthMm - 2 * LABEL_PADDING_MM) * PT_PER_MM;
  return Math.min(KI_MAX_PT, Math.floor((widthPt / (KI_TEXT_LENGTH * monoMetrics().advanceEm)) * 10) / 10);
}

type Doc = PDFKit.PDFDocument;

/** Names already fitted in a document, by width and name: every label of a GTIN prints the same. */
const fittedNames = new WeakMap<Doc, Map<string, string>>();

/** `text` cut with «…» to fit `width` points in the current font (one font and size per document). */
function fitted(doc: Doc, text: string, width: number): string {
  let names = fittedNames.get(doc);
  if (!names) fittedNames.set(doc, (names = new Map()));
  const key = `${width}\n${text}`;
  let name = names.get(key);
  if (name === undefined) names.set(key, (name = shortened(doc, text, width)));
  return name;
}

function shortened(doc: Doc, text: string, width: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (doc.widthOfString(clean) <= width) return clean;
  let low = 0;
  let high = clean.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (doc.widthOfString(`${clean.slice(0, middle).trimEnd()}…`) <= width) low = middle;
    else high = middle - 1;
  }
  return `${clean.slice(0, low).trimEnd()}…`;
}

type LabelCell = ReturnType<typeof labelCell>;

/** The cell of grid position `index` on a page, in points from the page's top left, and its symbol's square. */
function labelCell(layout: LabelLayout, index: number) {
  const page = PAGES[layout.page];
  const left =
    ((page.width - layout.columns * layout.labelWidthMm) / 2 + (index % layout.columns) * layout.labelWidthMm) *
    PT_PER_MM;
  const top =
    ((page.height - layout.rows * layout.labelHeightMm) / 2 +
      Math.floor(index / layout.columns) * layout.labelHeightMm) *
    PT_PER_MM;
  const padding = LABEL_PADDING_MM * PT_PER_MM;
  const innerWidth = layout.labelWidthMm * PT_PER_MM - 2 * padding;
  const side = layout.symbolSizeMm * PT_PER_MM;
  return {
    left: left + padding,
    innerWidth,
    bottom: top + layout.labelHeightMm * PT_PER_MM - padding,
    symbol: { left: left + padding + (innerWidth - side) / 2, top: top + padding, side },
  };
}

/**
 * A page's symbols as one Form XObject: its content made and deflated in the pool's threads (dataMatrixPdfContent),
 * here only named in the page's resources and drawn.
 */
function drawPageSymbols(doc: Doc, content: Buffer, pageSize: { width: number; height: number }): void {
  const form = doc.ref({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, pageSize.width * PT_PER_MM, pageSize.height * PT_PER_MM],
    Filter: 'FlateDecode', // deflated already: pdfkit leaves a stream with a filter as it is
  });
  form.end(content);
  const name = `DM${(form as unknown as { id: number }).id}`;
  (doc.page as unknown as { xobjects: Record<string, unknown> }).xobjects[name] = form;
  doc.addContent(`/${name} Do`);
}

/** Draws a label's text in its `cell` of the current page, the КИ line at `kiSize` points. */
function drawLabel(doc: Doc, cell: LabelCell, kiSize: number, code: string, productName?: string): void {
  const parsed = parseMarkingCode(code)!; // canonicalCodes has checked it
  const { left, innerWidth, bottom, symbol } = cell;
  const centred = (text: string, y: number, width = doc.widthOfString(text)): void => {
    doc.text(text, left + (innerWidth - width) / 2, y, { lineBreak: false });
  };
  // Monospaced: the width from the character count, not from laying the glyphs out once more.
  const mono = (text: string, y: number, size: number) =>
    centred(text, y, text.length * monoMetrics().advanceEm * size);
  let y = symbol.top + symbol.side + GAP_MM * PT_PER_MM;
  doc.font(MONO).fontSize(kiSize);
  mono(`(01)${parsed.gtin}(21)${parsed.serial}`, y, kiSize);
  y += doc.currentLineHeight(true);

  // The product's name, one line, when there is room for it.
  if (productName?.trim()) {
    doc.font(SANS).fontSize(Math.min(NAME_MAX_PT, kiSize));
    if (y + doc.currentLineHeight(true) <= bottom + 1e-6) {
      centred(fitted(doc, productName, innerWidth), y);
      y += doc.currentLineHeight(true);
    }
    doc.font(MONO);
  }

  // The verification part in lines of equal length (pdfkit would break it at "/", "+" or "-"), if they fit.
  const tail = `(91)${parsed.keyId}(92)${parsed.verification}`;
  doc.fontSize(TAIL_PT);
  const lineCount = Math.ceil(tail.length / Math.floor(innerWidth / doc.widthOfString('0')));
  const lineLength = Math.ceil(tail.length / lineCount);
  const lineHeight = doc.currentLineHeight(true);
  if (y + lineCount * lineHeight > bottom) return;
  for (let i = 0; i < tail.length; i += lineLength, y += lineHeight) mono(tail.slice(i, i + lineLength), y, TAIL_PT);
}

/**
 * The label sheets as a PDF stream. `layout` overrides parts of DEFAULT_LABEL_LAYOUT and is
 * checked at once (RangeError); a code that is not a footwear marking code fails the stream.
 */
export function labelsPdf(
  codes: AsyncIterable<string>,
  {
    layout: partial,
    pool,
    title = inline('labels.title'),
    createdAt = new Date(),
    productNames,
    onProgress,
  }: {
    layout?: Partial<LabelLayout>;
    pool: RenderPool;
    title?: string;
    createdAt?: Date;
    /** The product's name by GTIN (the client's product cards), printed under each code. */
    productNames?: ReadonlyMap<string, string>;
    /** Called with the number of labels drawn so far after each page. */
    onProgress?: (labels: number) => void;
  },
): Readable {
  const layout = resolveLayout(partial);

  async function* pdf(): AsyncGenerator<Buffer> {
    const doc: Doc = new PDFDocument({
      autoFirstPage: false,
      size: layout.page,
      margin: 0,
      compress: true,
      displayTitle: true,
      lang: 'kk-KZ',
      info: { Title: title, Producer: 'PDFKit', CreationDate: createdAt, ModDate: createdAt },
      // pdfkit would keep every text it lays out for the document's life: memory growing with every code's lines.
      fontLayoutCache: false,
    });
    registerParsedFont(doc, MONO, rememberingLayout(dejaVu('DejaVuSansMono.ttf'), { monospaced: true }));
    registerParsedFont(doc, SANS, rememberingLayout(dejaVu('DejaVuSans.ttf')));
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    const taken = (): Buffer => Buffer.concat(chunks.splice(0));

    const cells = Array.from({ length: layout.columns * layout.rows }, (_, i) => labelCell(layout, i));
    const kiSize = kiFontSize(layout);
    let pages = 0;
    let labels = 0;
    const symbols = (page: string[]) => pool.pdfContent(page.map((code, i) => ({ code, ...cells[i].symbol })));
    // A page's symbols drawn ahead in each of the pool's threads while a page's text is laid out and read.
    for await (const { codes: page, rendered } of renderedBatches(canonicalCodes(codes), symbols, {
      size: cells.length,
      ahead: pool.threads,
    })) {
      doc.addPage({ size: layout.page, margin: 0 }); // writes out the page before
      pages++;
      drawPageSymbols(doc, rendered, PAGES[layout.page]);
      page.forEach((code, i) =>
        drawLabel(doc, cells[i], kiSize, code, productNames?.get(parseMarkingCode(code)!.gtin)),
      );
      labels += page.length;
      onProgress?.(labels);
      if (chunks.length > 0) yield taken();
    }
    if (pages === 0) doc.addPage({ size: layout.page, margin: 0 }); // a PDF needs a page
    const ended = once(doc, 'end');
    doc.end();
    await ended;
    yield taken();
  }
  return Readable.from(pdf(), { objectMode: false });
}
