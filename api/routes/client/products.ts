import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { normaliseGtin } from '../../../lib/codes';
import { requireClient } from '../../auth';
import type { AppDeps } from '../../deps';
import { ApiError, conflict, notFound } from '../../errors';
import { authErrors, errorResponses } from '../../schemas/common';
import { Product, RegisterProductBody, toProduct, UpdateProductBody } from '../../schemas/order-station';

const GtinParams = Type.Object({ gtin: Type.String({ pattern: '^[0-9]{14}$' }) });

/** The client's product catalogue: orders are accepted only for its registered GTINs. */
export const clientProductRoutes =
  ({ db }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const auth = { client: true };
    const security = [{ clientToken: [] }];

    app.post(
      '/products',
      {
        config: { auth },
        schema: { tags: ['catalogue'], summary: 'Register a product (GTIN) to order codes for', security, body: RegisterProductBody, response: { 201: Product, ...authErrors, ...errorResponses(409) } },
      },
      async (request, reply) => {
        const gtin = normaliseGtin(request.body.gtin);
        if (!gtin) {
          throw new ApiError(400, 'VALIDATION_FAILED', `gtin ${request.body.gtin} is not a GTIN with a valid check digit`, [{ location: 'body', path: '/gtin', message: 'invalid GTIN check digit' }]);
        }
        const [row] = await db('products')
          .insert({ client_id: requireClient(request).clientId, gtin, name: request.body.name, attributes: request.body.attributes ?? {} })
          .onConflict(['client_id', 'gtin'])
          .ignore()
          .returning('*');
        if (!row) throw conflict('PRODUCT_EXISTS', `GTIN ${gtin} is already in the catalogue`);
        return reply.status(201).send(toProduct(row));
      },
    );

    app.get(
      '/products',
      {
        config: { auth },
        schema: { tags: ['catalogue'], summary: 'The product catalogue', security, response: { 200: Type.Object({ products: Type.Array(Product) }), ...authErrors } },
      },
      async (request) => ({ products: (await db('products').where({ client_id: requireClient(request).clientId }).orderBy('gtin')).map(toProduct) }),
    );

    app.patch(
      '/products/:gtin',
      {
        config: { auth },
        schema: { tags: ['catalogue'], summary: 'Rename, describe, deactivate or reactivate a product', security, params: GtinParams, body: UpdateProductBody, response: { 200: Product, ...authErrors, ...errorResponses(404) } },
      },
      async (request) => {
        if (Object.keys(request.body).length === 0) throw new ApiError(400, 'VALIDATION_FAILED', 'Nothing to change: give name, attributes or active');
        const [row] = await db('products').where({ client_id: requireClient(request).clientId, gtin: request.params.gtin }).update(request.body).returning('*');
        if (!row) throw notFound('product', request.params.gtin);
        return toProduct(row);
      },
    );
  };
