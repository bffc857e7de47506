import fc from 'fast-check';
import { CSV_LINES, JSON_LINES, LineRewriter } from '../../db/codes-copy';
import { codeText } from '../../lib/files';
import { csvField } from '../../lib/files/table-csv';

// COPY's lines (one code each, LF-ended) rewritten chunk by chunk into the codes CSV or JSON: byte for byte what the
// JavaScript writers make (csvField, JSON.stringify), wherever the chunks are cut — inside a line, between a line and
// its LF, or not at all.

/** `codes` as COPY sends them, cut at `cuts`, through a LineRewriter of `form`. */
function rewritten(codes: string[], form: ConstructorParameters<typeof LineRewriter>[0], cuts: number[]): string {
  const copied = Buffer.from(codes.map((code) => `${code}\n`).join(''));
  const at = [...new Set(cuts.map((c) => c % (copied.length + 1)))].sort((a, b) => a - b);
  const rewriter = new LineRewriter(form);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...at, copied.length]) {
    if (cut > from) out.push(rewriter.push(copied.subarray(from, cut)));
    from = Math.max(from, cut);
  }
  out.push(rewriter.end());
  return Buffer.concat(out).toString();
}

/** Codes as emitted: 01, GTIN, 21, serial, then GS-separated AIs; CSET 82 holds `"`, `,` and `;`. */
const CSET82 = `[!"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]`;
const code = fc.stringMatching(new RegExp(`^01[0-9]{14}21${CSET82}{1,13}(\x1d91${CSET82}{4}\x1d92${CSET82}{1,44})?$`));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

test.each([
  ['raw', false],
  ['raw', true],
  ['escape', false],
  ['escape', true],
] as const)('CSV, GS %s, header %s: csvField of each code and CRLF, wherever the chunks are cut', (gs, header) => {
  fc.assert(
    fc.property(fc.array(code, { maxLength: 30 }), cuts, (codes, at) => {
      const expected = (header ? 'code\r\n' : '') + codes.map((c) => `${csvField(codeText(c, gs))}\r\n`).join('');
      expect(rewritten(codes, CSV_LINES(gs, header), at)).toBe(expected);
    }),
  );
});

test('JSON: JSON.stringify of the block, wherever the chunks are cut', () => {
  fc.assert(
    fc.property(fc.array(code, { maxLength: 30 }), cuts, (codes, at) => {
      expect(rewritten(codes, JSON_LINES({ blockId: 'b-1' }), at)).toBe(JSON.stringify({ blockId: 'b-1', codes }));
      expect(rewritten(codes, JSON_LINES({ blockId: 'b"2' }, { omsId: 'o-1' }), at)).toBe(
        JSON.stringify({ blockId: 'b"2', codes, omsId: 'o-1' }),
      );
    }),
  );
});

test('the quoting, by example', () => {
  const codes = ['0100000000000000213"a,b', '0100000000000000213;x', '0100000000000000213plain\u001d91AB'];
  expect(rewritten(codes, CSV_LINES('escape', true), [5, 30])).toBe(
    'code\r\n"0100000000000000213""a,b"\r\n"0100000000000000213;x"\r\n0100000000000000213plain\\u001d91AB\r\n',
  );
  expect(rewritten([], CSV_LINES('raw', true), [])).toBe('code\r\n');
  expect(rewritten([], JSON_LINES({ blockId: 'b' }), [])).toBe('{"blockId":"b","codes":[]}');
  expect(rewritten([], JSON_LINES({}), [])).toBe('{"codes":[]}');
});
