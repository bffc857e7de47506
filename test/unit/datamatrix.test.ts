import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { buildMarkingCode, generateKey, isValidSerial, randomSerials } from '../../lib/codes';
import {
  dataMatrixModules,
  dataMatrixPdfContent,
  dataMatrixPng,
  dataMatrixSvg,
  forEachRun,
} from '../../lib/files/datamatrix';
import { decodeImages, decodeSvgs } from '../helpers/barcodes';

const key = generateKey('EE07');
const GTINS = ['04630726321637', '04635785586010', '04600000000008'];
/** Every punctuation mark of CSET 82 that breaks bracketed GS1 input, CSV, HTML or spreadsheets. */
const AWKWARD = `()",;%&'<=>?_`;
const AWKWARD_SERIALS = [
  `()",;%&'<=>?_`,
  `_?>=<'&%;,")(`,
  '3(VhN1qGejx<%',
  '0123456789012',
  '1a2b3c4d5e6f7',
  `'''''''''''''`,
  '((((((((((((A',
];
const makeCode = (serial: string, i: number) => buildMarkingCode({ gtin: GTINS[i % GTINS.length], serial, key });
/** What a scanner with AIM identifiers transmits for a GS1 DataMatrix of `code`. */
const scanned = (code: string) => `]d2${code}`;

test('the awkward serials are valid and cover every awkward character', () => {
  for (const serial of AWKWARD_SERIALS) expect(isValidSerial(serial)).toBe(true);
  for (const ch of AWKWARD) expect(AWKWARD_SERIALS[0]).toContain(ch);
});

describe('dataMatrixModules', () => {
  const code = makeCode(AWKWARD_SERIALS[0], 0);

  test('an 85-character code is a 36 × 36 square of modules, one byte each, 1 = dark', () => {
    expect(code).toHaveLength(85);
    const { size, dark } = dataMatrixModules(code);
    expect(size).toBe(36);
    expect(dark).toBeInstanceOf(Uint8Array);
    expect(dark).toHaveLength(36 * 36);
    expect(dark.every((bit) => bit === 0 || bit === 1)).toBe(true);
  });

  test('the finder pattern of each 16 × 16 region: solid left and bottom edges, alternating top and right', () => {
    const { size, dark } = dataMatrixModules(code);
    const at = (x: number, y: number) => dark[y * size + x];
    for (const left of [0, 18]) {
      for (const top of [0, 18]) {
        for (let i = 0; i < 18; i++) {
          expect(at(left, top + i)).toBe(1);
          expect(at(left + i, top + 17)).toBe(1);
          expect(at(left + i, top)).toBe(i % 2 === 0 ? 1 : 0);
          expect(at(left + 17, top + i)).toBe(i % 2);
        }
      }
    }
  });

  test('the same code gives the same matrix; short data a smaller symbol', () => {
    expect(dataMatrixModules(code)).toEqual(dataMatrixModules(code));
    expect(dataMatrixModules('0104600000000008').size).toBe(16); // FNC1 and 8 digit pairs: 9 codewords, 16 × 16 holds 12
  });

  test('refuses an empty code and characters beyond ASCII', () => {
    expect(() => dataMatrixModules('')).toThrow(RangeError);
    expect(() => dataMatrixModules('0104600000000008219é')).toThrow(/U\+00e9/);
  });

  test('runs cover exactly the dark modules, left to right and top to bottom', () => {
    const modules = dataMatrixModules(code);
    const painted = new Uint8Array(modules.dark.length);
    let last = -1;
    forEachRun(modules, (x, y, length) => {
      expect(y * modules.size + x).toBeGreaterThanOrEqual(last);
      expect(x + length).toBeLessThanOrEqual(modules.size);
      for (let i = 0; i < length; i++) painted[y * modules.size + x + i]++;
      last = y * modules.size + x + length;
    });
    expect(painted).toEqual(modules.dark);
  });
});

describe('decoded by an independent reader (ZXing-C++)', () => {
  // Random serials of CSET 82 drawn from the awkward characters and digits (digit pairs take
  // another encodation path), plus the generator's own.
  const drawn = fc.sample(
    fc.string({ unit: fc.constantFrom(...`${AWKWARD}0123456789aZ`), minLength: 13, maxLength: 13 }),
    { numRuns: 80, seed: 20 },
  );
  const codes = [...AWKWARD_SERIALS, ...drawn, ...randomSerials(60)].map(makeCode);

  test('every PNG symbol reads ]d2 and exactly the code', async () => {
    const pngs = await Promise.all(codes.map((code) => dataMatrixPng(code)));
    expect(decodeImages(pngs)).toEqual(codes.map((code) => [scanned(code)]));
  });

  test('every SVG symbol reads ]d2 and exactly the code once rasterised', () => {
    const svgs = codes.slice(0, 40).map((code) => dataMatrixSvg(code));
    expect(decodeSvgs(svgs)).toEqual(codes.slice(0, 40).map((code) => [scanned(code)]));
  });
});

test('the SVG: 152 px, viewBox in modules with the quiet zone, white ground, one path of runs', () => {
  const svg = dataMatrixSvg(makeCode(AWKWARD_SERIALS[2], 0));
  expect(svg).toMatch(
    /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="152" height="152" viewBox="0 0 38 38" shape-rendering="crispEdges">/,
  );
  expect(svg).toContain('<rect width="38" height="38" fill="#FFFFFF"/>');
  expect(svg.match(/<path /g)).toHaveLength(1);
  expect(svg).toMatch(/<path d="(M\d+ \d+h\d+v1h-\d+z)+" fill="#000000"\/>/);
});

test('the PDF content: per symbol one fill of its runs in module units, scaled into its box past the quiet zone', () => {
  const codes = [makeCode(AWKWARD_SERIALS[0], 0), makeCode(AWKWARD_SERIALS[3], 1)];
  const boxes = [
    { code: codes[0], left: 10, top: 20, side: 38 * 1.5 },
    { code: codes[1], left: 100.25, top: 0, side: 38 },
  ];
  const content = inflateSync(dataMatrixPdfContent(boxes)).toString('latin1');
  const symbols = content.split('f Q').filter((part) => part.trim() !== '');
  expect(symbols).toHaveLength(2);
  expect(symbols[0].trim().split('\n')[0]).toBe('q 0 g 1.5 0 0 1.5 11.5 21.5 cm');
  expect(symbols[1].trim().split('\n')[0]).toBe('q 0 g 1 0 0 1 101.25 1 cm');
  codes.forEach((code, i) => {
    const runs: string[] = [];
    forEachRun(dataMatrixModules(code), (x, y, length) => runs.push(`${x} ${y} ${length} 1 re`));
    expect(symbols[i].trim().split('\n').slice(1)).toEqual(runs);
  });
});
