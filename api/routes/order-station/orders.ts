import type { FastifyPluginAsync } from 'fastify';
import type { OrderRequest } from '../../../db/orders';
import type { AppDeps } from '../../http/deps';
import { DEFAULT_LIMITS, uploadBodyLimit } from '../../http/limits';
import { takeOrder } from '../../intake/orders';
import { stationSchema } from '../../http/order-station/route-schema';
import { specRef } from '../../http/order-station/spec';
import { clientOrders, clientStation } from '../../views/orders';

type Query = { omsId: string };

/**
 * A line of 150,000 SELF_MADE serials is ~2.5 MB of JSON; an order has up to 10 lines: the order takes up to
 * `UPLOAD_BODY_LIMIT` (48 MiB unless configured; api/http/limits.ts), more is a 413 BODY_TOO_LARGE.
 */
export const ORDER_BODY_LIMIT = DEFAULT_LIMITS.uploadBodyLimit;

const bufferExtensions = {
  emittedCodes: { type: 'integer', description: 'Extension: codes emitted so far (progress of a big order)' },
};
const orderExtensions = {
  buffers: { type: 'array', items: specRef('BufferInfo', bufferExtensions) },
  productionOrderId: { type: 'string' },
  totalCodes: { type: 'integer', description: 'Extension: codes ordered' },
  emittedCodes: { type: 'integer', description: 'Extension: codes emitted so far' },
  emissionDeadline: { type: 'string', format: 'date-time', description: 'Extension: registration + 4 hours (4.4.4)' },
  deadlineMissed: { type: 'boolean', description: 'Extension: the codes were not ready by the deadline' },
};
export const BUFFER_INFO = specRef('BufferInfo', bufferExtensions);

/** The order station (СУЗ) for footwear: orders and their status (Прил. 2 п.3). */
export const orderStationOrderRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.post<{ Querystring: Query; Body: OrderRequest }>(
      '/orders',
      {
        bodyLimit: uploadBodyLimit(deps.config),
        schema: stationSchema('post', '/orders', {
          body: true,
          description:
            'The Kazakhstan body (`OrderDtoShoesKZ`) as published; fields this station does not use are stored or ignored. ' +
            'The codes are emitted within 4 hours (4.4.4). At emission the balance is compared with quantity × price incl. VAT; ' +
            'short → the order is DECLINED with "insufficient funds" and nothing is reserved (3.2, 4.3.7). Refused with 400 ' +
            '(`fieldErrors` per line): a GTIN with a bad check digit, not in the catalogue or whose right the operator has not accepted (pending or rejected), templateId other than 1 (footwear), ' +
            'bad or repeated SELF_MADE serials, REMAINS, more than 10 GTINs, 100 queued or 100 active orders. Deviation: an optional ' +
            '`Idempotency-Key` header returns the same order for the same key.',
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const key = request.headers['idempotency-key'];
        return takeOrder(deps, station, request.body, typeof key === 'string' ? key : undefined);
      },
    );

    app.get<{ Querystring: Query }>(
      '/orders',
      {
        schema: stationSchema('get', '/orders', {
          description:
            'The client’s orders with their buffers, newest first (at most 500); orders being emitted show the codes emitted so far.',
          ok: specRef('OrdersSummaries', {
            orderInfos: { type: 'array', items: specRef('OrderSummaryInfo', orderExtensions) },
          }),
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        return { omsId: station.omsId, orderInfos: await clientOrders(deps, station.clientId) };
      },
    );
  };
