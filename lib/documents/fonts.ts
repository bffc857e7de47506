/**
 * The DejaVu fonts of the PDFs the Operator issues, parsed once per process (issue #20: pdfkit, given a font file,
 * parses it for every document, and fontkit decodes its tables again — the cmap, the metrics, the OpenType layout
 * tables; for an act and its VAT invoice that was two thirds of their rendering). pdfkit takes a parsed fontkit font in
 * place of a file (PDFFontFactory.open).
 */
import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

export type ParsedFont = fontkit.Font;

const parsed = new Map<string, ParsedFont>();

/**
 * A DejaVu face by its file name (`DejaVuSans.ttf`) for one document: the tables parsed once per process, the glyphs
 * its own. fontkit keeps a glyph with the characters it was first made for, and pdfkit maps each glyph back to them
 * for the document's text (ToUnicode). A document's subset makes the parts of its composite glyphs with no characters
 * (Cyrillic «Т» is built of Latin «T»): shared, a «GTIN» in the next document read as «GIN» (test/unit/pdf-fonts).
 */
export function dejaVu(file: string): ParsedFont {
  let font = parsed.get(file);
  if (!font) {
    font = fontkit.create(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`))) as ParsedFont;
    parsed.set(file, font);
  }
  return Object.assign(Object.create(font) as ParsedFont, { _glyphs: {} });
}

/** pdfkit takes a parsed font wherever it takes a file (PDFFontFactory.open); its types know only files. */
export function registerParsedFont(doc: PDFKit.PDFDocument, name: string, font: ParsedFont): void {
  doc.registerFont(name, font as unknown as Buffer);
}

/** The document's first font (pdfkit's `font` option, typed otherwise than pdfkit reads it). */
export function defaultFont(font: ParsedFont): PDFKit.PDFDocumentOptions {
  return { font: font as unknown as PDFKit.PDFDocumentOptions['font'] };
}
