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
  // `_glyphs` is fontkit's own (private) cache of Glyph objects by id: the view starts one empty.
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

type Run = Pick<fontkit.GlyphRun, 'glyphs' | 'positions'>;

/** A run handed to pdfkit: its own positions (pdfkit scales them in place), the advance summed as fontkit's run does. */
class FreshRun {
  readonly glyphs: fontkit.Glyph[] = [];
  readonly positions: fontkit.GlyphPosition[] = [];
  constructor(runs: readonly Run[]) {
    for (const run of runs) {
      for (let i = 0; i < run.glyphs.length; i++) {
        const { xAdvance, yAdvance, xOffset, yOffset } = run.positions[i];
        this.glyphs.push(run.glyphs[i]);
        this.positions.push({ xAdvance, yAdvance, xOffset, yOffset });
      }
    }
  }
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Distinct words a document's face remembers before it starts afresh (a labels PDF's product names repeat). */
const REMEMBERED_WORDS = 4_096;

/**
 * `font` (a view from `dejaVu`) laying each distinct word out once, for a document with pdfkit's own layout cache off
 * (the labels PDF: that cache keeps every code's text for the document's life). pdfkit lays a word out to measure it
 * and again to draw it, each time through fontkit's OpenType shaping. `monospaced`: printable ASCII is composed
 * character by character, which is what shaping gives in a monospaced face without kerning or ligatures
 * (test/unit/pdf-fonts.test.ts compares the two for DejaVu Sans Mono) — so a label's unique code is not shaped at all.
 */
export function rememberingLayout(font: ParsedFont, { monospaced = false } = {}): ParsedFont {
  const shaped = font.layout.bind(font);
  const copied = (text: string): Run => {
    const run = shaped(text);
    return { glyphs: run.glyphs, positions: run.positions.map((position) => ({ ...position })) };
  };
  const words = new Map<string, Run>();
  const remembered = (text: string): Run => {
    let run = words.get(text);
    if (!run) {
      if (words.size >= REMEMBERED_WORDS) words.clear();
      words.set(text, (run = copied(text)));
    }
    return run;
  };
  const characters = new Map<string, Run>();
  const character = (ch: string): Run => {
    let run = characters.get(ch);
    if (!run) characters.set(ch, (run = copied(ch)));
    return run;
  };
  font.layout = (text, ...options) => {
    if (options.some((option) => option !== undefined)) return shaped(text, ...options);
    if (monospaced && PRINTABLE_ASCII.test(text))
      return new FreshRun(Array.from(text, character)) as unknown as fontkit.GlyphRun;
    return new FreshRun([remembered(text)]) as unknown as fontkit.GlyphRun;
  };
  return font;
}
