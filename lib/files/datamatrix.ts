/**
 * GS1 DataMatrix symbols of marking codes: the module matrix, and PNG or SVG drawn from it.
 *
 * The matrix comes from @zxing/library's ECC200 parts (symbol table, Reed–Solomon, module
 * placement) behind our own GS1 ASCII encodation: FNC1 first (what makes it GS1 DataMatrix),
 * FNC1 for every GS (readers transmit it as GS again), digit pairs in one codeword. Issue #20:
 * bwip-js, which drew the symbols before, encodes ~880 symbols/s per core, too slow for labels
 * of 150,000 codes; this encodes about 15 times as many, and the matrix is made once per code
 * whether it is then drawn as PNG, SVG or vector modules in the labels PDF. zxing's own GS1
 * DataMatrixWriter path throws, hence only its low-level parts. The symbol is built from the
 * raw code, never from the bracketed "(01)…(21)…" form a "(" in a serial would break.
 */
import {
  DataMatrixDefaultPlacement as Placement,
  DataMatrixErrorCorrection as ErrorCorrection,
  DataMatrixSymbolInfo as SymbolInfo,
  DataMatrixSymbolShapeHint as ShapeHint,
} from '@zxing/library';
import { deflateSync } from 'node:zlib';
import { bilevelPng } from './png';

/** A square symbol without its quiet zone: `size` × `size` modules, row-major, 1 = dark. */
export interface DataMatrixModules {
  size: number;
  dark: Uint8Array;
}

/** ISO/IEC 16022 asks for a quiet zone of at least one module around the symbol. */
export const QUIET_ZONE_MODULES = 1;
/** PNG pixels per module at scale 1 (as bwip-js drew them: a 36×36 symbol is 72 px). */
const PX_PER_MODULE = 2;
/** The default PNG scale: 2 → 4 px per module, a 36×36 symbol of 85-character codes is 152 px with its quiet zone. */
export const DEFAULT_PNG_SCALE = 2;

const FNC1 = 232;
const PAD = 129;
const GS_CHAR = 29;

/** ECC200 data codewords in ASCII encodation (ISO/IEC 16022 5.2.3), padded to the symbol's capacity. */
function dataCodewords(code: string): number[] {
  if (code.length === 0) throw new RangeError('an empty code has no DataMatrix');
  const words = [FNC1];
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    const next = code.charCodeAt(i + 1);
    if (c > 127)
      throw new RangeError(`a marking code is ASCII; character ${i + 1} is U+${c.toString(16).padStart(4, '0')}`);
    if (c === GS_CHAR) words.push(FNC1);
    else if (isDigit(c) && isDigit(next)) {
      words.push(130 + (c - 48) * 10 + (next - 48));
      i++;
    } else words.push(c + 1);
  }
  return words;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Pads `words` to `capacity`: one 129, then the 253-state randomised pad (ISO/IEC 16022 5.2.3). */
function padded(words: number[], capacity: number): number[] {
  if (words.length < capacity) words.push(PAD);
  while (words.length < capacity) {
    const position = words.length + 1;
    const value = PAD + 1 + ((149 * position) % 253);
    words.push(value > 254 ? value - 254 : value);
  }
  return words;
}

/** The symbol's modules, the smallest square ECC200 symbol that holds the code. */
export function dataMatrixModules(code: string): DataMatrixModules {
  const words = dataCodewords(code);
  const info = SymbolInfo.lookup(words.length, ShapeHint.FORCE_SQUARE, undefined, undefined, true);
  const data = String.fromCharCode(...padded(words, info.getDataCapacity()));
  const placement = new Placement(
    ErrorCorrection.encodeECC200(data, info),
    info.getSymbolDataWidth(),
    info.getSymbolDataHeight(),
  );
  placement.place();
  return withFinderPatterns(placement, info.getSymbolWidth(), info.matrixWidth);
}

/** Per symbol size (ECC200 has 30): each column's data column, or -1 on a region's left (solid) or right (alternating) edge. */
const dataColumns = new Map<number, Int32Array>();

function dataColumnsOf(size: number, region: number): Int32Array {
  let columns = dataColumns.get(size);
  if (!columns) {
    const framed = region + 2;
    columns = Int32Array.from({ length: size }, (_, x) => {
      const rx = x % framed;
      return rx === 0 || rx === framed - 1 ? -1 : Math.floor(x / framed) * region + rx - 1;
    });
    dataColumns.set(size, columns);
  }
  return columns;
}

/**
 * The data regions framed as ISO/IEC 16022 draws them: per region of `region` × `region`
 * modules a solid left and bottom edge, an alternating top and right edge.
 */
function withFinderPatterns(placement: Placement, size: number, region: number): DataMatrixModules {
  const bits = placement.getBits(); // data modules, row-major, 1 = dark
  const dataWidth = placement.getNumcols();
  const framed = region + 2;
  const dark = new Uint8Array(size * size);
  const dataColumn = dataColumnsOf(size, region);
  for (let y = 0; y < size; y++) {
    const ry = y % framed;
    const row = y * size;
    if (ry === framed - 1) dark.fill(1, row, row + size);
    else if (ry === 0) for (let x = 0; x < size; x++) dark[row + x] = (x % framed) % 2 === 0 ? 1 : 0;
    else {
      const data = (Math.floor(y / framed) * region + ry - 1) * dataWidth;
      const rightEdge = ry % 2;
      for (let x = 0; x < size; x++) {
        const column = dataColumn[x];
        dark[row + x] = column >= 0 ? (bits[data + column] === 1 ? 1 : 0) : x % framed === 0 ? 1 : rightEdge;
      }
    }
  }
  return { size, dark };
}

