import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { strFromU8, unzipSync } from 'fflate';
import {
  buildMarkingCode,
  generateKey,
  GS,
  humanReadable,
  isValidSerial,
  parseMarkingCode,
  randomSerials,
} from '../../lib/codes';
import {
  codesCsv,
  codesZip,
  codeText,
  createRenderPool,
  dataMatrixPdfContent,
  dataMatrixPng,
  dataMatrixSvg,
  DEFAULT_LABEL_LAYOUT,
  labelsPdf,
  type GsMode,
  type RenderPool,
} from '../../lib/files';
import { decodeImages, decodePdfPages, decodeSvgs } from '../helpers/barcodes';
import { extractPdf } from '../helpers/pdf-text';

const key = generateKey('EE07');
const GTINS = ['04630726321637', '04635785586010', '04600000000008'];
/** Serials with the characters that break bracketed GS1 input, CSV, HTML and spreadsheets. */
const HAND_SERIALS = [
  '3(VhN1qGejx<%',
  `3'"&;,=ab(cd)`,
  '3=SUM(A1:A2)+',
  '3%<>?!*+,-./_',
  `3;;,,""==((''`,
  `3+-=''"",;<>&`,
  '3abcDEF012345',
  '3"quoted","x"',
];
const SERIALS = [...HAND_SERIALS, ...randomSerials(32)];
const makeCode = (serial: string, i: number) => buildMarkingCode({ gtin: GTINS[i % GTINS.length], serial, key });
const CODES = SERIALS.map(makeCode);
/** What a scanner with AIM identifiers transmits for a GS1 DataMatrix of `code`. */
const scanned = (code: string) => `]d2${code}`;
const ki = (code: string) => parseMarkingCode(code)!.ki.replace(/^01(\d{14})21/, '(01)$1(21)');

/** A counter-based code, cheap enough for hundreds of thousands. */
const cheapCode = (i: number) => makeCode(`3${i.toString(36).padStart(12, '0')}`, i);

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** A generator of `count` codes that counts how many it has handed out. */
function counted(count: number): { codes: AsyncGenerator<string>; produced: () => number } {
  let produced = 0;
  async function* codes(): AsyncGenerator<string> {
    for (let i = 0; i < count; i++) {
      produced++;
      yield cheapCode(i);
    }
  }
  return { codes: codes(), produced: () => produced };
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Reads one chunk, then stops reading and waits until the producer stands still; the number of codes taken by then. */
async function codesTakenWhilePaused(stream: Readable, produced: () => number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.once('readable', () => {
      stream.read();
      resolve();
    });
  });
  let last = -1;
  for (let waited = 0; waited < 15000 && produced() !== last; waited += 400) {
    last = produced();
    await sleep(400);
  }
  const taken = produced();
  stream.destroy();
  return taken;
}

let pool: RenderPool;
beforeAll(() => {
  pool = createRenderPool();
});
afterAll(async () => {
  await pool.close();
});

test('the sample serials are valid and cover the awkward characters', () => {
  for (const serial of HAND_SERIALS) expect(isValidSerial(serial)).toBe(true);
  const all = HAND_SERIALS.join('');
  for (const ch of `(<%'"&;,=`) expect(all).toContain(ch);
  expect(CODES).toHaveLength(40);
});

