import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync } from 'fastify';

const CONSOLES = path.resolve(__dirname, '../consoles');

/**
 * The staff consoles: static pages that sign in with a staff API token and use the JSON API,
 * which checks the roles (the moderation console needs `moderator` or `admin`).
 */
export const consoleRoutes: FastifyPluginAsync = async (app) => {
  const moderation = fs.readFileSync(path.join(CONSOLES, 'moderation.html'), 'utf8');
  app.get('/console/moderation', { schema: { tags: ['consoles'], summary: 'Moderation console (HTML) for join applications' } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'").send(moderation),
  );
};
