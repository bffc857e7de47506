import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

const CONSOLES = path.resolve(__dirname, '../consoles');

/**
 * The consoles: static pages that sign in with an API token and use the JSON API, which checks
 * it (the moderation console needs a staff token with `moderator` or `admin`, the accounting console
 * `accountant` or `admin`, the support console `support` or `admin`; the cabinet a client token).
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
  // The support console (Прил. 3): the ticket queue by nearest deadline, the agents' actions, phone calls, the monthly report (`support` or `admin`).
  app.get('/console/support', { schema: { tags: ['consoles'], summary: 'Support console (HTML): ticket queue with live deadlines, actions, report' } }, page('support.html'));
  // The client's cabinet (6.10, Прил. 2 п.8) signs in with a client API token instead.
  app.get('/cabinet', { schema: { tags: ['consoles'], summary: "Client cabinet (HTML): personal account, statement, invoices, notices" } }, page('cabinet.html'));
};
