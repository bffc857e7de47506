import type { FastifyInstance, RouteOptions } from 'fastify';
import type { RouteAuth } from './auth';

type Audience = 'client' | 'staff';

/**
 * Who a prefix's routes answer, declared once where the prefix is registered (api/http/app.ts): every route
 * under /client/v1 and /api/v2 is a client's (a route adds only what differs: its token scope, or that it stays
 * open after the contract's end); every route under /staff/v1 is staff's and must name the roles it allows —
 * a staff route without them stops the app from starting. A route opts out with `config: { public: true }`
 * (the order station's `/version`, open at the national station too).
 */
export function declareAudience(app: FastifyInstance, audience: Audience): void {
  const staffRoutes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    const config = route.config as { auth?: RouteAuth; public?: boolean } | undefined;
    if (config?.public) return;
    const declared = config?.auth;
    if (audience === 'client') route.config = { ...route.config, auth: { ...declared, client: true } };
    else staffRoutes.push(route);
  });
  app.addHook('onReady', async () => {
    const unnamed = staffRoutes.filter(
      (route) => !(route.config as { auth?: RouteAuth } | undefined)?.auth?.staff?.length,
    );
    if (unnamed.length)
      throw new Error(
        `Staff routes without the roles they allow: ${unnamed.map((r) => `${r.method} ${r.url}`).join(', ')}`,
      );
  });
}
