import type { FastifyRequest } from 'fastify';
import { requireClient } from '../http/auth';
import type { AppDeps } from '../http/deps';
import { ApiError, notFound } from '../http/errors';

/** Orders, buffers and pools as the station reports them (`OrderSummaryInfo`, `BufferInfo`, `PoolInfo`). */

type Row = Record<string, any>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const isUuid = (value: string) => UUID.test(value);

/**
 * The operator emits every code through one emission registrar: each buffer has one pool.
 * Its id is this station's, in the registrar-number form of the spec's example.
 */
export const REGISTRAR_ID = '0000000000000001';

/** Each client has its own order station id; a request names it in `omsId` (the station's error 1140 when they differ). */
export async function clientStation(request: FastifyRequest, deps: Pick<AppDeps, 'db'>, omsId: string) {
  const { clientId } = requireClient(request);
  const client = await deps.db('clients').where({ id: clientId }).first('id', 'oms_id', 'bin_iin');
  if (client.oms_id !== omsId)
    throw new ApiError(
      400,
      'OMS_ID_MISMATCH',
      `The token does not belong to order station ${omsId} (GET /client/v1/me shows this client's omsId)`,
    );
  return { clientId: client.id as string, omsId: client.oms_id as string, binIin: client.bin_iin as string };
}

/** The client's order, or 404 (an id that is not a UUID names no order). */
export async function ownOrder(deps: Pick<AppDeps, 'db'>, clientId: string, orderId: string): Promise<Row> {
  const order = isUuid(orderId)
    ? await deps.db('orders').where({ id: orderId, client_id: clientId }).first()
    : undefined;
  if (!order) throw notFound('order', orderId);
  return order;
}

/** The order's buffer (sub-order) for one GTIN, or 404. */
export async function ownBuffer(
  deps: Pick<AppDeps, 'db'>,
  clientId: string,
  orderId: string,
  gtin: string,
): Promise<{ order: Row; buffer: Row }> {
  const order = await ownOrder(deps, clientId, orderId);
  const buffer = await deps.db('order_products').where({ order_id: order.id, gtin }).first();
  if (!buffer) throw notFound(`buffer of order ${order.id} for GTIN`, gtin);
  return { order, buffer };
}

/** A block of codes delivered from the order (of one GTIN's buffer when given), or 404. */
export async function ownBlock(
  deps: Pick<AppDeps, 'db'>,
  orderId: string,
  blockId: string,
  gtin?: string,
): Promise<Row> {
  const block = isUuid(blockId)
    ? await deps
        .db('code_blocks as b')
        .join('order_products as p', 'p.id', 'b.order_product_id')
        .where({ 'b.id': blockId, 'p.order_id': orderId, ...(gtin ? { 'p.gtin': gtin } : {}) })
        .first('b.*')
    : undefined;
  if (!block) throw notFound(`block of order ${orderId}${gtin ? ` for GTIN ${gtin}` : ''}`, blockId);
  return block;
}

/** The blocks delivered from a buffer, in order. */
export const bufferBlocks = (deps: Pick<AppDeps, 'db'>, bufferId: string) =>
  deps
    .db('code_blocks')
    .where({ order_product_id: bufferId })
    .orderBy('delivered_at')
    .select('id', 'delivered_at', 'quantity');

function poolStatus(order: Row, buffer: Row, emitted: number): string {
  switch (buffer.status) {
    case 'ACTIVE':
      return 'READY';
    case 'REJECTED':
      return 'REJECTED';
    case 'PENDING':
      return order.status === 'CREATED' && emitted === 0 ? 'REQUESTED' : 'IN_PROCESS';
    default:
      return 'CLOSED';
  }
}

/** A buffer as the station reports it, from its row alone: emission records its count there chunk by chunk. */
export function bufferInfo(order: Row, buffer: Row) {
  const emitted: number = buffer.emitted;
  const started = buffer.status !== 'PENDING' && buffer.status !== 'REJECTED';
  const active = buffer.status === 'ACTIVE';
  return {
    omsId: order.oms_id,
    orderId: order.id,
    gtin: buffer.gtin,
    bufferStatus: buffer.status,
    totalCodes: buffer.quantity,
    // Not known until the codes are made: -1, as the station reports them.
    availableCodes: started ? (active ? emitted - buffer.passed : 0) : -1,
    leftInBuffer: started ? (active ? buffer.quantity - buffer.passed : 0) : -1,
    totalPassed: buffer.passed,
    unavailableCodes: buffer.quantity - emitted,
    poolsExhausted: buffer.status === 'EXHAUSTED',
    // Unix ms; 0 (the spec's "not limited") until the codes are ready and their lifetime starts.
    expiredDate: order.expires_at ? new Date(order.expires_at).getTime() : 0,
    ...(buffer.rejection_reason ? { rejectionReason: buffer.rejection_reason } : {}),
    poolInfos: [
      {
        registrarId: REGISTRAR_ID,
        isRegistrarReady: true,
        registrarErrorCount: 0,
        lastRegistrarErrorTimestamp: 0,
        quantity: buffer.quantity,
        leftInRegistrar: buffer.quantity - emitted,
        status: poolStatus(order, buffer, emitted),
        ...(buffer.rejection_reason ? { rejectionReason: buffer.rejection_reason } : {}),
      },
    ],
    emittedCodes: emitted,
  };
}

export function orderInfo(order: Row, buffers: Row[]) {
  const infos = buffers.map((b) => bufferInfo(order, b));
  return {
    orderId: order.id,
    orderStatus: order.status,
    createdTimestamp: new Date(order.registered_at).getTime(),
    ...(order.decline_reason ? { declineReason: order.decline_reason } : {}),
    ...(order.production_order_id ? { productionOrderId: order.production_order_id } : {}),
    buffers: infos,
    totalCodes: order.total_codes,
    emittedCodes: infos.reduce((sum, b) => sum + b.emittedCodes, 0),
    emissionDeadline: new Date(order.emission_deadline_at).toISOString(),
    deadlineMissed: !!order.deadline_missed_at,
  };
}

/** The client's orders, newest first, with their buffers (no SQL in routes). */
export async function clientOrders(deps: Pick<AppDeps, 'db'>, clientId: string, limit = 500) {
  const orders = await deps.db('orders').where({ client_id: clientId }).orderBy('registered_at', 'desc').limit(limit);
  const buffers = await deps
    .db('order_products')
    .whereIn(
      'order_id',
      orders.map((o) => o.id),
    )
    .orderBy('gtin');
  return orders.map((o) =>
    orderInfo(
      o,
      buffers.filter((b) => b.order_id === o.id),
    ),
  );
}
