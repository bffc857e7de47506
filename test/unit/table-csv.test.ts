import { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { codesCsv, csvField, csvRecords, formulaGuard, tableCsv, type Cell } from '../../lib/files';

/** Each value and the text a spreadsheet gets for it: the value itself, or with a leading ' when it would run as a formula. */
const CASES: Array<[Cell, string]> = [
  ['\n=1+1', "'\n=1+1"],
  ['  =1', "'  =1"],
  ['\r\n@SUM(A1)', "'\r\n@SUM(A1)"],
  ['\u00a0+1', "'\u00a0+1"], // no-break space
  ['\u200b=1', "'\u200b=1"], // zero-width space
  ['\ufeff-1+2', "'\ufeff-1+2"],
  ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
  ['+7 701 000 00 00', "'+7 701 000 00 00"],
  ['-2+3', "'-2+3"],
  ['@x', "'@x"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
  ['＝1', "'＝1"], // full-width =
  ['＋1', "'＋1"],
  ["'=1", "'=1"], // guarded already: left as it is
  [',x', ',x'],
  ['"q"', '"q"'],
  ['a;b', 'a;b'],
  ['a,b;c"d', 'a,b;c"d'],
  ['first\r\nsecond', 'first\r\nsecond'],
  ['first\nsecond\rthird', 'first\nsecond\rthird'],
  ['x\n', 'x\n'],
  ['Қазақстан Республикасы: ә ғ қ ң ө ұ ү һ і — «кодтар»', 'Қазақстан Республикасы: ә ғ қ ң ө ұ ү һ і — «кодтар»'],
  ['ТОО «Әлем», г. Алматы; БИН 123456789012', 'ТОО «Әлем», г. Алматы; БИН 123456789012'],
  [' x', ' x'],
  ['a=1', 'a=1'],
  ['-1', "'-1"], // text: guarded (a number is given as one, or its column declared numeric)
  ['-1234,56', "'-1234,56"],
  ['0104600000000007', '0104600000000007'],
  ['', ''],
  [-5, '-5'],
  [3.5, '3.5'],
  [12n, '12'],
  [-Infinity, "'-Infinity"],
  [null, ''],
  [undefined, ''],
];

const values = CASES.map(([value]) => value);
const expected = CASES.map(([, text]) => text);

/** Starts a formula: = + - @ as the first non-blank character, or a tab or CR first. */
const looksLikeFormula = (text: string) => /^(?:[\t\r]|[\s\p{Cc}\p{Cf}]*[=+\-@＝＋－＠])/u.test(text);

describe('formulaGuard', () => {
  test.each(CASES.filter((c): c is [string, string] => typeof c[0] === 'string'))('%j → %j', (value, text) => {
    expect(formulaGuard(value)).toBe(text);
  });

  test('is idempotent, and nothing it returns starts a formula', () => {
    for (const [value] of CASES) {
      if (typeof value !== 'string') continue;
      const once = formulaGuard(value);
      expect(formulaGuard(once)).toBe(once);
      expect(looksLikeFormula(once)).toBe(false);
    }
  });
});

describe('tableCsv', () => {
  const columns = ['Значение', 'Тоже, с запятой', 'Номер'];
  // Each value in every column position: first, middle, last.
  const rows: Cell[][] = values.map((value, i) => [value, `${i}: ${String(value)}`, value]);
  const expectedRows = expected.map((text, i) => [text, formulaGuard(`${i}: ${String(values[i])}`), text]);

  test.each([';', ','] as const)(
    'delimiter %s: every field parses back as written, one record per row',
    (delimiter) => {
      const csv = tableCsv(rows, columns, { delimiter });
      expect(csv.startsWith('\ufeff')).toBe(true);
      expect(csv.endsWith('\r\n')).toBe(true);
      const records = parse(csv, { bom: true, delimiter }) as string[][];
      expect(records).toEqual([columns, ...expectedRows]);
      // What a spreadsheet gets: no cell starts a formula (numbers apart).
      for (const field of records.flat())
        if (!/^-?\d+(?:[.,]\d+)?$/.test(field)) expect([field, looksLikeFormula(field)]).toEqual([field, false]);
    },
  );

  test.each([';', ','] as const)(
    'delimiter %s: a field is quoted exactly when it holds a quote, a comma, a semicolon or a line break',
    (delimiter) => {
      const csv = tableCsv(
        values.map((value) => [value]),
        ['v'],
        { delimiter, bom: false },
      );
      const body = csv.slice('v\r\n'.length);
      let at = 0;
      expected.forEach((text) => {
        const quoted = /[",;\r\n]/.test(text);
        const field = quoted ? `"${text.replaceAll('"', '""')}"` : text;
        expect(JSON.stringify(body.slice(at, at + field.length + 2))).toBe(JSON.stringify(`${field}\r\n`));
        at += field.length + 2;
      });
      expect(at).toBe(body.length);
    },
  );

  test('a value starting with a line break stays in its row: the next physical line is inside the quotes', () => {
    const csv = tableCsv([['a', '\n=1+1', 'b']], ['x', 'y', 'z'], { bom: false });
    expect(csv).toBe(`x;y;z\r\na;"'\n=1+1";b\r\n`);
    expect(parse(csv, { delimiter: ';' })).toEqual([
      ['x', 'y', 'z'],
      ['a', "'\n=1+1", 'b'],
    ]);
  });

  test('numbers: of type number as they are; in a numeric column a plain number as it is, anything else guarded', () => {
    const csv = tableCsv(
      [
        [-5, '-1234,56', '-1234,56', '-0.125', '-1+2'],
        [0, '1e3', '+1', '=1', ''],
      ],
      ['n', 'text', 'amount', 'rate', 'other'],
      { numeric: [2, 3, 4], bom: false },
    );
    expect(parse(csv, { delimiter: ';' })).toEqual([
      ['n', 'text', 'amount', 'rate', 'other'],
      ['-5', "'-1234,56", '-1234,56', '-0.125', "'-1+2"],
      ['0', '1e3', "'+1", "'=1", ''],
    ]);
  });

  test('options: no BOM, LF line ends; an empty table is its header line', () => {
    expect(tableCsv([['1', 'a\nb']], ['n', 't'], { delimiter: ',', bom: false, recordDelimiter: '\n' })).toBe(
      'n,t\n1,"a\nb"\n',
    );
    expect(tableCsv([], ['n', 't'])).toBe('\ufeffn;t\r\n');
  });

  test('random text of the characters that matter round-trips, in either delimiter', () => {
    const alphabet = [
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      '\n',
      ' ',
      '\u00a0',
      '"',
      ',',
      ';',
      "'",
      'a',
      '1',
      'Қ',
      'ә',
      '＝',
    ];
    let seed = 19;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const text = () => Array.from({ length: next() % 8 }, () => alphabet[next() % alphabet.length]).join('');
    const table = Array.from({ length: 500 }, () => [text(), text(), text()]);
    for (const delimiter of [';', ','] as const) {
      const records = parse(tableCsv(table, ['a', 'b', 'c'], { delimiter }), { bom: true, delimiter }) as string[][];
      expect(records.slice(1)).toEqual(table.map((row) => row.map(formulaGuard)));
    }
  });
});

describe('csvField (the codes CSV) writes what csv-stringify writes', () => {
  test.each([';', ','] as const)('delimiter %s', (delimiter) => {
    for (const text of [...expected, ...values.filter((v): v is string => typeof v === 'string')]) {
      expect(JSON.stringify(csvField(text) + '\r\n')).toBe(JSON.stringify(csvRecords([[text]], { delimiter })));
    }
  });
});

describe('codesCsv guards what it writes the same way', () => {
  const collect = async (stream: Readable) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  };
  async function* from(items: string[]): AsyncGenerator<string> {
    yield* items;
  }

  test('every line parses back to its value, guarded', async () => {
    const texts = values.filter((v): v is string => typeof v === 'string');
    const csv = await collect(codesCsv(from(texts), { gs: 'raw', header: true }));
    expect(csv).toBe(`code\r\n${texts.map((t) => csvRecords([[t]], { delimiter: ',' })).join('')}`);
    const records = parse(csv, { delimiter: ',' }) as string[][];
    expect(records).toEqual([['code'], ...texts.map((t) => [formulaGuard(t)])]);
  });
});
