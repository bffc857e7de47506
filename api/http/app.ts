import Fastify, { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import { authPlugin, type RouteAuth } from './auth';
import { OneLinePerRequest } from './request-log';
import { staffSignInRoutes } from '../routes/staff-sign-in';
import type { AppDeps } from './deps';
import { errorHandler, notFoundHandler } from './errors';
import { documentAcceptLanguage } from './openapi-language';
import { declareCommonAnswers, rateLimitOptions } from './limits';
import { createApiMetrics, requestTimer } from './metrics';
import { createCopyPool, DEFAULT_DOWNLOAD_STREAMS, DOWNLOAD_WAIT_MS } from '../../db/copy-pool';
import { tracing } from '../../lib/telemetry/tracing';
import { requestIdFrom } from './request-id';
import { refuseNulCharacters, tightenRequestSchema } from './request-guards';
import { consoleRoutes } from '../routes/consoles';
import { staffApi } from '../routes/staff';
import { clientApi } from '../routes/client';
import { publicApi } from '../routes/public';
import { healthRoutes } from '../routes/public/health';
import { metricsRoutes } from '../routes/public/metrics';
import { clientSignInRoutes } from '../routes/client/sign-in';
import { orderStationRoutes } from '../routes/order-station';
import { shoesDefinitions } from './order-station/spec';
import { Account, LedgerTransaction, Statement } from '../schemas/account';
import { Client } from '../schemas/clients';
import { Invoice } from '../schemas/invoices';
import { Product } from '../schemas/order-station';
import { ImportSummary, Payment } from '../schemas/payments';
import { Tariff, VatRate } from '../schemas/tariffs';
import { Ticket } from '../schemas/tickets';
import { ErrorResponse } from '../schemas/common';
import { Application } from '../schemas/join-applications';
import { Notice } from '../schemas/notices';
import { StaffUser } from '../schemas/staff';

export interface RegisteredRoute {
  method: string;
  /** As registered, e.g. `/staff/v1/clients/:clientId`. */
  url: string;
  /** Left out of the OpenAPI document (`schema.hide`): the docs' own pages. */
  hidden: boolean;
  /** Who may call it (`config.auth`); undefined: a public route. */
  auth?: RouteAuth;
  /** Its declared schema (params, querystring, body, security…). */
  schema?: Record<string, unknown>;
}

export interface App extends FastifyInstance {
  /** Makes /ready answer 503 before the server closes. */
  startDraining(): void;
  /** Every route the app serves, one per method (HEAD ones included), in the order registered. */
  readonly registeredRoutes: readonly RegisteredRoute[];
}

/**
 * The HTTP API. Routes are grouped by audience: public (/health, /ready), clients
 * (/client/v1, /api/v2 order station later), staff (/staff/v1); the business calendar is
 * public (/v1/calendar). Schemas are TypeBox,
 * shared by validation and the OpenAPI document served at /docs.
 */
export async function buildApp(given: AppDeps): Promise<App> {
  const downloads =
    given.downloads ??
    createCopyPool(given.db, {
      streams: given.config.downloadStreams ?? DEFAULT_DOWNLOAD_STREAMS,
      waitMs: DOWNLOAD_WAIT_MS,
    });
  const deps: AppDeps = { ...given, downloads };
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new OneLinePerRequest(),
    bodyLimit: deps.config.bodyLimit,
    // Behind proxies named in TRUST_PROXY, the caller's address (rate limits per address) is X-Forwarded-For's.
    // (A hop count is Fastify's too; its types name only the other forms.)
    trustProxy: (deps.config.trustProxy ?? false) as boolean | string[],
    // The caller's x-request-id only in a safe short form (api/http/request-id.ts), else a fresh UUID.
    requestIdHeader: false,
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const state = { draining: false };
  app.decorate('startDraining', () => {
    state.draining = true;
  });
  const registeredRoutes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  // Bad input, once for every route (api/http/request-guards.ts, api/http/limits.ts): request schemas tightened
  // (integers bounded, dates real), the answers every route may give declared, a NUL character refused.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (!schema) return;
    const tightened: Record<string, unknown> = { ...schema };
    for (const part of ['params', 'querystring', 'body', 'headers'])
      if (tightened[part]) tightened[part] = tightenRequestSchema(tightened[part]);
    route.schema = declareCommonAnswers(tightened, route);
  });
  app.addHook('preValidation', refuseNulCharacters);
  app.addHook('onRoute', (route) => {
    const hidden = !!(route.schema as { hide?: boolean } | undefined)?.hide;
    // `auth` read when asked: a prefix's hooks (api/http/audiences.ts) complete it after this hook runs.
    for (const method of [route.method].flat()) {
      registeredRoutes.push({
        method,
        url: route.url,
        hidden,
        get auth() {
          return (route.config as { auth?: RouteAuth } | undefined)?.auth;
        },
        schema: route.schema as Record<string, unknown> | undefined,
      });
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Traced (OTEL_EXPORTER_OTLP_ENDPOINT): every hook and handler a span, before any route is added.
  const otel = tracing()?.fastify;
  // (Its plugin is typed for Fastify's default logger; the app's is pino's own.)
  if (otel) await (app as unknown as FastifyInstance).register(otel.plugin());
  const metrics = createApiMetrics({ ...deps, downloads });
  // A server going down does not wait on downloads read slowly: they are cut (a file can be fetched again).
  app.addHook('preClose', async () => downloads.abort());
  if (!given.downloads) app.addHook('onClose', async () => downloads.close());
  app.addHook('onResponse', requestTimer(metrics));
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  for (const schema of [
    ErrorResponse,
    Client,
    StaffUser,
    Notice,
    Application,
    Account,
    Statement,
    LedgerTransaction,
    Payment,
    ImportSummary,
    Tariff,
    VatRate,
    Invoice,
    Product,
    Ticket,
  ]) {
    app.addSchema(schema);
  }
  // The order station's schemas under their published names (OrderDtoShoesKZ, BufferInfo, RestResult...).
  for (const schema of shoesDefinitions()) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ismet-backoffice API',
        version: '0.1.0',
        description:
          'Back office of the Unified Operator of marking (footwear, Kazakhstan standard contract). ' +
          'Every 4xx/5xx answer has the shape {code, message, details}, except the order station (/api/v2/*), which answers ' +
          'in its published RestResult shape {success, globalErrors, fieldErrors} (with the same machine code in `code`).',
      },
      servers: [{ url: deps.config.publicUrl }],
      components: {
        securitySchemes: {
          staffToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'Staff API token (roles: moderator, support, accountant, admin)',
          },
          clientToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'Client API token. Its scopes say what it opens: `cabinet_read` — every GET of /client/v1; `cabinet` — all of /client/v1; ' +
              '`station` — the order station (/api/v2) only. Otherwise 403 TOKEN_SCOPE; an expired token 401 TOKEN_EXPIRED; a suspended client reads only (403 CLIENT_SUSPENDED).',
          },
          omsClientToken: {
            type: 'apiKey',
            in: 'header',
            name: 'clientToken',
            description:
              'The client API token in the order station’s `clientToken` header; it needs the scope `station`',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}` },
    transformObject: (documents) =>
      documentAcceptLanguage(
        (documents as { openapiObject: Parameters<typeof documentAcceptLanguage>[0] }).openapiObject,
      ),
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(authPlugin, {
    db: deps.db,
    publicUrl: deps.config.publicUrl,
    tokenCacheSeconds: deps.config.authCacheSeconds,
  });
  await app.register(rateLimit, rateLimitOptions(deps.config));

  await app.register(healthRoutes(deps, state));
  await app.register(metricsRoutes(deps, metrics));
  await app.register(consoleRoutes(deps));
  await app.register(staffSignInRoutes(deps));
  await app.register(publicApi(deps), { prefix: '/v1' });
  await app.register(staffApi(deps), { prefix: '/staff/v1' });
  await app.register(clientApi(deps), { prefix: '/client/v1' });
  await app.register(clientSignInRoutes(deps), { prefix: '/v1/cabinet' });
  await app.register(orderStationRoutes(deps), { prefix: '/api/v2' });

  await app.ready();
  return app as unknown as App;
}
