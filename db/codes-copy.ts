import { pipeline, Readable, Transform } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { cut } from './copy-pool';

/**
 * A block's codes as the codes CSV and JSON files, made by PostgreSQL's COPY … TO STDOUT (#20): byte for byte what
 * lib/files/csv.ts `codesCsv` (gs raw or escape) and JSON.stringify write, at close to the speed of COPY. Each code
 * leaves PostgreSQL as it is, one line of COPY's text form (PostgreSQL does nothing per row but send it: quoting in SQL
 * cost it more than the COPY itself); this process, on the other core, finds the bytes that matter in each chunk
 * natively (LF, `"`, `,`, `;`, GS) and writes the file's lines: quoted where the file quotes, CRLF or a comma between
 * JSON strings, GS as \u001d where the file writes it so. COPY's text form passes a code through unchanged and no
 * code starts a formula: migration 040's constraint (a digit first, then only GS and printable ASCII but the
 * backslash) holds for every row. The connection is one of the downloads' own (db/copy-pool.ts).
 */

const LF = 0x0a;
const GS = 0x1d;
const QUOTE = 0x22;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const NOTHING = Buffer.alloc(0);

/** How COPY's lines (one code each, LF-ended) become the file's. */
export interface LineForm {
  head?: Buffer;
  /** Written after every line… */
  lineEnd?: Buffer;
  /** …or only between lines. */
  between?: Buffer;
  tail?: Buffer;
  /** What GS becomes; kept as it is when undefined. */
  gs?: Buffer;
  /**
   * csv: a line holding `"`, `,` or `;` is quoted, `"` doubled (lib/files/table-csv.ts `csvField`; no code holds CR or
   * LF nor starts a formula: migration 040); json: every line quoted, `"` as `\"` (JSON.stringify; no code holds a
   * backslash or a control character but GS).
   */
  quote: 'csv' | 'json';
}

export const CSV_LINES = (gs: 'raw' | 'escape', header: boolean): LineForm => ({
  head: header ? Buffer.from('code\r\n') : undefined,
  lineEnd: Buffer.from('\r\n'),
  gs: gs === 'escape' ? Buffer.from('\\u001d') : undefined,
  quote: 'csv',
});

/** `{…before, "codes": [the codes], …after}`, each part as JSON.stringify writes it. */
export const JSON_LINES = (before: Record<string, string>, after: Record<string, string> = {}): LineForm => ({
  head: Buffer.from(`${JSON.stringify(before).slice(0, -1)}${Object.keys(before).length ? ',' : ''}"codes":[`),
  between: Buffer.from(','),
  tail: Buffer.from(`]${Object.keys(after).length ? `,${JSON.stringify(after).slice(1)}` : '}'}`),
  gs: Buffer.from('\\u001d'),
  quote: 'json',
});

/** The codes CSV of a block, as `codesCsv(blockCodes(…), { gs, header })` writes it. Releases `client` when done. */
export function codesCsvByCopy(
  client: pg.PoolClient,
  blockId: string,
  { gs, header = false }: { gs: 'raw' | 'escape'; header?: boolean },
): Readable {
  return copyLines(client, blockId, CSV_LINES(gs, header));
}

/**
 * A block's codes as JSON, `{…before, "codes": […], …after}`, as JSON.stringify writes it: the cabinet's file
 * (`{blockId}`), the order station's CodesDto (`{blockId}`, `{omsId}`). Releases `client` when done.
 */
export function codesJsonByCopy(
  client: pg.PoolClient,
  blockId: string,
  before: Record<string, string>,
  after: Record<string, string> = {},
): Readable {
  return copyLines(client, blockId, JSON_LINES(before, after));
}

/**
 * COPY of the block's codes in delivery order, rewritten to `form`. The client goes back to the pool when COPY has
 * ended; a stream destroyed before (the HTTP client gone) or failed closes the connection instead, which ends the
 * COPY in PostgreSQL too.
 */
function copyLines(client: pg.PoolClient, blockId: string, form: LineForm): Readable {
  const copy = client.query(
    copyTo(
      `COPY (SELECT code FROM marking_codes WHERE block_id = ${client.escapeLiteral(blockId)}::uuid ORDER BY seq) TO STDOUT`,
    ),
  );
  let copied = false;
  copy.once('end', () => (copied = true));
  const rewriter = new LineRewriter(form);
  const lines = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const bytes = rewriter.push(chunk);
      done(null, bytes.length > 0 ? bytes : undefined);
    },
    flush(done) {
      done(null, rewriter.end());
    },
  });
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    const broken = error ?? (copied ? undefined : new Error('the download stopped before its COPY ended'));
    client.release(broken);
    if (broken) cut(client);
  };
  pipeline(copy, lines, (error) => release(error ?? undefined));
  lines.once('close', () => release());
  return lines;
}

