import type { FastifyPluginAsync } from 'fastify';
import { declareAudience } from '../../http/audiences';
import type { AppDeps } from '../../http/deps';
import { clientMeRoutes } from './me';
import { clientNoticeRoutes } from './notices';
import { clientProfileRoutes } from './profile';
import { clientAccountRoutes } from './account';
import { clientInvoiceRoutes } from './invoices';
import { clientProductRoutes } from './products';
import { clientCodeRoutes } from './codes';
import { clientDownloadRoutes } from './downloads';
import { clientActRoutes } from './acts';
import { clientReconciliationRoutes } from './reconciliation';
import { clientTicketRoutes } from './tickets';
import { clientRefundRoutes } from './refunds';
import { clientContractRoutes } from './contract';
import { clientClaimRoutes } from './claims';
import { clientTokenRoutes } from './tokens';
import { clientForceMajeureRoutes } from './force-majeure';
import { clientPeopleRoutes } from './people';
import { clientSignOutRoutes } from './sign-in';

/** `/client/v1`: a client, by API token or by a person of the company in the cabinet (api/http/audiences.ts). */
export const clientApi =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    declareAudience(app, 'client');
    await app.register(clientMeRoutes(deps));
    await app.register(clientNoticeRoutes(deps));
    await app.register(clientProfileRoutes(deps));
    await app.register(clientAccountRoutes(deps));
    await app.register(clientInvoiceRoutes(deps));
    await app.register(clientProductRoutes(deps));
    await app.register(clientCodeRoutes(deps));
    await app.register(clientDownloadRoutes(deps));
    await app.register(clientActRoutes(deps));
    await app.register(clientReconciliationRoutes(deps));
    await app.register(clientTicketRoutes(deps));
    await app.register(clientRefundRoutes(deps));
    await app.register(clientContractRoutes(deps));
    await app.register(clientClaimRoutes(deps));
    await app.register(clientTokenRoutes(deps));
    await app.register(clientForceMajeureRoutes(deps));
    await app.register(clientPeopleRoutes(deps));
    await app.register(clientSignOutRoutes(deps));
  };
