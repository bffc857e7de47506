/**
 * 1CClientBankExchange («Стандарт обмена с системами „Клиент банка“», versions 1.02/1.03):
 * `key=value` lines; a header, optional СекцияРасчСчет … КонецРасчСчет sections, documents
 * СекцияДокумент=<вид> … КонецДокумента, and КонецФайла. Keys are matched case-insensitively
 * (some banks write СЕКЦИЯДОКУМЕНТ), keys we do not know are ignored.
 */
import { StatementFormatError, isProblem, toDocument } from './types';
import type { BankDocument, FieldName, ParsedStatement, RawFields, StatementProblem } from './types';

export const ONE_C_SIGNATURE = '1CClientBankExchange';

/**
 * Key names per field, the classic 1C ones and the Kazakh banks' variants (Kaspi, Halyk,
 * Jusan, Forte). Where a document has several, the first non-empty one in this order wins.
 */
const KEYS: Record<Exclude<FieldName, 'purpose'>, string[]> = {
  number: ['Номер', 'НомерДокумента'],
  date: ['Дата', 'ДатаДокумента'],
  receivedOn: ['ДатаПоступило', 'ДатаОперации'],
  amount: ['Сумма'],
  credit: ['СуммаПриход'],
  debit: ['СуммаРасход'],
  payerName: ['ПлательщикНаименование', 'Плательщик1', 'Плательщик'],
  payerBinIin: ['ПлательщикБИН_ИИН', 'ПлательщикБИНИИН', 'ПлательщикБИН', 'ПлательщикИИН', 'ПлательщикИНН'],
  payerIik: ['ПлательщикИИК', 'ПлательщикСчет', 'ПлательщикРасчСчет'],
  payerBik: ['ПлательщикБИК', 'ПлательщикБанкБИК'],
  recipientName: ['ПолучательНаименование', 'Получатель1', 'Получатель'],
  recipientBinIin: ['ПолучательБИН_ИИН', 'ПолучательБИНИИН', 'ПолучательБИН', 'ПолучательИИН', 'ПолучательИНН'],
  recipientIik: ['ПолучательИИК', 'ПолучательСчет', 'ПолучательРасчСчет'],
  recipientBik: ['ПолучательБИК', 'ПолучательБанкБИК'],
  knp: ['КодНазначенияПлатежа', 'КНП'],
};

/** НазначениеПлатежа, then its continuation lines НазначениеПлатежа1..6, joined with a space. */
const PURPOSE_KEYS = ['НазначениеПлатежа', ...[1, 2, 3, 4, 5, 6].map((n) => `НазначениеПлатежа${n}`)];

function normaliseKey(key: string): string {
  return key.trim().toLowerCase().replace(/ё/g, 'е');
}

interface OpenDocument {
  line: number;
  /** Values by normalised key. */
  values: Map<string, string>;
}

function fieldsOf(values: Map<string, string>): RawFields {
  const first = (keys: string[]) => keys.map((key) => values.get(normaliseKey(key))).find((value) => value);
  const fields: RawFields = {};
  for (const [field, keys] of Object.entries(KEYS) as Array<[keyof typeof KEYS, string[]]>) fields[field] = first(keys);
  fields.purpose = PURPOSE_KEYS.map((key) => values.get(normaliseKey(key)))
    .filter((part) => part)
    .join(' ');
  return fields;
}

export function parseOneC(text: string, operatorIik: string): Omit<ParsedStatement, 'encoding'> {
  const lines = text.split(/\r\n|\r|\n/);
  const start = lines.findIndex((line) => line.trim() !== '');
  if (start < 0 || lines[start].trim().toLowerCase() !== ONE_C_SIGNATURE.toLowerCase()) {
    throw new StatementFormatError(`not a 1C statement: the first line is not "${ONE_C_SIGNATURE}"`);
  }
  const documents: BankDocument[] = [];
  const problems: StatementProblem[] = [];
  let account: string | null = null;
  let open: OpenDocument | null = null;
  let lastLine = start + 1;
  let ended = false;

  const close = (document: OpenDocument) => {
    const result = toDocument(fieldsOf(document.values), {
      line: document.line,
      operatorIik,
      fallbackDirection: 'unknown',
    });
    if (isProblem(result)) problems.push(result);
    else documents.push(result);
  };
  const unclosed = (document: OpenDocument) =>
    problems.push({ line: document.line, message: 'document is not closed by КонецДокумента' });

  for (let index = start + 1; index < lines.length && !ended; index++) {
    const raw = lines[index];
    if (raw.trim() === '') continue;
    const lineNumber = index + 1;
    lastLine = lineNumber;
    const equals = raw.indexOf('=');
    const key = normaliseKey(equals < 0 ? raw : raw.slice(0, equals));
    const value = equals < 0 ? '' : raw.slice(equals + 1).trim();

    if (key === 'секциядокумент') {
      if (open) unclosed(open);
      open = { line: lineNumber, values: new Map() };
    } else if (key === 'конецдокумента') {
      if (open) close(open);
      open = null;
    } else if (key === 'конецфайла') {
      ended = true;
    } else if (open) {
      // A repeated key does not blank out an earlier value.
      if (!open.values.get(key)) open.values.set(key, value);
    } else if (key === 'расчсчет' && value && account === null) {
      // The header's РасчСчет, else the first СекцияРасчСчет's.
      account = value;
    }
  }
  if (open) unclosed(open);
  if (!ended) problems.push({ line: lastLine, message: 'the file does not end with КонецФайла: it may be cut short' });
  return { format: '1c', account, documents, problems };
}
