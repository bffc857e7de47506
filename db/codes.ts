import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildMarkingCode, CodeKey, randomSerials } from '../lib/codes';
import { recordEmitted } from './order-state';

/** Marking codes in PostgreSQL: emitted in chunks, unique per GTIN for ever (4.4.8: kept 5 years). */

/** Codes emitted by one idempotent step (lib/order-rules.ts). */
export { EMISSION_CHUNK } from '../lib/order-rules';

const MAX_ATTEMPTS = 5;
const UNIQUE_VIOLATION = '23505';
/** Lines a write to the COPY stream. */
const COPY_LINES = 1_000;

// COPY's text format: backslash, tab, newline and carriage return escaped. GTINs, serials (CSET 82), codes (migration
// 040's constraint) and ids hold none of them, but a value is never trusted to be clean.
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
/** A value in COPY's text format. */
export const copyField = (value: string) => value.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]);

/**
 * `count` lines made by `line(i)` (COPY text format, each ending in a newline) into `target` (a table and its columns)
 * by COPY … FROM STDIN, one statement: all rows or none. PostgreSQL stores them in batches (a WAL record per page of
 * rows), where INSERT … SELECT FROM unnest(…) stored and logged each row on its own (#20).
 */
async function copyRows(db: Knex, target: string, count: number, line: (i: number) => string): Promise<void> {
  const connection: pg.PoolClient = await db.client.acquireConnection();
  try {
    const chunks = function* () {
      for (let start = 0; start < count; start += COPY_LINES) {
        let chunk = '';
        for (let i = start; i < Math.min(start + COPY_LINES, count); i++) chunk += line(i);
        yield chunk;
      }
    };
    await pipeline(Readable.from(chunks()), connection.query(copyFrom(`COPY ${target} FROM STDIN`)));
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/**
 * Emits the codes at positions [from, to) of a buffer in one COPY. Idempotent: positions
 * already emitted (a retried or crashed step) are kept as they are, never duplicated; a random
 * serial that collides with an existing one for the GTIN is drawn again. Returns the buffer's
 * emitted count.
 */
export async function emitCodeRange(
  db: Knex,
  p: { orderProductId: string; from: number; to: number; key: CodeKey },
): Promise<number> {
  const buffer = await db('order_products as op')
    .join('orders as o', 'o.id', 'op.order_id')
    .where('op.id', p.orderProductId)
    .first('op.*', 'o.client_id');
  if (!buffer) throw new Error(`order product ${p.orderProductId} does not exist`);
  const to = Math.min(p.to, buffer.quantity);
  for (let attempt = 1; ; attempt++) {
    const present = new Set<number>(
      await db('marking_codes')
        .where({ order_product_id: buffer.id })
        .whereBetween('seq', [p.from, to - 1])
        .pluck('seq'),
    );
    const missing: number[] = [];
    for (let seq = p.from; seq < to; seq++) if (!present.has(seq)) missing.push(seq);
    if (missing.length === 0) break;
    if (attempt > MAX_ATTEMPTS)
      throw new Error(
        `could not emit ${missing.length} codes of buffer ${buffer.id} after ${MAX_ATTEMPTS} attempts (serials taken)`,
      );
    const serials =
      buffer.serial_number_type === 'SELF_MADE'
        ? await selfMadeSerials(db, buffer.id, missing)
        : randomSerials(missing.length);
    const fixed = [buffer.id, buffer.client_id, buffer.gtin].map(copyField);
    const key = copyField(p.key.id);
    // Each line's code is made as COPY asks for it: this process signs the next lines while PostgreSQL stores the last.
    const row = (i: number) =>
      `${fixed[0]}\t${missing[i]}\t${fixed[1]}\t${fixed[2]}\t${copyField(serials[i])}\t` +
      `${copyField(buildMarkingCode({ gtin: buffer.gtin, serial: serials[i], key: p.key }))}\t${key}\n`;
    try {
      await copyRows(
        db,
        'marking_codes (order_product_id, seq, client_id, gtin, serial, code, key_id)',
        missing.length,
        row,
      );
    } catch (error) {
      // A serial taken for the GTIN, or positions a concurrent attempt of this step wrote meanwhile: the COPY wrote
      // nothing; the loop looks again at what is missing and draws anew.
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
    }
  }
  return recordEmitted(db, buffer.id);
}

async function selfMadeSerials(db: Knex, orderProductId: string, seqs: number[]): Promise<string[]> {
  const rows = await db('self_made_serials')
    .where({ order_product_id: orderProductId })
    .whereRaw('seq = ANY(?::int[])', [seqs])
    .select('seq', 'serial');
  const bySeq = new Map(rows.map((r) => [r.seq, r.serial]));
  return seqs.map((seq) => {
    const serial = bySeq.get(seq);
    if (!serial) throw new Error(`serial ${seq} of order product ${orderProductId} is missing`);
    return serial;
  });
}
