import Fastify, { type FastifyInstance } from 'fastify';
import { declareAudience } from '../../api/http/audiences';
import type {} from '../../api/http/auth';

async function appWith(audience: 'client' | 'staff', routes: (app: FastifyInstance) => void) {
  const app = Fastify();
  await app.register(
    async (group) => {
      declareAudience(group, audience);
      routes(group);
    },
    { prefix: '/p' },
  );
  return app;
}

test('a client prefix declares its routes a client’s once; a route adds only what differs, or opts out', async () => {
  const seen: Record<string, unknown> = {};
  const app = await appWith('client', (group) => {
    group.get('/plain', async (request) => request.routeOptions.config.auth);
    group.get(
      '/read',
      { config: { auth: { scope: 'cabinet_read' } } },
      async (request) => request.routeOptions.config.auth,
    );
    group.get('/open', { config: { public: true } }, async (request) => request.routeOptions.config.auth ?? null);
  });
  for (const path of ['plain', 'read', 'open']) seen[path] = (await app.inject(`/p/${path}`)).json();
  expect(seen).toEqual({ plain: { client: true }, read: { client: true, scope: 'cabinet_read' }, open: null });
  await app.close();
});

test('a staff route that names no roles stops the app from starting', async () => {
  const named = await appWith('staff', (group) =>
    group.get('/a', { config: { auth: { staff: ['admin'] } } }, async () => 'ok'),
  );
  await expect(named.ready()).resolves.toBeDefined();
  await named.close();
  const unnamed = await appWith('staff', (group) => group.get('/b', async () => 'no'));
  await expect(unnamed.ready()).rejects.toThrow('Staff routes without the roles they allow: GET /p/b');
});
