import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { blockCodes } from '../../../db/downloads';
import { download } from '../../downloads';
import type { AppDeps } from '../../deps';
import { notFound } from '../../errors';
import { authErrors, errorResponses, Uuid } from '../../schemas/common';
import { clientStation } from './orders';

const security = [{ clientToken: [] }];
const auth = { client: true };

const CodesQuery = Type.Object(
  {
    omsId: Uuid,
    orderId: Uuid,
    gtin: Type.String(),
    quantity: Type.Integer({ minimum: 1, maximum: 150_000 }),
    lastBlockId: Type.Optional(Type.String({ description: "The previous block's id; '0' (default) for the first" })),
  },
  { additionalProperties: false },
);
const CodesAnswer = Type.Object({
  omsId: Uuid,
  codes: Type.Array(Type.String(), { description: 'Full codes; the GS separator is the character U+001D (\\u001d in JSON)' }),
  blockId: Uuid,
});

async function codesOf(deps: AppDeps, blockId: string): Promise<string[]> {
  const codes: string[] = [];
  for await (const code of blockCodes(deps.db, blockId)) codes.push(code);
  return codes;
}

/** Getting codes from the order station (СУЗ 4.5.6, 4.5.14, 4.5.15): each first delivery is a download that charges (6.4). */
export const orderStationCodeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { db } = deps;
    const ownBuffer = async (clientId: string, orderId: string, gtin: string) => {
      const buffer = await db('order_products as p').join('orders as o', 'o.id', 'p.order_id').where({ 'o.id': orderId, 'o.client_id': clientId, 'p.gtin': gtin }).first('p.id');
      if (!buffer) throw notFound(`buffer of order ${orderId} for GTIN`, gtin);
      return buffer.id as string;
    };

    app.get(
      '/codes',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'Get the next block of codes (СУЗ 4.5.6): a download — charged from the reservation, codes become APPLIED («нанесён и оплачен»)',
          description:
            'Pass the previous block id as lastBlockId (0 for the first). The same lastBlockId again returns the same block and ' +
            'charges nothing, so a lost answer can simply be asked for again; /codes/retry does the same by blockId. Fewer ' +
            'codes than asked are returned when fewer are left; none left → 409 BUFFER_EXHAUSTED.',
          security,
          querystring: CodesQuery,
          response: { 200: CodesAnswer, ...authErrors, ...errorResponses(403, 404, 409) },
        },
      },
      async (request) => {
        const { clientId, omsId } = await clientStation(request, deps, request.query.omsId);
        const { orderId, gtin, quantity } = request.query;
        const bufferId = await ownBuffer(clientId, orderId, gtin);
        const lastBlockId = request.query.lastBlockId ?? '0';
        if (lastBlockId !== '0' && !(await db('code_blocks').where({ id: /^[0-9a-f-]{36}$/.test(lastBlockId) ? lastBlockId : null, order_product_id: bufferId }).first('id'))) {
          throw notFound(`block of order ${orderId} for GTIN ${gtin}`, lastBlockId);
        }
        const block = await download(deps, { orderId, gtin, quantity, requestRef: `after:${lastBlockId}`, channel: 'order_station' });
        return { omsId, codes: await codesOf(deps, block.blockId), blockId: block.blockId };
      },
    );

    app.get(
      '/codes/retry',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'Get a block again (СУЗ 4.5.15): the same codes, no second charge',
          security,
          querystring: Type.Object({ omsId: Uuid, blockId: Uuid, orderId: Type.Optional(Uuid), gtin: Type.Optional(Type.String()) }, { additionalProperties: false }),
          response: { 200: CodesAnswer, ...authErrors, ...errorResponses(403, 404) },
        },
      },
      async (request) => {
        const { clientId, omsId } = await clientStation(request, deps, request.query.omsId);
        const block = await db('code_blocks').where({ id: request.query.blockId, client_id: clientId }).first('id');
        if (!block) throw notFound('block', request.query.blockId);
        return { omsId, codes: await codesOf(deps, block.id), blockId: block.id };
      },
    );

    app.get(
      '/codes/blocks',
      {
        config: { auth },
        schema: {
          tags: ['order station'],
          summary: 'The blocks delivered from a buffer (СУЗ 4.5.14)',
          security,
          querystring: Type.Object({ omsId: Uuid, orderId: Uuid, gtin: Type.String() }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              omsId: Uuid,
              orderId: Uuid,
              gtin: Type.String(),
              blocks: Type.Array(Type.Object({ blockId: Uuid, blockDateTime: Type.Integer({ description: 'Unix time, ms' }), quantity: Type.Integer() })),
            }),
            ...authErrors,
            ...errorResponses(403, 404),
          },
        },
      },
      async (request) => {
        const { clientId, omsId } = await clientStation(request, deps, request.query.omsId);
        const bufferId = await ownBuffer(clientId, request.query.orderId, request.query.gtin);
        const blocks = await db('code_blocks').where({ order_product_id: bufferId }).orderBy('delivered_at').select('id', 'delivered_at', 'quantity');
        return { omsId, orderId: request.query.orderId, gtin: request.query.gtin, blocks: blocks.map((b) => ({ blockId: b.id, blockDateTime: new Date(b.delivered_at).getTime(), quantity: b.quantity })) };
      },
    );
  };
