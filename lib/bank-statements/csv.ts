/**
 * CSV statements: a header row, then one payment per row. The delimiter (`;`, `,` or tab)
 * is the one the header line uses most; header names are recognised in English and
 * Russian, case-insensitively, with `_` and spaces treated alike.
 */
import { parse } from 'csv-parse/sync';
import { StatementFormatError, isProblem, toDocument } from './types';
import type { BankDocument, Direction, FieldName, ParsedStatement, RawFields, StatementProblem } from './types';

const COLUMNS: Record<FieldName, string[]> = {
  number: ['number', 'номер', 'номер документа'],
  date: ['date', 'дата', 'дата документа'],
  receivedOn: ['received_on', 'дата поступления', 'дата операции'],
  amount: ['amount', 'сумма'],
  credit: ['credit', 'сумма приход'],
  debit: ['debit', 'сумма расход'],
  payerName: ['payer', 'payer_name', 'плательщик'],
  payerBinIin: ['payer_bin', 'payer_bin_iin', 'payer_iin', 'бин плательщика', 'бин/иин плательщика', 'иин плательщика'],
  payerIik: ['payer_iik', 'payer_account', 'иик плательщика', 'счет плательщика'],
  payerBik: ['payer_bik', 'бик плательщика', 'бик банка плательщика'],
  recipientName: ['recipient', 'recipient_name', 'получатель'],
  recipientBinIin: [
    'recipient_bin',
    'recipient_bin_iin',
    'recipient_iin',
    'бин получателя',
    'бин/иин получателя',
    'иин получателя',
  ],
  recipientIik: ['recipient_iik', 'recipient_account', 'иик получателя', 'счет получателя'],
  recipientBik: ['recipient_bik', 'бик получателя', 'бик банка получателя'],
  purpose: ['purpose', 'назначение платежа', 'назначение'],
  knp: ['knp', 'кнп'],
};

const DELIMITERS = [';', ',', '\t'];

function normaliseHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\s_]+/g, ' ');
}

const FIELD_BY_HEADER = new Map<string, FieldName>(
  (Object.entries(COLUMNS) as Array<[FieldName, string[]]>).flatMap(([field, names]) =>
    names.map((name) => [normaliseHeader(name), field] as const),
  ),
);

function detectDelimiter(headerLine: string): string {
  const count = (delimiter: string) => headerLine.split(delimiter).length - 1;
  return DELIMITERS.reduce((best, delimiter) => (count(delimiter) > count(best) ? delimiter : best));
}

/** Which column holds which field; the first column wins when two mean the same thing. */
function mapColumns(header: string[]): Map<FieldName, number> {
  const columns = new Map<FieldName, number>();
  header.forEach((name, index) => {
    const field = FIELD_BY_HEADER.get(normaliseHeader(name));
    if (field && !columns.has(field)) columns.set(field, index);
  });
  const missing = [
    columns.has('number') ? null : 'number',
    columns.has('date') ? null : 'date',
    columns.has('amount') || columns.has('credit') || columns.has('debit') ? null : 'amount',
  ].filter((name) => name !== null);
  if (missing.length > 0) {
    throw new StatementFormatError(`not a CSV statement we can read: missing required column(s) ${missing.join(', ')}`);
  }
  return columns;
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export function parseCsv(text: string, operatorIik: string): Omit<ParsedStatement, 'encoding'> {
  const normalised = text.replace(/\r\n?/g, '\n');
  const headerLine = normalised.split('\n').find((line) => line.trim() !== '');
  if (headerLine === undefined) throw new StatementFormatError('the file is empty');

  let records: CsvRecord[];
  try {
    records = parse(normalised, {
      delimiter: detectDelimiter(headerLine),
      info: true,
      relax_column_count: true,
      // Bank exports put quotes inside unquoted fields (e.g. ТОО "Альфа"): keep them as text.
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as CsvRecord[];
  } catch (error) {
    throw new StatementFormatError(`not a CSV file we can read: ${(error as Error).message}`);
  }
  const [header, ...rows] = records.filter(({ record }) => record.some((value) => value.trim() !== ''));
  if (header === undefined) throw new StatementFormatError('not a CSV statement we can read: the header row is empty');
  const columns = mapColumns(header.record);
  // Exports with one plain amount column and no recipient's IIK are lists of the payments
  // received on the operator's account: their rows are incoming unless the payer's IIK is ours.
  const amountOnly = !columns.has('credit') && !columns.has('debit') && !columns.has('recipientIik');
  const fallbackDirection: Direction = amountOnly ? 'incoming' : 'unknown';

  const documents: BankDocument[] = [];
  const problems: StatementProblem[] = [];
  for (const { record, info } of rows) {
    // info.lines is the record's last line; quoted values may span lines before it.
    const line = info.lines - record.reduce((sum, value) => sum + (value.split('\n').length - 1), 0);
    if (record.length !== header.record.length) {
      problems.push({ line, message: `row has ${record.length} values, the header has ${header.record.length}` });
      continue;
    }
    const fields: RawFields = {};
    for (const [field, index] of columns) fields[field] = record[index];
    // A purpose typed over several lines reads as one.
    fields.purpose = fields.purpose?.replace(/\s*\n\s*/g, ' ');
    const result = toDocument(fields, { line, operatorIik, fallbackDirection });
    if (isProblem(result)) problems.push(result);
    else documents.push(result);
  }
  return { format: 'csv', account: null, documents, problems };
}
