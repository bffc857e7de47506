import { createHash, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { downloadRefusal } from '../lib/order-rules';
import { capture, inTransaction, LedgerError } from './ledger';
import { passCodes } from './order-state';

/**
 * A download (3.2, 6.4, 1.1.14): codes handed to the client for the first time are charged
 * from the order's reservation and become APPLIED («нанесён и оплачен»), in one transaction.
 * A block is identified by the request that made it, so the same request again returns the
 * same codes and charges nothing; a download that fails part-way books nothing.
 */

export class DownloadRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadRefusedError';
  }
}

export interface BlockRequest {
  orderId: string;
  gtin: string;
  /** At most this many codes; fewer when fewer are left. */
  quantity: number;
  /** `after:<lastBlockId>` (order station) or `key:<idempotency key>` (cabinet). */
  requestRef: string;
  channel: 'order_station' | 'cabinet';
  /** The last day to apply the codes (4.1.6), when the calendar could tell. */
  applyBy: string | null;
  at: Date;
  /** The local date of `at`: the VAT rate in force that day applies (6.4). */
  priceDate?: string;
}

export interface DeliveredBlock {
  blockId: string;
  orderId: string;
  gtin: string;
  quantity: number;
  amountTiyn: number;
  codesSha256: string;
  deliveredAt: string;
  applyBy: string | null;
  /** When the client got access to the codes (the order READY, 3.9): the application period runs from it (4.1.6). */
  receivedAt?: string;
  /** The buffer's downloaded codes after this block. */
  bufferPassed: number;
  bufferQuantity: number;
  replayed: boolean;
}

/** SHA-256 of a block's codes in order, one per line: what was handed over, whatever the file format. */
export const codesChecksum = (codes: string[]) => createHash('sha256').update(codes.join('\n')).digest('hex');

const toBlock = (
  row: Record<string, any>,
  buffer: Record<string, any>,
  orderId: string,
  replayed: boolean,
): DeliveredBlock => ({
  blockId: row.id,
  orderId,
  gtin: buffer.gtin,
  quantity: row.quantity,
  amountTiyn: row.amount,
  codesSha256: row.codes_sha256,
  deliveredAt: new Date(row.delivered_at).toISOString(),
  applyBy: row.apply_by,
  bufferPassed: buffer.passed,
  bufferQuantity: buffer.quantity,
  replayed,
});

/** The block a request made before, if any. */
export async function findBlock(
  db: Knex,
  orderId: string,
  gtin: string,
  requestRef: string,
): Promise<DeliveredBlock | undefined> {
  const buffer = await db('order_products').where({ order_id: orderId, gtin }).first();
  if (!buffer) return undefined;
  const row = await db('code_blocks').where({ order_product_id: buffer.id, request_ref: requestRef }).first();
  return row ? toBlock(row, buffer, orderId, true) : undefined;
}

export async function deliverBlock(db: Knex, p: BlockRequest): Promise<DeliveredBlock> {
  return inTransaction(db, async (trx) => {
    const buffer = await trx('order_products as op')
      .join('orders as o', 'o.id', 'op.order_id')
      .where({ 'o.id': p.orderId, 'op.gtin': p.gtin })
      .forUpdate('op')
      .first('op.*', 'o.status as order_status', 'o.client_id');
    if (!buffer)
      throw new DownloadRefusedError(404, 'BUFFER_NOT_FOUND', `Order ${p.orderId} has no buffer for GTIN ${p.gtin}`);
    const existing = await trx('code_blocks').where({ order_product_id: buffer.id, request_ref: p.requestRef }).first();
    if (existing) return toBlock(existing, buffer, p.orderId, true);
    const available = buffer.emitted - buffer.passed;
    const refusal = downloadRefusal({
      orderId: p.orderId,
      gtin: p.gtin,
      orderStatus: buffer.order_status,
      bufferStatus: buffer.status,
      available,
    });
    if (refusal) throw new DownloadRefusedError(409, refusal.code, refusal.message);
    const count = Math.min(p.quantity, available);
    const codes = await trx('marking_codes')
      .where({ order_product_id: buffer.id, status: 'EMITTED' })
      .whereNull('block_id')
      .orderBy('seq')
      .limit(count)
      .select('id', 'code');
    if (codes.length !== count) throw new Error(`buffer ${buffer.id}: ${count} codes expected, ${codes.length} found`);
    const blockId = randomUUID();
    const charged = await capture(trx, {
      idempotencyKey: `download:${blockId}`,
      orderRef: p.orderId,
      codes: count,
      downloadRef: blockId,
      priceDate: p.priceDate,
    }).catch((error) => {
      if (error instanceof LedgerError && error.code === 'INSUFFICIENT_FUNDS')
        throw new DownloadRefusedError(409, 'INSUFFICIENT_FUNDS', error.message);
      throw error;
    });
    const amount = -charged.transaction.entries
      .filter((e) => e.kind === 'client_reserved')
      .reduce((sum, e) => sum + e.amount, 0);
    const [row] = await trx('code_blocks')
      .insert({
        id: blockId,
        order_product_id: buffer.id,
        client_id: buffer.client_id,
        request_ref: p.requestRef,
        requested: p.quantity,
        quantity: count,
        amount,
        ledger_transaction_id: charged.transaction.id,
        vat_rate_bp: charged.vatRateBp,
        channel: p.channel,
        codes_sha256: codesChecksum(codes.map((c) => c.code)),
        delivered_at: p.at,
        apply_by: p.applyBy,
      })
      .returning('*');
    await trx('marking_codes')
      .whereRaw('id = ANY(?::bigint[])', [codes.map((c) => c.id)])
      .update({ status: 'APPLIED', applied_at: p.at, block_id: blockId });
    return toBlock(row, await passCodes(trx, buffer, count), p.orderId, false);
  });
}

/** A block's codes in delivery order, read in pages (bounded memory for big blocks). */
export async function* blockCodes(db: Knex, blockId: string, page = 5000): AsyncGenerator<string> {
  let after = -1;
  for (;;) {
    const rows = await db('marking_codes')
      .where({ block_id: blockId })
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(page)
      .select('seq', 'code');
    for (const row of rows) yield row.code;
    if (rows.length < page) return;
    after = rows[rows.length - 1].seq;
  }
}
