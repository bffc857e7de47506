import { useTestApi } from '../helpers/api';

// The consoles and the cabinet share their scripts: each page names them, its CSP lets them load — and nothing
// else: no inline script, no framing, no sniffing — and the API serves them.
const ctx = useTestApi();

const PAGES = [
  '/console/moderation',
  '/console/accounting',
  '/console/support',
  '/console/contracts',
  '/cabinet',
  '/cabinet/codes',
  '/cabinet/support',
  '/cabinet/company',
];
/** NCALayer's published client (ncalayer-js-client) and the cabinet's use of it, which cabinet pages may load first. */
const NCALAYER = ['/console/ncalayer-client.js', '/console/ncalayer.js'];
/** A page's name among the catalogues: /console/support → support, /cabinet → cabinet, /cabinet/codes → cabinet-codes. */
const pageName = (path: string) =>
  path
    .replace(/^\/console\//, '')
    .replace(/^\/cabinet\/?/, 'cabinet-')
    .replace(/-$/, '');
/** The page's language, loaded first: FormatJS's formatter, the page's messages, the switch (issue #21). */
const languageScripts = (path: string) => [
  '/console/intl-messageformat.js',
  `/console/messages/${pageName(path)}.js`,
  '/console/i18n.js',
];

test.each(PAGES)('%s loads the shared scripts it names, allowed by its CSP', async (path) => {
  const page = await fetch(ctx.api.url + path);
  expect(page.status).toBe(200);
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toMatch(/script-src 'self';/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toMatch(/frame-ancestors 'none'/);
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  const html = await page.text();
  expect(html).not.toMatch(/<script>/);
  const all = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
  for (const source of all) {
    const script = await fetch(ctx.api.url + source);
    expect({ source, status: script.status, type: script.headers.get('content-type') }).toEqual({
      source,
      status: 200,
      type: 'application/javascript; charset=utf-8',
    });
    if (source !== NCALAYER[0]) expect(await script.text()).toMatch(/^'use strict';/);
  }
  if (path.startsWith('/cabinet')) {
    // A cabinet page speaks to NCALayer only where its CSP names it (NCALAYER_URL).
    expect(csp).toMatch(/connect-src 'self' wss:\/\/127\.0\.0\.1:13579;/);
    expect(html).toContain('<meta name="ncalayer-url" content="wss://127.0.0.1:13579">');
  } else {
    expect(csp).toMatch(/connect-src 'self';/);
  }
  expect(all.slice(0, 3)).toEqual(languageScripts(path));
  const sources = all.filter((s) => !NCALAYER.includes(s) && !languageScripts(path).includes(s));
  expect(sources[0]).toBe('/console/console.js');
  // The page's own script comes after the shared ones, and keeps none of their helpers.
  expect(sources).toHaveLength(3);
  expect(all[all.length - 1]).toBe(sources[2]);
  const own = await (await fetch(ctx.api.url + sources[2])).text();
  expect(own).not.toMatch(/\n(?:async )?function (?:api|download|failure|say|busy)\(/);
  expect(own).not.toMatch(/\nconst (?:esc|\$) = /);
});

test('a script that is not one of the consoles’ is not served', async () => {
  expect((await fetch(`${ctx.api.url}/console/app.js`)).status).toBe(404);
});