/** Horizontal runs of dark modules: calls `run(x, y, length)` for each, row by row. */
export function forEachRun(
  { size, dark }: DataMatrixModules,
  run: (x: number, y: number, length: number) => void,
): void {
  for (let y = 0; y < size; y++) {
    const row = y * size;
    for (let x = 0; x < size; x++) {
      if (!dark[row + x]) continue;
      const start = x;
      while (x + 1 < size && dark[row + x + 1]) x++;
      run(start, y, x - start + 1);
    }
  }
}

/** The symbol as a PNG; `scale` (a whole number ≥ 1) is half the module size in pixels. */
export function dataMatrixPng(code: string, { scale = DEFAULT_PNG_SCALE }: { scale?: number } = {}): Promise<Buffer> {
  try {
    return Promise.resolve(modulesPng(dataMatrixModules(code), scale));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** A 1-bit PNG of the modules: white background and quiet zone, black modules, `2 × scale` pixels a module. */
export function modulesPng(modules: DataMatrixModules, scale = DEFAULT_PNG_SCALE): Buffer {
  if (!Number.isInteger(scale) || scale < 1)
    throw new RangeError(`the PNG scale must be a whole number ≥ 1, got ${scale}`);
  const px = PX_PER_MODULE * scale;
  const { size, dark } = modules;
  const width = (size + 2 * QUIET_ZONE_MODULES) * px;
  const rowBytes = Math.ceil(width / 8) + 1; // the filter byte first
  const rows = Buffer.alloc(rowBytes * width, 0xff);
  for (let row = 0; row < width; row++) rows[row * rowBytes] = 0; // filter type 0, none
  // Each module row is drawn once into its first pixel row, then copied to the module's other pixel rows.
  for (let y = 0; y < size; y++) {
    const first = (y + QUIET_ZONE_MODULES) * px * rowBytes;
    for (let x = 0; x < size; x++) {
      if (!dark[y * size + x]) continue;
      const end = (x + QUIET_ZONE_MODULES + 1) * px;
      for (let pixel = end - px; pixel < end; pixel++) rows[first + 1 + (pixel >> 3)] &= ~(0x80 >> (pixel & 7));
    }
    for (let copy = 1; copy < px; copy++) rows.copy(rows, first + copy * rowBytes, first, first + rowBytes);
  }
  return bilevelPng(width, width, rows);
}

/** Where a symbol goes on a PDF page: the square with its quiet zone, `side` points wide, top left at (`left`, `top`). */
export interface SymbolBox {
  code: string;
  left: number;
  top: number;
  side: number;
}

const pdfNumber = (value: number) => String(Math.round(value * 10_000) / 10_000);

/**
 * PDF content drawing each symbol as vector modules, deflated (a Form XObject's stream): per symbol one fill of its
 * dark runs as rectangles in module units, scaled into its box. Made in the render pool's threads, deflate included,
 * because these bytes are nine tenths of a labels page and compressing them was a third of the main thread's time.
 * In the coordinates of a pdfkit page: y grows downwards.
 */
export function dataMatrixPdfContent(boxes: readonly SymbolBox[]): Buffer {
  const parts: string[] = [];
  for (const { code, left, top, side } of boxes) {
    const modules = dataMatrixModules(code);
    const module = side / (modules.size + 2 * QUIET_ZONE_MODULES);
    const origin = QUIET_ZONE_MODULES * module;
    parts.push(
      `q 0 g ${pdfNumber(module)} 0 0 ${pdfNumber(module)} ${pdfNumber(left + origin)} ${pdfNumber(top + origin)} cm`,
    );
    forEachRun(modules, (x, y, length) => parts.push(`${x} ${y} ${length} 1 re`));
    parts.push('f Q');
  }
  // zlib's level 3, the last without lazy matching: a third of the default level's time (~43 against ~120 µs a
  // symbol) for ~750 bytes a symbol against ~570.
  return deflateSync(parts.join('\n'), { level: 3 });
}

/** The symbol as an SVG document: one path of horizontal runs, in modules (vector, any size). */
export function dataMatrixSvg(code: string): string {
  const modules = dataMatrixModules(code);
  const side = modules.size + 2 * QUIET_ZONE_MODULES;
  const px = side * PX_PER_MODULE * DEFAULT_PNG_SCALE;
  let path = '';
  forEachRun(modules, (x, y, length) => {
    path += `M${x + QUIET_ZONE_MODULES} ${y + QUIET_ZONE_MODULES}h${length}v1h-${length}z`;
  });
  // White, not transparent: a transparent quiet zone reads as black where the alpha channel is dropped.
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${side} ${side}" shape-rendering="crispEdges">` +
    `<rect width="${side}" height="${side}" fill="#FFFFFF"/><path d="${path}" fill="#000000"/></svg>`
  );
}