describe('codeText', () => {
  const code = CODES[1];

  test('raw keeps the GS bytes, escape writes \\u001d, human writes the AIs in brackets', () => {
    expect(codeText(code, 'raw')).toBe(code);
    expect(codeText(code, 'raw').split(GS)).toHaveLength(3);
    const escaped = codeText(code, 'escape');
    expect(escaped).not.toContain(GS);
    expect(escaped).toBe(code.split(GS).join('\\u001d'));
    expect(escaped).toHaveLength(code.length + 2 * 5);
    expect(codeText(code, 'human')).toBe(humanReadable(code));
    expect(codeText(code, 'human')).toMatch(/^\(01\)\d{14}\(21\).{13}\(91\)EE07\(92\).{44}$/);
  });

  test('raw and escaped text parse back to the code; the bracketed form does not', () => {
    for (const c of CODES) {
      expect(parseMarkingCode(codeText(c, 'raw'))?.code).toBe(c);
      expect(parseMarkingCode(codeText(c, 'escape'))?.code).toBe(c);
      // parseMarkingCode reads scanner and file forms, not "(01)…": with "(" allowed in serials
      // the brackets are ambiguous, which is why exports for machines never use them.
      expect(parseMarkingCode(codeText(c, 'human'))).toBeUndefined();
    }
  });

  test('human refuses what is not a marking code; an unknown mode is refused', () => {
    expect(() => codeText('hello', 'human')).toThrow(RangeError);
    expect(() => codeText(CODES[0], 'fancy' as GsMode)).toThrow(RangeError);
    expect(() => codesCsv(from(CODES), { gs: 'fancy' as GsMode })).toThrow(RangeError);
  });
});

