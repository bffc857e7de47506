import type { FastifyPluginAsync } from 'fastify';
import { closeBufferUpdate, orderWorkflowId } from '../../../workflows/order-emission';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { updateOrRefuse } from '../../http/workflow-errors';
import { stationSchema } from '../../http/order-station/route-schema';
import { bufferInfo, clientStation, ownBlock, ownBuffer, ownOrder } from '../../views/orders';
import { BUFFER_INFO } from './orders';

/** Buffers (sub-orders, one per GTIN): their status, and closing them (СУЗ 4.5.5, 4.5.7). */
export const orderStationBufferRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const { temporal } = deps;

    app.get<{ Querystring: { omsId: string; orderId: string; gtin: string } }>(
      '/buffer/status',
      { schema: stationSchema('get', '/buffer/status', { ok: BUFFER_INFO }) },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const { order, buffer } = await ownBuffer(deps, station.clientId, request.query.orderId, request.query.gtin);
        return bufferInfo(order, buffer);
      },
    );

    app.post<{ Querystring: { omsId: string; orderId: string; gtin?: string; lastBlockId: string } }>(
      '/buffer/close',
      {
        schema: stationSchema('post', '/buffer/close', {
          description:
            'Every parameter is in the query; a body, if sent, is ignored. Without `gtin` every buffer of the order is closed; the last ' +
            'buffer closed closes the order. Codes not downloaded are given up; their reservation returns to the available balance. ' +
            '`lastBlockId`, when given, must be a block of this buffer: the blocks after it stay retrievable by /codes/retry.',
        }),
      },
      async (request) => {
        const station = await clientStation(request, deps, request.query.omsId);
        const { gtin, lastBlockId } = request.query;
        const order = gtin
          ? (await ownBuffer(deps, station.clientId, request.query.orderId, gtin)).order
          : await ownOrder(deps, station.clientId, request.query.orderId);
        if (lastBlockId && lastBlockId !== '0') await ownBlock(deps, order.id, lastBlockId, gtin);
        if (order.status !== 'READY')
          throw new ApiError(
            409,
            'BUFFER_NOT_CLOSABLE',
            `The order is ${order.status}: only a READY order's buffers can be closed`,
          );
        // Bounded: while the orders' worker is away the answer is 503 PROCESS_BUSY, to retry, not a hung request.
        await updateOrRefuse(
          temporal.client.workflow.getHandle(orderWorkflowId(order.id)),
          closeBufferUpdate,
          [{ gtin }],
          {
            refused: 'BUFFER_NOT_CLOSABLE',
            closed: 'BUFFER_NOT_CLOSABLE',
          },
        );
        return { omsId: station.omsId };
      },
    );
  };
