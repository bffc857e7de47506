/**
 * Bank statements with the top-up payments to clients' personal accounts: 1C
 * «Клиент банка» exchange files (1CClientBankExchange) and CSV exports, in UTF-8,
 * Windows-1251 or CP866.
 */
import { isValidIik } from '../kz-identifiers';
import { parseCsv } from './csv';
import { decodeStatement } from './decode';
import { ONE_C_SIGNATURE, parseOneC } from './one-c';
import { StatementFormatError, normaliseIik } from './types';
import type { ParsedStatement } from './types';

export { decodeStatement } from './decode';
export { StatementFormatError } from './types';
export type { BankDocument, BankParty, ParsedStatement, StatementProblem } from './types';

export interface ParseOptions {
  /** The operator's account (IIK): payments to it are incoming, from it outgoing. */
  operatorIik: string;
  /** 'auto' (the default): 1C when the first non-empty line is 1CClientBankExchange, else CSV. */
  format?: '1c' | 'csv' | 'auto';
}

function looksLikeOneC(text: string): boolean {
  const firstLine = text.split(/\r\n|\r|\n/).find((line) => line.trim() !== '');
  return firstLine?.trim().toLowerCase() === ONE_C_SIGNATURE.toLowerCase();
}

/**
 * Reads a statement file. Throws StatementFormatError when the file as a whole cannot be
 * read; single documents that cannot be read are listed in `problems`.
 */
export function parseBankStatement(bytes: Buffer, options: ParseOptions): ParsedStatement {
  if (!isValidIik(normaliseIik(options.operatorIik))) {
    throw new RangeError(`the operator's IIK "${options.operatorIik}" is not a valid Kazakhstan IBAN`);
  }
  const { text, encoding } = decodeStatement(bytes);
  if (text.trim() === '') throw new StatementFormatError('the file is empty');
  const format =
    options.format === '1c' || options.format === 'csv' ? options.format : looksLikeOneC(text) ? '1c' : 'csv';
  const parsed = format === '1c' ? parseOneC(text, options.operatorIik) : parseCsv(text, options.operatorIik);
  return { ...parsed, encoding };
}
