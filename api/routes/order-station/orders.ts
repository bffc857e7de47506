import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { OrderRefusedError, registerOrder } from '../../../db/orders';
import { BusinessStatus, ClientId } from '../../../lib/search-attributes';
import { closeBufferUpdate, EMISSION_HOURS, orderEmission, OrderEmissionState, orderStateQuery, orderWorkflowId } from '../../../workflows/order-emission';
import { zoneCalendar } from '../../account-view';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, conflict, notFound } from '../../errors';
import { authErrors, errorResponses, Uuid } from '../../schemas/common';
import { BufferInfo, BufferQuery, CloseBufferBody, CreateOrderAnswer, CreateOrderBody, OmsQuery, OrderList } from '../../schemas/order-station';

const security = [{ clientToken: [] }];
const auth = { client: true };
const IN_PROGRESS = ['CREATED', 'PENDING', 'APPROVED'];

type Row = Record<string, any>;

/** Each client has its own order station id; a request names it in `omsId`. */
export async function clientStation(request: FastifyRequest, deps: AppDeps, omsId: string) {
  const { clientId } = requireClient(request);
  const client = await deps.db('clients').where({ id: clientId }).first('id', 'oms_id');
  if (client.oms_id !== omsId) throw new ApiError(403, 'OMS_ID_MISMATCH', `omsId ${omsId} is not this client's order station (GET /client/v1/me shows it)`);
  return { clientId, omsId };
}

/** Progress of an order being emitted comes from its workflow; the database has the rest. */
async function liveState(deps: AppDeps, order: Row): Promise<OrderEmissionState | undefined> {
  if (!IN_PROGRESS.includes(order.status)) return undefined;
  try {
    return await deps.temporal.client.workflow.getHandle(orderWorkflowId(order.id)).query(orderStateQuery);
  } catch {
    return undefined;
  }
}

function bufferInfo(order: Row, buffer: Row, live?: OrderEmissionState) {
  const emitted = live?.buffers.find((b) => b.gtin === buffer.gtin)?.emitted ?? buffer.emitted;
  const started = buffer.status !== 'PENDING' && buffer.status !== 'REJECTED';
  return {
    omsId: order.oms_id,
    orderId: order.id,
    gtin: buffer.gtin,
    bufferStatus: buffer.status,
    totalCodes: buffer.quantity,
    availableCodes: started ? (buffer.status === 'ACTIVE' ? emitted - buffer.passed : 0) : -1,
    leftInBuffer: started ? (buffer.status === 'ACTIVE' ? buffer.quantity - buffer.passed : 0) : -1,
    totalPassed: buffer.passed,
    unavailableCodes: buffer.quantity - emitted,
    poolsExhausted: buffer.status === 'EXHAUSTED',
    expiredDate: order.expires_at ? new Date(order.expires_at).getTime() : null,
    ...(buffer.rejection_reason ? { rejectionReason: buffer.rejection_reason } : {}),
    emittedCodes: emitted,
  };
}

