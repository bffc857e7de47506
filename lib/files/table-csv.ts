/**
 * Tables people open in a spreadsheet, as CSV: RFC 4180 written by csv-stringify, every text
 * cell formula-guarded. One place for every export (statements, acts, ticket reports) and for
 * the codes CSV (lib/files/csv.ts).
 *
 * Quoting: a field is quoted when it holds a quote (doubled inside), a line break (CR or LF
 * alone as well: csv-stringify stops quoting those by itself once `record_delimiter` is given,
 * which let `\n=1+1` start a row of its own) or either separator — the comma and the semicolon,
 * whichever one the file uses: a Russian or Kazakh Excel splits a comma file at semicolons and
 * other readers guess the separator, so a field that holds the other one is kept whole too.
 *
 * The formula guard (OWASP "CSV injection"): a text cell that a spreadsheet would run as a
 * formula gets an apostrophe in front — `'=1+1`. That is a cell that starts with a tab or a CR,
 * or whose first non-blank character (after spaces, line breaks, other control and zero-width
 * characters, which spreadsheets skip) is = + - @ or their full-width forms ＝ ＋ － ＠. The
 * apostrophe is the usual neutraliser: Excel and LibreOffice then show the text as it was, with
 * the apostrophe visible in a CSV; a reader of the file takes it off to get the value back. A
 * number is not a formula: a cell of type number is written as it is («-5»), and so is a plain
 * number («-1234,56», «-0.125») in a column the caller declares numeric, so amounts stay numbers;
 * anything else there is guarded like text. The guard is idempotent: a guarded value starts with
 * the apostrophe and is not guarded again.
 */
import type { Options } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';

/** A cell: text (guarded), a number (written as JavaScript writes it; NaN and ±Infinity guarded), or empty. */
export type Cell = string | number | bigint | null | undefined;

/** Starts a formula in Excel, LibreOffice, Google Sheets or Numbers; tab and CR as the first character count too. */
const FORMULA = /^(?:[\t\r]|[\s\p{Cc}\p{Cf}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/u;
/** A number as written in our files: not a formula, even with a minus sign. */
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?(?:e[+-]?\d+)?$/i;

/** `value` as a spreadsheet shows it as text: with a leading ' when it would otherwise be a formula. */
export function formulaGuard(value: string): string {
  // Most values start with a printable ASCII character other than = + - @: nothing more to look at.
  const first = value.charCodeAt(0);
  if (first > 0x20 && first < 0x7f && first !== 0x3d && first !== 0x2b && first !== 0x2d && first !== 0x40)
    return value;
  return FORMULA.test(value) ? `'${value}` : value;
}

export interface TableCsvOptions {
  /** Between fields: `;` (default; what Excel reads in Russian and Kazakh locales) or `,`. */
  delimiter?: ';' | ',';
  /** A UTF-8 byte order mark first (default true): Excel reads the file as UTF-8 only with it. */
  bom?: boolean;
  /** After every record, the last one included: CRLF (RFC 4180, default) or LF. */
  recordDelimiter?: '\r\n' | '\n';
  /**
   * Columns (from 0) of numbers written as text, e.g. tenge with a decimal comma: a plain number
   * there («-1234,56») is not guarded, anything else is. Cells of type number need no mention.
   */
  numeric?: readonly number[];
}

/** csv-stringify's options for our files. */
function stringifyOptions({ delimiter = ';', recordDelimiter = '\r\n' }: TableCsvOptions): Options {
  return {
    delimiter,
    record_delimiter: recordDelimiter,
    // Quote a lone CR or LF inside a field too, though records end with CRLF.
    quote_record_delimiter: true,
    // The delimiter and quotes are quoted anyway; the other separator as well.
    quoted_match: [delimiter === ';' ? ',' : ';'],
    eof: true,
  };
}

/** A cell as the text written: guarded unless a plain number where one is expected; nothing for null. */
function cellText(cell: Cell, numeric: boolean): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return (numeric || typeof cell !== 'string') && PLAIN_NUMBER.test(text) ? text : formulaGuard(text);
}

/**
 * Records as CSV text, each ended by the record delimiter; no BOM. For streams that write a
 * file a chunk of records at a time (lib/files/csv.ts); a whole table is `tableCsv`.
 */
export function csvRecords(rows: Iterable<readonly Cell[]>, options: TableCsvOptions = {}): string {
  // Guarded here rather than in csv-stringify's `cast`, which costs more than the rest of its work.
  const numeric = new Set(options.numeric);
  const records: string[][] = [];
  for (const row of rows) records.push(row.map((cell, i) => cellText(cell, numeric.has(i))));
  return stringify(records, stringifyOptions(options));
}

/**
 * A table as CSV: the header line, then the rows (UTF-8; by default with a BOM, `;` between
 * fields and CRLF after every line — what a Russian Excel opens as a table).
 */
export function tableCsv(
  rows: Iterable<readonly Cell[]>,
  columns: readonly string[],
  options: TableCsvOptions = {},
): string {
  const bom = options.bom ?? true;
  return (bom ? '\ufeff' : '') + csvRecords([columns, ...rows], options);
}

/** What makes csv-stringify quote a field with our options, either delimiter: a quote, a separator, a line break. */
const NEEDS_QUOTES = /[",;\r\n]/;

/**
 * One field exactly as `csvRecords` writes it, with either delimiter: guarded, then quoted when
 * it holds a quote (doubled), a comma, a semicolon, CR or LF (test/unit/table-csv.test.ts holds
 * the two to the same output). For files of a million one-field lines (the codes CSV), where
 * csv-stringify's general path per field would double the time.
 */
export function csvField(value: string): string {
  const text = formulaGuard(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
