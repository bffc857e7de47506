import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { AppDeps } from '../../http/deps';
import { exposition, metricsReader } from '../../http/metrics';
import { errorResponses } from '../../schemas/common';

/** Prometheus scrapes this API process here (api/http/metrics.ts); the worker has its own (WORKER_METRICS_ADDRESS). */
export const metricsRoutes =
  (deps: AppDeps, registry: Registry): FastifyPluginAsyncTypebox =>
  async (app) => {
    const mayRead = metricsReader(deps.config.metricsToken);
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['health'],
          summary: 'Prometheus metrics of this API process',
          description:
            'Requests by route and status, the database pool, the outbox backlog, Node.js process metrics, in the ' +
            'Prometheus text format. With METRICS_TOKEN set, the token as a bearer token; without, loopback callers only.',
          response: {
            200: Type.String({ description: 'Prometheus text exposition format 0.0.4' }),
            ...errorResponses(401),
          },
        },
      },
      async (request, reply) => {
        if (!mayRead(request))
          return reply.status(401).send({
            code: 'METRICS_FORBIDDEN',
            message: deps.config.metricsToken
              ? 'Present METRICS_TOKEN as a bearer token'
              : 'Metrics answer only this machine; set METRICS_TOKEN to scrape from elsewhere',
          });
        return reply.type(registry.contentType).send(await exposition(registry));
      },
    );
  };