describe('codesCsv', () => {
  test.each<GsMode>(['raw', 'escape', 'human'])(
    '%s: one code per CRLF line, in order, RFC 4180 quoting',
    async (gs) => {
      const bytes = await collect(codesCsv(from(CODES), { gs }));
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
      const text = bytes.toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.split('\r\n')).toHaveLength(CODES.length + 1);
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
      const records = parse(text, { record_delimiter: '\r\n' }) as string[][];
      expect(records.map((r) => r.length)).toEqual(CODES.map(() => 1));
      expect(records.map((r) => r[0])).toEqual(CODES.map((c) => codeText(c, gs)));
      // A field is quoted exactly when it holds a quote, comma or semicolon.
      const lines = text.split('\r\n').slice(0, -1);
      lines.forEach((line, i) => expect(line.startsWith('"')).toBe(/[",;]/.test(codeText(CODES[i], gs))));
      if (gs === 'raw') expect(bytes.filter((b) => b === 0x1d)).toHaveLength(2 * CODES.length);
      else expect(bytes.includes(0x1d)).toBe(false);
    },
  );

  test('the optional header line', async () => {
    const text = (await collect(codesCsv(from(CODES.slice(0, 2)), { gs: 'escape', header: true }))).toString('utf8');
    expect(text).toBe(
      `code\r\n${codeText(CODES[0], 'escape')}\r\n"${codeText(CODES[1], 'escape').replaceAll('"', '""')}"\r\n`,
    );
    expect(await collect(codesCsv(from([]), { gs: 'raw' }))).toHaveLength(0);
  });

  test('cells that a spreadsheet would run as a formula get a leading apostrophe', async () => {
    const cells = ['=1+2', '+1', '-1', '@SUM(A1)', '\tx', '\rx', 'a"b', 'a,b', 'a;b', '0104600000000007'];
    const text = (await collect(codesCsv(from(cells), { gs: 'raw' }))).toString('utf8');
    expect(text.split('\r\n').slice(0, 6)).toEqual(["'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    const records = parse(text, { record_delimiter: '\r\n' }) as string[][];
    expect(records.map((r) => r[0])).toEqual([
      "'=1+2",
      "'+1",
      "'-1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      'a"b',
      'a,b',
      'a;b',
      '0104600000000007',
    ]);
  });

  test('reads the codes only as fast as the CSV is consumed', async () => {
    const { codes, produced } = counted(300_000);
    const taken = await codesTakenWhilePaused(codesCsv(codes, { gs: 'raw' }), produced);
    // A chunk of 64 KiB is ~750 lines; the stream buffers a chunk or two ahead.
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(5000);
  });

  test('300,000 codes stream through in bounded memory', async () => {
    const { codes, produced } = counted(300_000);
    global.gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    let lines = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const byte of chunk) if (byte === 0x0a) lines++;
        peak = Math.max(peak, process.memoryUsage().rss);
        done();
      },
    });
    await pipeline(codesCsv(codes, { gs: 'escape' }), sink);
    expect(produced()).toBe(300_000);
    expect(lines).toBe(300_000);
    // The whole file is ~29 MB; holding it (and the codes) would show here.
    expect(peak - start).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('DataMatrix', () => {
  test('every PNG symbol reads back as a GS1 DataMatrix of exactly the code', async () => {
    const pngs = await Promise.all(CODES.map((code) => dataMatrixPng(code)));
    expect(decodeImages(pngs)).toEqual(CODES.map((code) => [scanned(code)]));
  });

  test('a one-module quiet zone: 36 modules × 4 px + 2 × 4 px at the default scale', async () => {
    const png = await dataMatrixPng(CODES[0]);
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([152, 152]);
    const large = await dataMatrixPng(CODES[0], { scale: 5 });
    expect(large.readUInt32BE(16)).toBe(380);
    await expect(dataMatrixPng(CODES[0], { scale: 0 })).rejects.toThrow(RangeError);
  });

  test('every SVG symbol reads back as the code once rasterised', () => {
    const svgs = CODES.map((code) => dataMatrixSvg(code));
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="152" height="152" viewBox="0 0 38 38"/);
      expect(svg).toContain('fill="#FFFFFF"');
    }
    expect(decodeSvgs(svgs)).toEqual(CODES.map((code) => [scanned(code)]));
  });

  test('a literal caret or ^FNC1 in the input is data, not a function character', async () => {
    const text = '01046000000000072131^FNC1^^x';
    expect(decodeImages([await dataMatrixPng(text)])).toEqual([[`]d2${text}`]]);
  });
});

describe('render pool', () => {
  test('runs the given number of worker threads and draws exactly what the main thread draws', async () => {
    const cores = os.availableParallelism();
    expect(pool.threads).toBe(cores);
    const single = createRenderPool({ threads: 1 });
    try {
      expect(single.threads).toBe(1);
      const codes = Array.from({ length: 2000 }, (_, i) => cheapCode(i));
      const [one, all] = await Promise.all([single.png(codes), pool.png(codes)]);
      expect(one).toHaveLength(2000);
      expect(all).toHaveLength(2000);
      for (let i = 0; i < codes.length; i++) expect(one[i].equals(all[i])).toBe(true);
      expect(Buffer.isBuffer(all[0])).toBe(true);
      expect(all[7].equals(await dataMatrixPng(codes[7]))).toBe(true);
      expect((await pool.png([codes[3]], 3))[0].equals(await dataMatrixPng(codes[3], { scale: 3 }))).toBe(true);
      expect(await pool.svg(codes.slice(0, 40))).toEqual(codes.slice(0, 40).map((c) => dataMatrixSvg(c)));
      const boxes = codes.slice(0, 40).map((code, i) => ({ code, left: 10 + i, top: 20 + i, side: 40 }));
      const content = await pool.pdfContent(boxes);
      expect(Buffer.isBuffer(content)).toBe(true);
      expect(content.equals(dataMatrixPdfContent(boxes))).toBe(true);
    } finally {
      await single.close();
    }
  });

  test('refuses a thread count below one', () => {
    expect(() => createRenderPool({ threads: 0 })).toThrow(RangeError);
  });
});

describe('codesZip', () => {
  test.each(['png', 'svg'] as const)(
    '%s: one image per code and a manifest, every symbol decoding to its code',
    async (format) => {
      const zip = await collect(codesZip(from(CODES), { format, pool }));
      const files = unzipSync(new Uint8Array(zip));
      const names = Object.keys(files);
      expect(names).toHaveLength(CODES.length + 1);
      expect(names[names.length - 1]).toBe('codes.csv');
      names.slice(0, -1).forEach((name, i) => {
        const { gtin, serial } = parseMarkingCode(CODES[i])!;
        expect(name).toBe(`${String(i + 1).padStart(6, '0')}_${gtin}_${Buffer.from(serial).toString('hex')}.${format}`);
      });

      const manifest = parse(strFromU8(files['codes.csv']), { columns: true, record_delimiter: '\r\n' }) as Array<{
        file: string;
        code: string;
      }>;
      expect(manifest.map((row) => row.file)).toEqual(names.slice(0, -1));
      expect(manifest.map((row) => row.code)).toEqual(CODES.map((c) => codeText(c, 'escape')));

      const decoded =
        format === 'png'
          ? decodeImages(manifest.map((row) => Buffer.from(files[row.file])))
          : decodeSvgs(manifest.map((row) => strFromU8(files[row.file])));
      expect(decoded).toEqual(manifest.map((row) => [scanned(parseMarkingCode(row.code)!.code)]));
      expect(decoded.map(([text]) => text.slice(3))).toEqual(CODES);
    },
  );

  test('renders only as fast as the archive is read', async () => {
    const { codes, produced } = counted(60_000);
    const taken = await codesTakenWhilePaused(codesZip(codes, { format: 'png', pool }), produced);
    // Bounded in bytes, not entries: a few batches of 256 rendering or queued, and the entries (~0.5 KB each
    // with their headers) in the streams' buffers of 1 MiB (zip-stream's output, archiver's input and output):
    // ~10,000, not the 60,000. Stored PNGs appended as Buffers took all of them.
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(15_000);
  });

  test('fails the stream on something that is not a marking code', async () => {
    await expect(collect(codesZip(from([CODES[0], 'not a code']), { format: 'png', pool }))).rejects.toThrow(
      /code 2 is not a footwear marking code/,
    );
  });
});

describe('labelsPdf', () => {
  const codes = [...CODES, ...CODES.slice(0, 10).map((_, i) => cheapCode(i))]; // 50: a full page and a part
  let pdf: Buffer;
  const progress: number[] = [];
  beforeAll(async () => {
    pdf = await collect(
      labelsPdf(from(codes), {
        pool,
        title: 'Коды маркировки: тест',
        createdAt: new Date('2026-03-14T10:00:00+05:00'),
        onProgress: (labels) => progress.push(labels),
      }),
    );
  });

  test('the symbols are vector modules, not images; progress is told after each page', () => {
    expect(pdf.includes('/Subtype /Image')).toBe(false);
    expect(progress).toEqual([40, 50]);
  });

  test('the default layout is 4 × 10 labels of 48.5 × 25.4 mm on A4', () => {
    expect(DEFAULT_LABEL_LAYOUT).toMatchObject({
      page: 'A4',
      columns: 4,
      rows: 10,
      labelWidthMm: 48.5,
      labelHeightMm: 25.4,
    });
  });

  test('every label symbol on the rendered pages decodes, and together they are exactly the codes', () => {
    const pages = decodePdfPages(pdf, 4);
    expect(pages.map((symbols) => symbols.length)).toEqual([40, 10]);
    expect(pages.flat().sort()).toEqual(codes.map(scanned).sort());
  });

  test('the labels carry the КИ in text, and the verification part in small type', () => {
    const { text, pages, info } = extractPdf(pdf);
    expect(pages).toBe(2);
    expect(info.Title).toBe('Коды маркировки: тест');
    for (const code of codes) expect(text).toContain(ki(code));
    const compact = text.replace(/\s+/g, '');
    for (const code of codes) {
      const { keyId, verification } = parseMarkingCode(code)!;
      expect(compact).toContain(`(91)${keyId}(92)${verification}`);
    }
  });

  describe("the product's name under each code (the client's product card for the GTIN)", () => {
    // Two GTINs with a card (one name too long for a label), one without.
    const LONG = 'Ботинки мужские зимние кожаные на натуральном меху, модель «Арктика-2027», цвет чёрный, размер 44';
    const productNames = new Map([
      [GTINS[0], 'Туфли женские «Астана»'],
      [GTINS[1], LONG],
    ]);
    const sample = CODES.slice(0, 9); // three of each GTIN
    let named: Buffer;
    let wide: Buffer;
    beforeAll(async () => {
      named = await collect(labelsPdf(from(sample), { pool, productNames }));
      wide = await collect(
        labelsPdf(from(sample), {
          pool,
          productNames,
          layout: { page: 'A4', columns: 2, rows: 5, labelWidthMm: 100, labelHeightMm: 55, symbolSizeMm: 25 },
        }),
      );
    });

    test('each label of a GTIN with a card prints its name with the GTIN and serial; a long name is shortened with «…»', () => {
      const { text } = extractPdf(named);
      for (const code of sample) expect(text).toContain(ki(code));
      const count = (needle: string) => text.split(needle).length - 1;
      expect(count('Туфли женские «Астана»')).toBe(3);
      // Shortened to the label's width: its start, then «…», never the whole name.
      expect(count('Ботинки мужские')).toBe(3);
      expect(text).not.toContain(LONG);
      expect(count('…')).toBe(3);
      // The symbols still decode to exactly the codes.
      expect(decodePdfPages(named, 4).flat().sort()).toEqual(sample.map(scanned).sort());
    });

    test('a label with room prints the name and the verification part', () => {
      const { text } = extractPdf(wide);
      expect(text.split('Туфли женские «Астана»').length - 1).toBe(3);
      const compact = text.replace(/\s+/g, '');
      for (const code of sample) {
        const { keyId, verification } = parseMarkingCode(code)!;
        expect(compact).toContain(`(91)${keyId}(92)${verification}`);
      }
    });
  });

  test('a custom layout (A5, 2 × 4 labels of 70 × 45 mm, 25 mm symbols) renders and decodes', async () => {
    const layout = {
      page: 'A5' as const,
      columns: 2,
      rows: 4,
      labelWidthMm: 70,
      labelHeightMm: 45,
      marginMm: 4,
      symbolSizeMm: 25,
    };
    const sheet = await collect(labelsPdf(from(CODES.slice(0, 8)), { pool, layout }));
    const pages = decodePdfPages(sheet, 3);
    expect(pages).toHaveLength(1);
    expect(pages[0].sort()).toEqual(CODES.slice(0, 8).map(scanned).sort());
  });

  test('an empty list gives a valid one-page PDF', async () => {
    const empty = await collect(labelsPdf(from([]), { pool }));
    expect(extractPdf(empty).pages).toBe(1);
  });

  test.each([
    [{ columns: 5 }, /do not fit the page: 5 columns of 48.5 mm and 2 × 5 mm margins need 252.5 mm, A4 is 210 mm wide/],
    [{ rows: 12 }, /do not fit the page: 12 rows/],
    [{ page: 'A5' as const }, /A5 is 148 mm wide/],
    [{ symbolSizeMm: 22 }, /the symbol \(22 mm\) and the КИ line/],
    [{ symbolSizeMm: 8 }, /at least 10 mm/],
    [{ labelWidthMm: 20, symbolSizeMm: 12 }, /no room for a readable КИ/],
    [{ columns: 0 }, /columns must be a whole number/],
    [{ page: 'A3' as never }, /unknown page size/],
  ])('a layout that does not work is refused: %o', (layout, message) => {
    expect(() => labelsPdf(from(CODES), { pool, layout })).toThrow(RangeError);
    expect(() => labelsPdf(from(CODES), { pool, layout })).toThrow(message);
  });

  test('pages are made only as fast as the PDF is read', async () => {
    const { codes: many, produced } = counted(4000);
    const taken = await codesTakenWhilePaused(labelsPdf(many, { pool }), produced);
    // A page being drawn and one rendering ahead (40 labels each), not 100 pages.
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThanOrEqual(200);
  });
});
