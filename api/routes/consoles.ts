import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { consoleMessagesScript, CONSOLE_PAGES } from '../../lib/i18n/console-messages';
import { intlMessageFormatScript } from '../../lib/i18n/browser-formatjs';
import type { AppDeps } from '../http/deps';

const CONSOLES = path.resolve(__dirname, '../consoles');

/**
 * The consoles: static pages that sign in with an API token and use the JSON API, which checks
 * it (the moderation console needs a staff token with `moderator` or `admin`, the accounting console
 * `accountant` or `admin`, the support console `support` or `admin`, the contracts console `admin`
 * — or `accountant` for its claims and compensations; the cabinet a client token).
 */
/**
 * No script runs but the pages' own files (no inline script, no eval), no page is framed, nothing is
 * sniffed: a script injected into a page's data cannot run, nor the page be clickjacked.
 */
const policy = (connect: string) =>
  `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;
const pageHeaders = (connect: string) => ({
  'content-security-policy': policy(connect),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
});

/** Where the pages find NCALayer when the configuration does not say (as NCALayer listens). */
export const DEFAULT_NCALAYER_URL = 'wss://127.0.0.1:13579';

/** The cabinet's pages, each at /cabinet/<name> (the account at /cabinet itself): the files cabinet-<name>.html and .js. */
export const CABINET_PAGES = ['codes', 'support', 'company', 'sign-in'] as const;

export const consoleRoutes =
  (deps: Pick<AppDeps, 'config'>): FastifyPluginAsync =>
  async (app) => {
    const ncaLayerUrl = deps.config.ncaLayerUrl ?? DEFAULT_NCALAYER_URL;
    /**
     * A page as its file says; the cabinet's pages may also speak to NCALayer on the user's computer (its
     * WebSocket is named in the page's `ncalayer-url` meta and allowed by its Content-Security-Policy).
     */
    const page = (file: string, options: { ncaLayer?: boolean } = {}) => {
      let html = fs.readFileSync(path.join(CONSOLES, file), 'utf8');
      if (options.ncaLayer)
        html = html.replace(
          '<meta name="ncalayer-url" content="">',
          `<meta name="ncalayer-url" content="${ncaLayerUrl.replace(/[&"<>]/g, '')}">`,
        );
      const headers = pageHeaders(options.ncaLayer ? `'self' ${ncaLayerUrl}` : "'self'");
      return async (_request: FastifyRequest, reply: FastifyReply) =>
        reply.type('text/html; charset=utf-8').headers(headers).send(html);
    };
    // The pages' shared scripts, asked for again on each load so that a page never runs with an older one.
    const scriptOf = (js: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .type('application/javascript; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(js);
    const script = (file: string) => scriptOf(fs.readFileSync(path.resolve(CONSOLES, file), 'utf8'));
    for (const name of [
      'moderation',
      'accounting',
      'support',
      'contracts',
      'cabinet',
      ...CABINET_PAGES.map((p) => `cabinet-${p}`),
    ]) {
      app.get(
        `/console/${name}.js`,
        { schema: { tags: ['consoles'], summary: `Script of the ${name} page` } },
        script(`${name}.js`),
      );
    }
    // The cabinet's shared styles (its pages keep only their own inline), asked for again on each load like the scripts.
    const cabinetCss = fs.readFileSync(path.join(CONSOLES, 'cabinet.css'), 'utf8');
    app.get(
      '/console/cabinet.css',
      {
        schema: {
          tags: ['consoles'],
          summary:
            "Styles the cabinet's pages share: header, navigation, tables, forms, buttons, focus, narrow screens",
        },
      },
      async (_request, reply) =>
        reply
          .type('text/css; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('x-content-type-options', 'nosniff')
          .send(cabinetCss),
    );
    // NCALayer's client (the `ncalayer-js-client` package, as published) and the cabinet's use of it.
    app.get(
      '/console/ncalayer-client.js',
      { schema: { tags: ['consoles'], summary: "NCALayer's JavaScript client (ncalayer-js-client)" } },
      script(require.resolve('ncalayer-js-client/ncalayer-client.js')),
    );
    app.get(
      '/console/ncalayer.js',
      { schema: { tags: ['consoles'], summary: 'Script of the cabinet: signing with EDS through NCALayer' } },
      script('ncalayer.js'),
    );
    app.get(
      '/console/console.js',
      {
        schema: {
          tags: ['consoles'],
          summary: 'Script of every console and the cabinet: API token, sign-in, API calls, files, messages',
        },
      },
      script('console.js'),
    );
    app.get(
      '/console/format.js',
      {
        schema: {
          tags: ['consoles'],
          summary: 'Script of the consoles and the cabinet: dates, times and tenge as they show them',
        },
      },
      script('format.js'),
    );
    // The pages' language (Kazakh or Russian): FormatJS's message formatter, the switch, and each page's catalogue.
    app.get(
      '/console/intl-messageformat.js',
      { schema: { tags: ['consoles'], summary: "FormatJS's IntlMessageFormat (intl-messageformat) for the pages" } },
      scriptOf(intlMessageFormatScript()),
    );
    app.get(
      '/console/i18n.js',
      {
        schema: {
          tags: ['consoles'],
          summary: 'Script of every page: its language (Kazakh or Russian), kept per user, and the switch',
        },
      },
      script('i18n.js'),
    );
    for (const name of CONSOLE_PAGES) {
      app.get(
        `/console/messages/${name}.js`,
        { schema: { tags: ['consoles'], summary: `Messages of the ${name} page in Kazakh and Russian` } },
        scriptOf(consoleMessagesScript(name)),
      );
    }
    app.get(
      '/console/moderation',
      { schema: { tags: ['consoles'], summary: 'Moderation console (HTML) for join applications' } },
      page('moderation.html'),
    );
    // The accountants' console (6.5-6.9, 6.11): acts with their deadlines, disputes, the unassigned bank payments and the refunds (`accountant` or `admin`).
    app.get(
      '/console/accounting',
      {
        schema: {
          tags: ['consoles'],
          summary: "Accountants' console (HTML): acts, disputes, unassigned payments, refunds",
        },
      },
      page('accounting.html'),
    );
    // The support console (Прил. 3): the ticket queue by nearest deadline, the agents' actions, phone calls, the monthly report (`support` or `admin`).
    app.get(
      '/console/support',
      {
        schema: {
          tags: ['consoles'],
          summary: 'Support console (HTML): ticket queue with live deadlines, actions, report',
        },
      },
      page('support.html'),
    );
    // The contracts console: terminations and their grounds (4.1.1, 4.3.1, 10.4), contract versions (4.3.5, 10.3.2),
    // force majeure (8.3-8.6) for `admin`; claims (9.2-9.4) and compensations (7.2, 7.3) for `accountant` or `admin`.
    app.get(
      '/console/contracts',
      {
        schema: {
          tags: ['consoles'],
          summary: 'Contracts console (HTML): terminations, amendments, claims, compensations, force majeure',
        },
      },
      page('contracts.html'),
    );
    // The client's cabinet (6.10, Прил. 2 п.8) signs in with a client API token instead.
    app.get(
      '/cabinet',
      {
        schema: {
          tags: ['consoles'],
          summary: 'Client cabinet (HTML): personal account, statement, invoices, acts, notices, contract',
        },
      },
      page('cabinet.html', { ncaLayer: true }),
    );
    const CABINET_SUMMARIES: Record<(typeof CABINET_PAGES)[number], string> = {
      codes: 'Client cabinet (HTML): products, orders of codes, downloads, introduction into circulation',
      support: 'Client cabinet (HTML): support tickets and claims',
      company: "Client cabinet (HTML): the company's people, their roles and actions, integration tokens",
      'sign-in': 'Client cabinet (HTML): a person signs in with EDS through NCALayer',
    };
    for (const name of CABINET_PAGES) {
      app.get(
        `/cabinet/${name}`,
        { schema: { tags: ['consoles'], summary: CABINET_SUMMARIES[name] } },
        page(`cabinet-${name}.html`, { ncaLayer: true }),
      );
    }
  };
