/**
 * Marking codes as CSV: one code per line, the form СУЗ and the ЛК hand out (notes 1.3). The
 * group separator can be kept as the real 0x1D byte, written as the six characters \u001d
 * (what JSON and most integrators' importers expect in text), or the code written for people
 * as (01)…(21)…(91)…(92)….
 */
import { Readable } from 'node:stream';
import { GS, humanReadable } from '../codes/marking-code';
import { csvField } from './table-csv';

export type GsMode = 'raw' | 'escape' | 'human';

const GS_MODES: readonly string[] = ['raw', 'escape', 'human'] satisfies GsMode[];

/** One code as a CSV line's text. `human` throws RangeError for what is not a footwear code. */
export function codeText(code: string, gs: GsMode): string {
  switch (gs) {
    case 'raw':
      return code;
    case 'escape':
      return code.replaceAll(GS, '\\u001d');
    case 'human':
      return humanReadable(code);
    default:
      throw new RangeError(`unknown GS mode: ${String(gs)}`);
  }
}

export const CRLF = '\r\n';

/** Lines are handed to the stream in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The codes as CSV (UTF-8, no BOM, CRLF after every line, optional header line `code`), each
 * field as lib/files/table-csv.ts writes every table the operator hands out: RFC 4180 quoting,
 * and a cell that would start a formula guarded with a leading ' (no marking code starts like
 * that, but a file is guarded whatever it holds). The iterable is read only as fast as the
 * stream is consumed: Readable.from pulls the generator when its buffer runs low, so memory
 * stays bounded whatever the number of codes; destroying the stream closes the iterable.
 */
export function codesCsv(
  codes: AsyncIterable<string>,
  { gs, header = false }: { gs: GsMode; header?: boolean },
): Readable {
  // An unknown mode fails here, not in the middle of a download.
  if (!GS_MODES.includes(gs)) throw new RangeError(`unknown GS mode: ${String(gs)}`);
  async function* chunks(): AsyncGenerator<string> {
    let chunk = header ? `code${CRLF}` : '';
    for await (const code of codes) {
      chunk += csvField(codeText(code, gs)) + CRLF;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  return Readable.from(chunks(), { objectMode: false });
}
