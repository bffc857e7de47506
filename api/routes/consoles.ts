import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

const CONSOLES = path.resolve(__dirname, '../consoles');

/**
 * The consoles: static pages that sign in with an API token and use the JSON API, which checks
 * it (the moderation console needs a staff token with `moderator` or `admin`, the accounting console
 * `accountant` or `admin`; the cabinet a client token).
 */
export const consoleRoutes: FastifyPluginAsync = async (app) => {
  const page = (file: string) => {
    const html = fs.readFileSync(path.join(CONSOLES, file), 'utf8');
    return async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'").send(html);
  };
  app.get('/console/moderation', { schema: { tags: ['consoles'], summary: 'Moderation console (HTML) for join applications' } }, page('moderation.html'));
  // The accountants' console (6.5-6.9): acts with their deadlines, disputes, and the unassigned bank payments (`accountant` or `admin`).
  app.get('/console/accounting', { schema: { tags: ['consoles'], summary: "Accountants' console (HTML): acts, disputes, unassigned payments" } }, page('accounting.html'));
  // The client's cabinet (6.10, Прил. 2 п.8) signs in with a client API token instead.
  app.get('/cabinet', { schema: { tags: ['consoles'], summary: "Client cabinet (HTML): personal account, statement, invoices, notices" } }, page('cabinet.html'));
};
