import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { clientProducts, ProductRightsError, registerProduct, updateProduct } from '../../../db/products';
import { normaliseGtin } from '../../../lib/codes';
import { requireClient } from '../../http/auth';
import type { AppDeps } from '../../http/deps';
import { ApiError, notFound } from '../../http/errors';
import { authErrors, errorResponses } from '../../schemas/common';
import { Product, RegisterProductBody, toProduct, UpdateProductBody } from '../../schemas/order-station';

const GtinParams = Type.Object({ gtin: Type.String({ pattern: '^[0-9]{14}$' }) });

/** The catalogue's refusals as the API's errors. */
export const asApiError = (error: unknown): never => {
  if (error instanceof ProductRightsError)
    throw new ApiError(error.statusCode, error.code, error.message, error.details);
  throw error;
};

/**
 * The client's product catalogue: orders are accepted only for its registered GTINs whose right
 * the operator accepted (issue #16) — at once under a GS1 company prefix recorded for the client,
 * otherwise after staff moderate the product card with the evidence attached.
 */
export const clientProductRoutes =
  ({ db, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const security = [{ clientToken: [] }];

    app.post(
      '/products',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Register a product (GTIN) to order codes for',
          description:
            'Under a GS1 company prefix recorded for the client the right to the GTIN is accepted at once (`rights.basis` gs1_prefix); ' +
            'otherwise the product is `pending` until staff moderate it with the `evidence` attached, and codes cannot be ordered for it until accepted. ' +
            '409 GTIN_OF_ANOTHER_COMPANY: the GTIN lies under a GS1 company prefix recorded for another company; 409 PRODUCT_EXISTS: registered already.',
          security,
          body: RegisterProductBody,
          response: { 201: Product, ...authErrors, ...errorResponses(409) },
        },
      },
      async (request, reply) => {
        const gtin = normaliseGtin(request.body.gtin);
        if (!gtin) {
          throw new ApiError(
            400,
            'VALIDATION_FAILED',
            `gtin ${request.body.gtin} is not a GTIN with a valid check digit`,
            [{ location: 'body', path: '/gtin', message: 'invalid GTIN check digit' }],
          );
        }
        const { name, attributes, evidence } = request.body;
        const row = await registerProduct(db, {
          clientId: requireClient(request).clientId,
          gtin,
          name,
          attributes,
          evidence,
          now: clock.now(),
        }).catch(asApiError);
        return reply.status(201).send(toProduct(row));
      },
    );

    app.get(
      '/products',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'The product catalogue, with the operator’s decision on the right to each GTIN',
          security,
          response: { 200: Type.Object({ products: Type.Array(Product) }), ...authErrors },
        },
      },
      async (request) => ({ products: (await clientProducts(db, requireClient(request).clientId)).map(toProduct) }),
    );

    app.patch(
      '/products/:gtin',
      {
        schema: {
          tags: ['catalogue'],
          summary: 'Rename, describe, deactivate or reactivate a product; or give new evidence for moderation',
          description:
            'New `evidence` re-submits a pending or rejected product for moderation (409 RIGHTS_ALREADY_ACCEPTED for an accepted one).',
          security,
          params: GtinParams,
          body: UpdateProductBody,
          response: { 200: Product, ...authErrors, ...errorResponses(404, 409) },
        },
      },
      async (request) => {
        const { evidence, ...changes } = request.body;
        if (Object.keys(request.body).length === 0)
          throw new ApiError(400, 'VALIDATION_FAILED', 'Nothing to change: give name, attributes, active or evidence');
        const row = await updateProduct(db, {
          clientId: requireClient(request).clientId,
          gtin: request.params.gtin,
          changes,
          evidence,
          now: clock.now(),
        }).catch(asApiError);
        if (!row) throw notFound('product', request.params.gtin);
        return toProduct(row);
      },
    );
  };
