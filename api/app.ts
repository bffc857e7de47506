import { contractVersionRoutes } from './routes/public/contract';
import { clientRefundRoutes } from './routes/client/refunds';
import { clientContractRoutes } from './routes/client/contract';
import { clientClaimRoutes } from './routes/client/claims';
import { clientTokenRoutes } from './routes/client/tokens';
import { clientForceMajeureRoutes } from './routes/client/force-majeure';
import { staffRefundRoutes } from './routes/staff/refunds';
import { staffContractRoutes } from './routes/staff/contract';
import { staffClaimRoutes } from './routes/staff/claims';
import { staffPowerOfAttorneyRoutes } from './routes/staff/powers-of-attorney';
import { randomUUID } from 'node:crypto';
import Fastify, { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import { authPlugin, type RouteAuth } from './auth';
import { staffSignInRoutes } from './routes/staff-sign-in';
import type { AppDeps } from './deps';
import { errorHandler, notFoundHandler } from './errors';
import { clientMeRoutes } from './routes/client/me';
import { consoleRoutes } from './routes/consoles';
import { clientPeopleRoutes } from './routes/client/people';
import { clientSignInRoutes, clientSignOutRoutes } from './routes/client/sign-in';
import { clientAccountRoutes } from './routes/client/account';
import { clientActRoutes } from './routes/client/acts';
import { clientInvoiceRoutes } from './routes/client/invoices';
import { clientCodeRoutes } from './routes/client/codes';
import { clientDownloadRoutes } from './routes/client/downloads';
import { clientNoticeRoutes } from './routes/client/notices';
import { clientProductRoutes } from './routes/client/products';
import { clientReconciliationRoutes } from './routes/client/reconciliation';
import { clientTicketRoutes } from './routes/client/tickets';
import { orderStationRoutes } from './routes/order-station';
import { shoesDefinitions } from './order-station/spec';
import { clientProfileRoutes } from './routes/client/profile';
import { calendarRoutes } from './routes/public/calendar';
import { codeVerificationRoutes } from './routes/public/codes';
import { healthRoutes } from './routes/public/health';
import { joinApplicationRoutes } from './routes/public/join-applications';
import { priceRoutes } from './routes/public/prices';
import { staffAccountRoutes } from './routes/staff/accounts';
import { staffActRoutes } from './routes/staff/acts';
import { staffForceMajeureRoutes } from './routes/staff/force-majeure';
import { staffTicketRoutes } from './routes/staff/tickets';
import { staffMailQuarantineRoutes } from './routes/staff/mail-quarantine';
import { staffPaymentRoutes } from './routes/staff/payments';
import { staffTariffRoutes } from './routes/staff/tariffs';
import { staffPricingChangeRoutes } from './routes/staff/pricing-changes';
import { staffCalendarRoutes } from './routes/staff/calendar';
import { staffClientRoutes } from './routes/staff/clients';
import { staffJoinApplicationRoutes } from './routes/staff/join-applications';
import { staffNoticeRoutes } from './routes/staff/notices';
import { staffUserRoutes } from './routes/staff/staff-users';
import { staffStationLogRoutes } from './routes/staff/station-logs';
import { staffTrustStoreRoutes } from './routes/staff/trust-store';
import { staffProductRoutes } from './routes/staff/products';
import { Account, LedgerTransaction, Statement } from './schemas/account';
import { Client } from './schemas/clients';
import { Invoice } from './schemas/invoices';
import { Product } from './schemas/order-station';
import { ImportSummary, Payment } from './schemas/payments';
import { Tariff, VatRate } from './schemas/tariffs';
import { Ticket } from './schemas/tickets';
import { ErrorResponse } from './schemas/common';
import { Application } from './schemas/join-applications';
import { Notice } from './schemas/notices';
import { StaffUser } from './schemas/staff';

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
export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: deps.config.bodyLimit,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const state = { draining: false };
  app.decorate('startDraining', () => {
    state.draining = true;
  });
  const registeredRoutes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    const hidden = !!(route.schema as { hide?: boolean } | undefined)?.hide;
    const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url, hidden, auth, schema: route.schema as Record<string, unknown> | undefined });
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);

  for (const schema of [ErrorResponse, Client, StaffUser, Notice, Application, Account, Statement, LedgerTransaction, Payment, ImportSummary, Tariff, VatRate, Invoice, Product, Ticket]) {
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
          staffToken: { type: 'http', scheme: 'bearer', description: 'Staff API token (roles: moderator, support, accountant, admin)' },
          clientToken: {
            type: 'http',
            scheme: 'bearer',
            description:
              'Client API token. Its scopes say what it opens: `cabinet_read` — every GET of /client/v1; `cabinet` — all of /client/v1; ' +
              '`station` — the order station (/api/v2) only. Otherwise 403 TOKEN_SCOPE; an expired token 401 TOKEN_EXPIRED; a suspended client reads only (403 CLIENT_SUSPENDED).',
          },
          omsClientToken: { type: 'apiKey', in: 'header', name: 'clientToken', description: 'The client API token in the order station’s `clientToken` header; it needs the scope `station`' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (json.$id as string) ?? `def-${i}` },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(authPlugin, { db: deps.db, publicUrl: deps.config.publicUrl });

  await app.register(healthRoutes(deps, state));
  await app.register(consoleRoutes(deps));
  await app.register(staffSignInRoutes(deps));
  await app.register(calendarRoutes(deps), { prefix: '/v1' });
  await app.register(joinApplicationRoutes(deps), { prefix: '/v1' });
  await app.register(priceRoutes(deps), { prefix: '/v1' });
  await app.register(codeVerificationRoutes(deps), { prefix: '/v1' });
  await app.register(contractVersionRoutes(deps), { prefix: '/v1' });
  await app.register(staffUserRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffClientRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffNoticeRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffCalendarRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffJoinApplicationRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffAccountRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffPaymentRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffTariffRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffPricingChangeRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffActRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffTicketRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffMailQuarantineRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffForceMajeureRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffRefundRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffContractRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffClaimRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffPowerOfAttorneyRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffStationLogRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffTrustStoreRoutes(deps), { prefix: '/staff/v1' });
  await app.register(staffProductRoutes(deps), { prefix: '/staff/v1' });
  await app.register(clientMeRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientNoticeRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientProfileRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientAccountRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientInvoiceRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientProductRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientCodeRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientDownloadRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientActRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientReconciliationRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientTicketRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientRefundRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientContractRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientClaimRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientTokenRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientForceMajeureRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientPeopleRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientSignOutRoutes(deps), { prefix: '/client/v1' });
  await app.register(clientSignInRoutes(deps), { prefix: '/v1/cabinet' });
  await app.register(orderStationRoutes(deps), { prefix: '/api/v2' });

  await app.ready();
  return app as unknown as App;
}
