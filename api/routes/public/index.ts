import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps';
import { calendarRoutes } from './calendar';
import { joinApplicationRoutes } from './join-applications';
import { priceRoutes } from './prices';
import { codeVerificationRoutes } from './codes';
import { contractVersionRoutes } from './contract';

/** `/v1`: anyone — the calendar, prices, joining, code verification, the contract's versions. */
export const publicApi =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    await app.register(calendarRoutes(deps));
    await app.register(joinApplicationRoutes(deps));
    await app.register(priceRoutes(deps));
    await app.register(codeVerificationRoutes(deps));
    await app.register(contractVersionRoutes(deps));
  };