async function orderInfo(deps: AppDeps, order: Row, buffers: Row[]) {
  const live = await liveState(deps, order);
  const infos = buffers.map((b) => bufferInfo(order, b, live));
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

/** The order station (СУЗ) for footwear: orders, their buffers and status (Прил. 2 п.3). */
export const orderStationOrderRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db, temporal, config, clock } = deps;

    app.post(
      '/orders',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'Create an order for marking codes (СУЗ 4.5.1); the codes are emitted within 4 hours (4.4.4)',
          description:
            'At emission the balance is compared with quantity × price incl. VAT; short → the order is DECLINED with ' +
            '"insufficient funds" and nothing is reserved (3.2, 4.3.7). Refusals: per-line problems (bad GTIN check digit, GTIN ' +
            'not in the catalogue, quantity outside 1..150000, bad or repeated SELF_MADE serials) → 400 INVALID_ORDER_LINES; ' +
            'more than 10 GTINs → 400 TOO_MANY_PRODUCTS; 100 queued or 100 active orders → 409. Deviation: optional ' +
            '`Idempotency-Key` header; the same key returns the same order.',
          security,
          querystring: OmsQuery,
          body: CreateOrderBody,
          response: { 200: CreateOrderAnswer, ...authErrors, ...errorResponses(403, 409, 503) },
        },
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const calendar = zoneCalendar(config);
        const now = clock.now();
        const key = request.headers['idempotency-key'];
        try {
          const { order, products } = await db.transaction(async (trx) => {
            const registered = await registerOrder(trx, {
              clientId: station.clientId,
              omsId: station.omsId,
              request: request.body,
              registeredAt: now,
              today: calendar.localDate(now),
              idempotencyKey: typeof key === 'string' ? key : undefined,
              deadline: (at) => calendar.addClockHours(at, EMISSION_HOURS),
            });
            if (!registered.existing) {
              await temporal.client.workflow.start(orderEmission, {
                workflowId: orderWorkflowId(registered.order.id),
                taskQueue: config.temporalTaskQueue,
                args: [{
                  orderId: registered.order.id,
                  clientId: station.clientId,
                  registeredAt: new Date(registered.order.registered_at).toISOString(),
                  products: registered.products.map((p) => ({ orderProductId: p.id, gtin: p.gtin, quantity: p.quantity })),
                }],
                typedSearchAttributes: [
                  { key: ClientId, value: station.clientId },
                  { key: BusinessStatus, value: 'CREATED' },
                ],
                staticSummary: `Order ${registered.order.id}: ${registered.order.total_codes} codes, ${registered.products.length} GTIN(s)`,
                staticDetails: `GTINs: ${registered.products.map((p) => `${p.gtin} × ${p.quantity}`).join(', ')}`,
              });
            }
            return registered;
          });
          return { omsId: station.omsId, orderId: order.id, expectedCompleteTimestamp: 2000 + Math.ceil(order.total_codes / 10_000) * 1500 + products.length * 500 };
        } catch (error) {
          if (error instanceof OrderRefusedError) throw new ApiError(error.status, error.code, error.message, error.details);
          throw error;
        }
      },
    );

    app.get(
      '/orders',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'The client’s orders with their buffers (СУЗ 4.5.8); orders being emitted show the codes emitted so far',
          security,
          querystring: OmsQuery,
          response: { 200: OrderList, ...authErrors, ...errorResponses(403) },
        },
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const orders = await db('orders').where({ client_id: station.clientId }).orderBy('registered_at', 'desc').limit(500);
        const buffers = await db('order_products').whereIn('order_id', orders.map((o) => o.id)).orderBy('gtin');
        const infos = await Promise.all(orders.map((o) => orderInfo(deps, o, buffers.filter((b) => b.order_id === o.id))));
        return { omsId: station.omsId, orderInfos: infos };
      },
    );

    app.get(
      '/buffer/status',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'The status of one buffer (СУЗ 4.5.7): emitted, downloaded and left',
          security,
          querystring: BufferQuery,
          response: { 200: BufferInfo, ...authErrors, ...errorResponses(403, 404) },
        },
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const order = await db('orders').where({ id: request.query.orderId, client_id: station.clientId }).first();
        if (!order) throw notFound('order', request.query.orderId);
        const buffer = await db('order_products').where({ order_id: order.id, gtin: request.query.gtin }).first();
        if (!buffer) throw notFound(`buffer of order ${order.id} for GTIN`, request.query.gtin);
        return bufferInfo(order, buffer, await liveState(deps, order));
      },
    );

    app.post(
      '/buffer/close',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'Close a buffer (one GTIN) or, without gtin, every buffer of the order (СУЗ 4.5.5)',
          description: 'Codes not downloaded are given up; their reservation returns to the available balance once the order has no open buffer.',
          security,
          querystring: OmsQuery,
          body: CloseBufferBody,
          response: { 200: Type.Object({ omsId: Uuid }), ...authErrors, ...errorResponses(403, 404, 409) },
        },
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const order = await db('orders').where({ id: request.body.orderId, client_id: station.clientId }).first();
        if (!order) throw notFound('order', request.body.orderId);
        if (order.status !== 'READY') throw conflict('BUFFER_NOT_CLOSABLE', `The order is ${order.status}: only a READY order's buffers can be closed`);
        try {
          await temporal.client.workflow.getHandle(orderWorkflowId(order.id)).executeUpdate(closeBufferUpdate, { args: [{ gtin: request.body.gtin }] });
        } catch (error) {
          if (error instanceof WorkflowUpdateFailedError) throw conflict('BUFFER_NOT_CLOSABLE', error.cause?.message ?? error.message);
          throw error;
        }
        return { omsId: station.omsId };
      },
    );

    app.get('/ping', { config: { auth }, schema: { tags: ['order station'], summary: 'Check the station (СУЗ ping)', security, querystring: OmsQuery } }, async (request) => ({
      omsId: (await clientStation(request, deps, request.query.omsId)).omsId,
    }));

    app.get('/version', { config: { auth }, schema: { tags: ['order station'], summary: 'API and station versions', security } }, async () => ({
      apiVersion: '2',
      omsVersion: 'ismet-backoffice 0.1.0',
    }));
  };
