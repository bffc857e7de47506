import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * Barcode decoding by an independent reader, ZXing-C++ (zxing-wasm), for checking the symbols
 * lib/files/datamatrix.ts encodes. zxing-wasm and pdf-parse are ES modules that load WebAssembly and pdf.js with
 * dynamic import(), which jest's CommonJS VM refuses (see pdf-text.ts), so a plain Node process
 * does the work. SVG is rasterised with @napi-rs/canvas, PDF pages with pdf-parse's
 * getScreenshot() (pdf.js on the same canvas).
 *
 * Every symbol found comes back as a scanner with AIM symbology identifiers transmits it:
 * the identifier (`]d2` for GS1 DataMatrix, `]d1` for plain DataMatrix) followed by the data,
 * with FNC1 separators as GS (0x1D). So a correct marking-code symbol reads `]d2` + the code.
 */
const DECODE = `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

const require = createRequire(process.cwd() + '/');
// Without this, zxing-wasm would fetch its .wasm from a CDN.
prepareZXingModule({ overrides: { wasmBinary: readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm')) } });

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { kind, items, scale } = JSON.parse(Buffer.concat(chunks).toString('utf8'));

async function images() {
  if (kind === 'png') return items.map((item) => Buffer.from(item, 'base64'));
  if (kind === 'svg') {
    const { createCanvas, loadImage } = await import('@napi-rs/canvas');
    const out = [];
    for (const svg of items) {
      const image = await loadImage(Buffer.from(svg, 'utf8'));
      const canvas = createCanvas(Math.round(image.width * scale), Math.round(image.height * scale));
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      out.push(context.getImageData(0, 0, canvas.width, canvas.height));
    }
    return out;
  }
  if (kind === 'pdf') {
    const { PDFParse } = await import('pdf-parse');
    const parser = new PDFParse({ data: Buffer.from(items[0], 'base64') });
    try {
      const { pages } = await parser.getScreenshot({ scale, imageDataUrl: false, imageBuffer: true });
      return pages.map((page) => page.data);
    } finally {
      await parser.destroy();
    }
  }
  throw new Error('unknown kind ' + kind);
}

const results = [];
for (const image of await images()) {
  const found = await readBarcodes(image, { formats: ['DataMatrix'], textMode: 'Plain', maxNumberOfSymbols: 255, tryHarder: true });
  results.push(found.filter((symbol) => symbol.isValid).map((symbol) => symbol.symbologyIdentifier + symbol.text));
}
process.stdout.write(JSON.stringify(results));
`;

function decode(kind: 'png' | 'svg' | 'pdf', items: string[], scale = 1): string[][] {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', DECODE], {
    input: JSON.stringify({ kind, items, scale }),
    cwd: path.resolve(__dirname, '../..'),
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output.toString('utf8')) as string[][];
}

/** The DataMatrix symbols in each PNG image. */
export function decodeImages(pngs: Buffer[]): string[][] {
  return decode(
    'png',
    pngs.map((png) => png.toString('base64')),
  );
}

/** The DataMatrix symbols in each SVG image, rasterised at `scale` × its own size. */
export function decodeSvgs(svgs: string[], scale = 2): string[][] {
  return decode('svg', svgs, scale);
}

/** The DataMatrix symbols on each page of a PDF, rendered at `scale` × 72 dpi. */
export function decodePdfPages(pdf: Buffer, scale: number): string[][] {
  return decode('pdf', [pdf.toString('base64')], scale);
}
