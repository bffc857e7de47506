import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoPriceError, priceOn } from '../../../db/prices';
import { zoneCalendar } from '../../views/account';
import type { AppDeps } from '../../http/deps';
import { ApiError } from '../../http/errors';
import { Price, toPrice } from '../../schemas/account';
import { errorResponses } from '../../schemas/common';
import { PriceQuery } from '../../schemas/tariffs';

/** The price of a code on a date (6.1): public, as the operator publishes it. */
export const priceRoutes =
  ({ db, config, clock }: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/prices',
      {
        schema: {
          tags: ['tariffs'],
          summary: 'The price per code and the VAT rate in force on a date, with their sources',
          querystring: PriceQuery,
          response: { 200: Price, ...errorResponses(400, 404) },
        },
      },
      async (request) => {
        const date = request.query.date ?? zoneCalendar(config).localDate(clock.now());
        try {
          return toPrice(await priceOn(db, date));
        } catch (error) {
          if (error instanceof NoPriceError) throw new ApiError(404, 'NO_PRICE', error.message, { date });
          throw error;
        }
      },
    );
  };
