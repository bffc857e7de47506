/**
 * GS1 DataMatrix symbols of marking codes, drawn by bwip-js.
 *
 * The symbol is built from the raw code (never from the bracketed "(01)…(21)…" form, which
 * bwip-js's gs1datamatrix encoder misreads when a serial contains "("): plain `datamatrix`
 * with `parsefnc`, an FNC1 in the first position (what makes it GS1 DataMatrix) and an FNC1
 * wherever the code has a GS; readers transmit those as GS again.
 */
import bwipjs from 'bwip-js';
import { GS } from '../codes/marking-code';

/** ISO/IEC 16022 asks for a quiet zone of at least one module around the symbol. */
const QUIET_ZONE_MODULES = 1;
/** bwip-js draws a DataMatrix module 2 units wide at scale 1 (a 36×36 symbol is 72 px). */
const UNITS_PER_MODULE = 2;

/** The default PNG scale: 2 → 4 px per module, a 36×36 symbol of 85-character codes is 152 px with its quiet zone. */
export const DEFAULT_PNG_SCALE = 2;

/** bwip-js `parsefnc` text: a leading FNC1, FNC1 for every GS, a literal caret doubled. */
export function bwippText(code: string): string {
  // CSET 82 has no "^", so a valid code never needs the escape; it keeps "^FNC1" in odd input literal.
  return '^FNC1' + code.replaceAll('^', '^^').replaceAll(GS, '^FNC1');
}

function options(code: string): bwipjs.RenderOptions {
  if (code.length === 0) throw new RangeError('an empty code has no DataMatrix');
  return {
    bcid: 'datamatrix',
    text: bwippText(code),
    parsefnc: true,
    padding: QUIET_ZONE_MODULES * UNITS_PER_MODULE,
    // White, not the default transparent background: a transparent quiet zone reads as black
    // in viewers and decoders that drop the alpha channel.
    backgroundcolor: 'FFFFFF',
  };
}

/** The symbol as a PNG; `scale` (a whole number ≥ 1) is half the module size in pixels. */
export function dataMatrixPng(code: string, { scale = DEFAULT_PNG_SCALE }: { scale?: number } = {}): Promise<Buffer> {
  if (!Number.isInteger(scale) || scale < 1)
    return Promise.reject(new RangeError(`the PNG scale must be a whole number ≥ 1, got ${scale}`));
  try {
    return bwipjs.toBuffer({ ...options(code), scale });
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The symbol as an SVG document (vector, any size). */
export function dataMatrixSvg(code: string): string {
  return bwipjs.toSVG(options(code));
}
