import iconv from 'iconv-lite';
import type { ParsedStatement } from './types';

export type StatementEncoding = ParsedStatement['encoding'];

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The `Кодировка=` header of a 1C file, read in the decoding under test. */
const ENCODING_HEADER = /^[ \t]*Кодировка[ \t]*=[ \t]*(\S*)/im;
/** The header comes before the first document; this much of the file is enough to find it. */
const HEADER_BYTES = 4096;

/**
 * The statement's text and the encoding it was written in.
 *
 * Valid UTF-8 (after an optional BOM) is UTF-8. Otherwise the bytes are a Cyrillic code
 * page: a 1C file says which in `Кодировка=Windows` (Windows-1251) or `Кодировка=DOS`
 * (CP866). The key itself is Cyrillic, so it reads correctly only in the code page the
 * file is really in: we look for it in both decodings. Anything else is Windows-1251,
 * what Kazakh and Russian banks' exports use by default.
 */
export function decodeStatement(bytes: Buffer): { text: string; encoding: StatementEncoding } {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'utf-8' };
  } catch {
    // not UTF-8: one of the code pages below
  }
  const head = body.subarray(0, HEADER_BYTES);
  const declared = (['windows-1251', 'cp866'] as const)
    .map((encoding) => ENCODING_HEADER.exec(iconv.decode(head, encoding))?.[1]?.toLowerCase())
    .find((value) => value !== undefined);
  const encoding: StatementEncoding = declared === 'dos' ? 'cp866' : 'windows-1251';
  return { text: iconv.decode(body, encoding), encoding };
}