/** Every position of `byte` in `data`, found natively. */
function positions(data: Buffer, byte: number): number[] {
  const at: number[] = [];
  for (let i = data.indexOf(byte); i !== -1; i = data.indexOf(byte, i + 1)) at.push(i);
  return at;
}

/**
 * COPY's lines rewritten chunk by chunk into a file's form. A chunk may end inside a line: what follows its last LF
 * waits for the next chunk (a code is under a hundred bytes).
 */
export class LineRewriter {
  private head: Buffer | undefined;
  private rest: Buffer | undefined;
  private first = true;
  private readonly lineEnd: Buffer;
  private readonly between: Buffer;
  private readonly gs: Buffer;
  private readonly escapedQuote: Buffer;

  constructor(private readonly form: LineForm) {
    this.head = form.head;
    this.lineEnd = form.lineEnd ?? NOTHING;
    this.between = form.between ?? NOTHING;
    this.gs = form.gs ?? NOTHING;
    this.escapedQuote = Buffer.from(form.quote === 'csv' ? '""' : '\\"');
  }

  /** The file's bytes for the whole lines received so far. */
  push(chunk: Buffer): Buffer {
    const data = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    const last = data.lastIndexOf(LF);
    if (last === -1) {
      this.rest = Buffer.from(data);
      return this.takeHead();
    }
    this.rest = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : undefined;
    return this.lines(data.subarray(0, last + 1));
  }

  /** The end of the file. */
  end(): Buffer {
    const lines = this.rest ? this.lines(Buffer.concat([this.rest, Buffer.from([LF])])) : this.takeHead();
    this.rest = undefined;
    return this.form.tail ? Buffer.concat([lines, this.form.tail]) : lines;
  }

  private takeHead(): Buffer {
    const head = this.head ?? NOTHING;
    this.head = undefined;
    return head;
  }

  /** `data`: whole LF-ended lines. */
  private lines(data: Buffer): Buffer {
    const csv = this.form.quote === 'csv';
    const ends = positions(data, LF);
    const quotes = positions(data, QUOTE);
    const gses = this.form.gs ? positions(data, GS) : [];
    const commas = csv ? positions(data, COMMA) : [];
    const semicolons = csv ? positions(data, SEMICOLON) : [];
    const { lineEnd, between, gs, escapedQuote } = this;
    const head = this.takeHead();
    const out = Buffer.allocUnsafe(
      head.length +
        data.length +
        ends.length * (lineEnd.length - 1 + between.length + 2) +
        quotes.length * (escapedQuote.length - 1) +
        gses.length * gs.length,
    );
    let o = head.copy(out, 0);
    let q = 0;
    let g = 0;
    let c = 0;
    let s = 0;
    let from = 0;
    for (const end of ends) {
      if (!this.first) o += between.copy(out, o);
      this.first = false;
      while (c < commas.length && commas[c] < from) c++;
      while (s < semicolons.length && semicolons[s] < from) s++;
      const wrap =
        !csv ||
        (q < quotes.length && quotes[q] < end) ||
        (c < commas.length && commas[c] < end) ||
        (s < semicolons.length && semicolons[s] < end);
      if (wrap) out[o++] = QUOTE;
      // The line up to its end, its quotes escaped and GS rewritten, in the order they come.
      for (;;) {
        const nextQuote = q < quotes.length && quotes[q] < end ? quotes[q] : end;
        const nextGs = g < gses.length && gses[g] < end ? gses[g] : end;
        const at = nextQuote < nextGs ? nextQuote : nextGs;
        o += data.copy(out, o, from, at);
        if (at === end) break;
        if (at === nextQuote) {
          o += escapedQuote.copy(out, o);
          q++;
        } else {
          o += gs.copy(out, o);
          g++;
        }
        from = at + 1;
      }
      if (wrap) out[o++] = QUOTE;
      o += lineEnd.copy(out, o);
      from = end + 1;
    }
    return out.subarray(0, o);
  }
}
