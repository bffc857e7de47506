import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { declareAudience } from '../../http/audiences';
import type { AppDeps } from '../../http/deps';
import { restResultErrorHandler, restResultNotFound } from '../../http/order-station/rest-result';
import { LOG_LIMIT } from './system';
import { orderStationBufferRoutes } from './buffers';
import { orderStationCodeRoutes } from './codes';
import { orderStationOrderRoutes } from './orders';
import { orderStationReportRoutes } from './reports';
import { orderStationSystemRoutes } from './system';

const UUID_ANY_CASE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_PARAMS = ['omsId', 'orderId', 'blockId', 'lastBlockId', 'reportId', 'docId'];

/**
 * `/api/v2/*`: the order station as the Kazakhstan station publishes it (footwear: `/shoes`).
 * Errors, including unknown routes, answer in `RestResult`. Ids are accepted in either case
 * (integrators send upper-case UUIDs; the national station refuses them). Every route is a client's.
 */
export const orderStationRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    declareAudience(app, 'client');
    app.setErrorHandler(restResultErrorHandler);
    app.setNotFoundHandler(restResultNotFound);
    app.addHook('preValidation', async (request) => {
      const query = request.query as Record<string, unknown> | undefined;
      if (!query) return;
      for (const name of ID_PARAMS) {
        const value = query[name];
        if (typeof value === 'string' && UUID_ANY_CASE.test(value)) query[name] = value.toLowerCase();
      }
    });
    await app.register(
      async (shoes) => {
        await shoes.register(multipart, { limits: { fileSize: LOG_LIMIT, files: 1, fields: 10 } });
        await shoes.register(orderStationSystemRoutes(deps));
        await shoes.register(orderStationOrderRoutes(deps));
        await shoes.register(orderStationBufferRoutes(deps));
        await shoes.register(orderStationCodeRoutes(deps));
        await shoes.register(orderStationReportRoutes(deps));
      },
      { prefix: '/shoes' },
    );
  };
