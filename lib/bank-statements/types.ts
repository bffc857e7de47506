import { parseTenge } from '../money';

export interface BankParty {
  name: string;
  binIin: string | null;
  iik: string | null;
  bik: string | null;
}

export interface BankDocument {
  /** Bank document number as printed (НомерДокумента / Номер). */
  number: string;
  /** Document date, YYYY-MM-DD. */
  date: string;
  /** The day the money reached the account (ДатаПоступило / ДатаОперации), YYYY-MM-DD, else null. */
  receivedOn: string | null;
  /** Integer tiyn, > 0. */
  amountTiyn: number;
  /** incoming = the recipient's IIK is the operator's account (or СуммаПриход is given); outgoing = the payer's IIK is ours (or СуммаРасход). */
  direction: 'incoming' | 'outgoing' | 'unknown';
  payer: BankParty;
  recipient: BankParty;
  /** НазначениеПлатежа, '' when absent. */
  purpose: string;
  /** КодНазначенияПлатежа / КНП. */
  knp: string | null;
  /** 1-based line in the file where the document starts (for error messages). */
  line: number;
}

export interface StatementProblem {
  line: number;
  message: string;
}

export interface ParsedStatement {
  format: '1c' | 'csv';
  encoding: 'utf-8' | 'windows-1251' | 'cp866';
  /** The statement's account (РасчСчет) if the file names one. */
  account: string | null;
  documents: BankDocument[];
  /** Documents that could not be read (bad amount, missing number/date...): reported, not silently dropped. */
  problems: StatementProblem[];
}

/** The file as a whole is not a statement we can read; the message says why. */
export class StatementFormatError extends Error {
  override name = 'StatementFormatError';
}

// ---------------------------------------------------------------------------------------
// Shared by both parsers: each format maps its own key or column names onto RawFields,
// and toDocument turns those strings into a checked BankDocument.
// ---------------------------------------------------------------------------------------

export type Direction = BankDocument['direction'];

/** A document's values as text, keyed by what they mean rather than by how a bank names them. */
export interface RawFields {
  number?: string;
  date?: string;
  receivedOn?: string;
  /** An amount that says nothing about its direction (Сумма). */
  amount?: string;
  /** Money in (СуммаПриход, credit). */
  credit?: string;
  /** Money out (СуммаРасход, debit). */
  debit?: string;
  payerName?: string;
  payerBinIin?: string;
  payerIik?: string;
  payerBik?: string;
  recipientName?: string;
  recipientBinIin?: string;
  recipientIik?: string;
  recipientBik?: string;
  purpose?: string;
  knp?: string;
}

export type FieldName = keyof RawFields;

export interface DocumentContext {
  line: number;
  operatorIik: string;
  /** The direction to assume when neither the IIKs nor the amount's column tell. */
  fallbackDirection: Direction;
}

/** The trimmed value, or null when it is missing or blank. */
function present(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** "DD.MM.YYYY" (optionally followed by a time) or "YYYY-MM-DD" → "YYYY-MM-DD"; undefined if not a real date. */
export function parseStatementDate(text: string): string | undefined {
  const value = text.trim();
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(value);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const [year, month, day] = dotted ? [dotted[3], dotted[2], dotted[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!year || !month || !day) return undefined;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const result = `${year}-${month}-${day}`;
  return date.toISOString().slice(0, 10) === result ? result : undefined;
}

/** IIKs are compared ignoring spaces and case ("kz45 6018 …" is KZ456018…). */
export function normaliseIik(iik: string): string {
  return iik.replace(/\s/g, '').toUpperCase();
}

type AmountResult = { tiyn: number; side: Direction | null } | { error: string };

/** The one amount of a document: Сумма, or exactly one of СуммаПриход / СуммаРасход (a zero one counts as absent). */
function readAmount(fields: RawFields): AmountResult {
  const parse = (label: string, text: string): { tiyn: number } | { error: string } => {
    const tiyn = parseTenge(text);
    return tiyn === undefined ? { error: `${label} "${text}" is not an amount in tenge` } : { tiyn };
  };
  const plain = present(fields.amount);
  if (plain !== null) {
    const result = parse('amount', plain);
    if ('error' in result) return result;
    return result.tiyn > 0 ? { tiyn: result.tiyn, side: null } : { error: 'amount must be greater than zero' };
  }
  const sides: Array<{ tiyn: number; side: Direction }> = [];
  for (const [label, text, side] of [
    ['incoming amount', fields.credit, 'incoming'],
    ['outgoing amount', fields.debit, 'outgoing'],
  ] as const) {
    const value = present(text);
    if (value === null) continue;
    const result = parse(label, value);
    if ('error' in result) return result;
    if (result.tiyn > 0) sides.push({ tiyn: result.tiyn, side });
  }
  if (sides.length > 1) return { error: 'both an incoming and an outgoing amount are given' };
  return sides[0] ?? { error: 'no amount' };
}

function party(name?: string, binIin?: string, iik?: string, bik?: string): BankParty {
  return { name: present(name) ?? '', binIin: present(binIin), iik: present(iik), bik: present(bik) };
}

/**
 * The IIKs decide first (the recipient's IIK is ours → incoming, the payer's → outgoing);
 * then the amount's column (Приход / Расход); then the format's fallback. When the IIKs
 * and the column disagree, or both IIKs are ours, the direction is 'unknown'.
 */
function directionOf(
  payer: BankParty,
  recipient: BankParty,
  amountSide: Direction | null,
  context: DocumentContext,
): Direction {
  const ours = normaliseIik(context.operatorIik);
  const toUs = recipient.iik !== null && normaliseIik(recipient.iik) === ours;
  const fromUs = payer.iik !== null && normaliseIik(payer.iik) === ours;
  if (toUs && fromUs) return 'unknown';
  const byIik: Direction | null = toUs ? 'incoming' : fromUs ? 'outgoing' : null;
  if (byIik && amountSide && byIik !== amountSide) return 'unknown';
  return byIik ?? amountSide ?? context.fallbackDirection;
}

/** Checks and converts one document; a document that cannot be read becomes a problem naming what is wrong. */
export function toDocument(fields: RawFields, context: DocumentContext): BankDocument | StatementProblem {
  const errors: string[] = [];
  const number = present(fields.number);
  if (number === null) errors.push('no document number');

  const dateText = present(fields.date);
  const date = dateText === null ? undefined : parseStatementDate(dateText);
  if (dateText === null) errors.push('no document date');
  else if (date === undefined) errors.push(`date "${dateText}" is not a date`);

  const receivedText = present(fields.receivedOn);
  const receivedOn = receivedText === null ? null : parseStatementDate(receivedText);
  if (receivedOn === undefined) errors.push(`received date "${receivedText}" is not a date`);

  const amount = readAmount(fields);
  if ('error' in amount) errors.push(amount.error);

  if (number === null || date === undefined || receivedOn === undefined || 'error' in amount) {
    const which = number === null ? 'document' : `document ${number}`;
    return { line: context.line, message: `${which}: ${errors.join('; ')}` };
  }
  const payer = party(fields.payerName, fields.payerBinIin, fields.payerIik, fields.payerBik);
  const recipient = party(fields.recipientName, fields.recipientBinIin, fields.recipientIik, fields.recipientBik);
  return {
    number,
    date,
    receivedOn,
    amountTiyn: amount.tiyn,
    direction: directionOf(payer, recipient, amount.side, context),
    payer,
    recipient,
    purpose: present(fields.purpose) ?? '',
    knp: present(fields.knp),
    line: context.line,
  };
}

export function isProblem(result: BankDocument | StatementProblem): result is StatementProblem {
  return !('number' in result);
}
