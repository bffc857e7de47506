import type { Knex } from 'knex';
import { buildMarkingCode, CodeKey, randomSerials } from '../lib/codes';
import { recordEmitted } from './order-state';

/** Marking codes in PostgreSQL: emitted in chunks, unique per GTIN for ever (4.4.8: kept 5 years). */

/** Codes emitted by one idempotent step (lib/order-rules.ts). */
export { EMISSION_CHUNK } from '../lib/order-rules';

const MAX_ATTEMPTS = 5;

/**
 * Emits the codes at positions [from, to) of a buffer in one bulk insert. Idempotent: positions
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
    const codes = serials.map((serial) => buildMarkingCode({ gtin: buffer.gtin, serial, key: p.key }));
    await db.raw(
      `INSERT INTO marking_codes (order_product_id, seq, client_id, gtin, serial, code, key_id)
       SELECT ?, t.seq, ?, ?, t.serial, t.code, ? FROM unnest(?::int[], ?::text[], ?::text[]) AS t(seq, serial, code)
       ON CONFLICT DO NOTHING`,
      [buffer.id, buffer.client_id, buffer.gtin, p.key.id, missing, serials, codes],
    );
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
