import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { codesJsonByCopy } from '../../../db/codes-copy';
import type { AppDeps } from '../../http/deps';
import { downloadConnections, endsWithResponse } from '../../http/download-streams';
import { download } from '../../intake/downloads';
import { stationSchema } from '../../http/order-station/route-schema';
import { bufferBlocks, clientStation, ownBlock, ownBuffer } from '../../views/orders';

/** Getting codes from the order station (СУЗ 4.5.6, 4.5.14, 4.5.15): each first delivery is a download that charges (6.4). */
export const orderStationCodeRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    const copyConnection = downloadConnections(deps);
    /** CodesDto, streamed from PostgreSQL's COPY (db/codes-copy.ts): 150,000 codes are never one string in memory. */
    const sendCodes = async (reply: FastifyReply, omsId: string, blockId: string) =>
      reply
        .type('application/json; charset=utf-8')
        .send(endsWithResponse(reply, codesJsonByCopy(await copyConnection(), blockId, { blockId }, { omsId })));

    app.get<{ Querystring: { omsId: string; orderId: string; gtin: string; quantity: number; lastBlockId: string } }>(
      '/codes',
      {
        schema: stationSchema('get', '/codes', {
          description:
            'A download: the codes are charged from the order’s reservation and become APPLIED («нанесён и оплачен», 6.4). ' +
            '`lastBlockId` acknowledges the last block received: "0" (the default) before the first, then the previous answer’s ' +
            '`blockId`. The block that follows a given `lastBlockId` is made once: asking again with the same `lastBlockId` (an ' +
            'answer lost in transit) returns the same block and charges nothing, as /codes/retry does by `blockId`. Fewer codes than ' +
            'asked come when fewer are left; when none are left the answer is 400 with code BUFFER_EXHAUSTED, so a client paging ' +
            'until the buffer is exhausted stops there.',
        }),
      },
      async (request, reply) => {
        const { clientId, omsId } = await clientStation(request, deps, request.query.omsId);
        const { orderId, gtin, quantity } = request.query;
        const { order } = await ownBuffer(deps, clientId, orderId, gtin);
        const lastBlockId = request.query.lastBlockId || '0';
        if (lastBlockId !== '0') await ownBlock(deps, order.id, lastBlockId, gtin);
        const block = await download(deps, {
          orderId: order.id,
          gtin,
          quantity,
          requestRef: `after:${lastBlockId}`,
          channel: 'order_station',
        });
        return sendCodes(reply, omsId, block.blockId);
      },
    );

    app.get<{ Querystring: { omsId: string; orderId: string; gtin: string; blockId: string } }>(
      '/codes/retry',
      {
        schema: stationSchema('get', '/codes/retry', {
          description: 'The same codes of a block delivered before; no second charge.',
        }),
      },
      async (request, reply) => {
        const { clientId, omsId } = await clientStation(request, deps, request.query.omsId);
        const { order } = await ownBuffer(deps, clientId, request.query.orderId, request.query.gtin);
        const block = await ownBlock(deps, order.id, request.query.blockId, request.query.gtin);
        return sendCodes(reply, omsId, block.id);
      },
    );

    app.get<{ Querystring: { omsId: string; orderId: string; gtin: string } }>(
      '/codes/blocks',
      {
        schema: stationSchema('get', '/codes/blocks', {
          description: 'The blocks delivered from a buffer, oldest first; `blockDateTime` in Unix ms.',
        }),
      },
      async (request) => {
        const { clientId, omsId } = await clientStation(request, deps, request.query.omsId);
        const { order, buffer } = await ownBuffer(deps, clientId, request.query.orderId, request.query.gtin);
        const blocks = await bufferBlocks(deps, buffer.id);
        return {
          omsId,
          orderId: order.id,
          gtin: buffer.gtin,
          blocks: blocks.map((b) => ({
            blockId: b.id,
            blockDateTime: new Date(b.delivered_at).getTime(),
            quantity: b.quantity,
          })),
        };
      },
    );
  };
