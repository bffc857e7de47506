import type { FastifyPluginAsync } from 'fastify';
import { declareAudience } from '../../http/audiences';
import type { AppDeps } from '../../http/deps';
import { staffUserRoutes } from './staff-users';
import { staffClientRoutes } from './clients';
import { staffNoticeRoutes } from './notices';
import { staffCalendarRoutes } from './calendar';
import { staffJoinApplicationRoutes } from './join-applications';
import { staffAccountRoutes } from './accounts';
import { staffPaymentRoutes } from './payments';
import { staffTariffRoutes } from './tariffs';
import { staffPricingChangeRoutes } from './pricing-changes';
import { staffActRoutes } from './acts';
import { staffTicketRoutes } from './tickets';
import { staffMailQuarantineRoutes } from './mail-quarantine';
import { staffForceMajeureRoutes } from './force-majeure';
import { staffRefundRoutes } from './refunds';
import { staffContractRoutes } from './contract';
import { staffClaimRoutes } from './claims';
import { staffPowerOfAttorneyRoutes } from './powers-of-attorney';
import { staffStationLogRoutes } from './station-logs';
import { staffTrustStoreRoutes } from './trust-store';
import { staffProductRoutes } from './products';

/** `/staff/v1`: the operator's staff; every route names the roles it allows (api/http/audiences.ts). */
export const staffApi =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    declareAudience(app, 'staff');
    await app.register(staffUserRoutes(deps));
    await app.register(staffClientRoutes(deps));
    await app.register(staffNoticeRoutes(deps));
    await app.register(staffCalendarRoutes(deps));
    await app.register(staffJoinApplicationRoutes(deps));
    await app.register(staffAccountRoutes(deps));
    await app.register(staffPaymentRoutes(deps));
    await app.register(staffTariffRoutes(deps));
    await app.register(staffPricingChangeRoutes(deps));
    await app.register(staffActRoutes(deps));
    await app.register(staffTicketRoutes(deps));
    await app.register(staffMailQuarantineRoutes(deps));
    await app.register(staffForceMajeureRoutes(deps));
    await app.register(staffRefundRoutes(deps));
    await app.register(staffContractRoutes(deps));
    await app.register(staffClaimRoutes(deps));
    await app.register(staffPowerOfAttorneyRoutes(deps));
    await app.register(staffStationLogRoutes(deps));
    await app.register(staffTrustStoreRoutes(deps));
    await app.register(staffProductRoutes(deps));
  };
