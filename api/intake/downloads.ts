import type { Knex } from 'knex';
import type { DownloadRequest } from '../../activities/downloads';
import { DeliveredBlock, findBlock } from '../../db/downloads';
import { downloadRefusal } from '../../lib/order-rules';
import { downloadUpdate, orderWorkflowId } from '../../workflows/order-emission';
import type { AppDeps } from '../http/deps';
import { ApiError } from '../http/errors';
import { updateRefusal } from '../http/workflow-errors';

/**
 * Every path that hands codes to the client goes through here: a block made before by the
 * same request is returned as it is (free); otherwise the order's workflow delivers and
 * charges it (the `download` Update), one at a time per order.
 */
export async function download(
  deps: Pick<AppDeps, 'db' | 'temporal'>,
  request: DownloadRequest,
): Promise<DeliveredBlock> {
  const existing = await findBlock(deps.db, request.orderId, request.gtin, request.requestRef);
  if (existing) return existing;
  const buffer = await deps
    .db('order_products as p')
    .join('orders as o', 'o.id', 'p.order_id')
    .where({ 'o.id': request.orderId, 'p.gtin': request.gtin })
    .first('p.status', 'o.status as order_status');
  const refusal =
    buffer &&
    downloadRefusal({
      orderId: request.orderId,
      gtin: request.gtin,
      orderStatus: buffer.order_status,
      bufferStatus: buffer.status,
    });
  if (refusal) throw new ApiError(409, refusal.code, refusal.message);
  try {
    const { orderId, ...rest } = request;
    return await deps.temporal.client.workflow
      .getHandle(orderWorkflowId(orderId))
      .executeUpdate(downloadUpdate, { args: [rest] });
  } catch (error) {
    const refusal = updateRefusal(error, 'DOWNLOAD_REFUSED');
    if (refusal) throw refusal;
    if ((error as Error).name === 'WorkflowNotFoundError')
      throw new ApiError(409, 'ORDER_CLOSED', `Order ${request.orderId} is closed: no codes to download`);
    throw error;
  }
}

/** A file of a block that went out whole: its format, size and checksum. */
export const recordCodeFile = (db: Knex, f: { blockId: string; format: string; bytes: number; sha256: string }) =>
  db('code_files').insert({ block_id: f.blockId, format: f.format, bytes: f.bytes, sha256: f.sha256 });
