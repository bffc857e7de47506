import { useTestApi } from '../helpers/api';

// The consoles and the cabinet share their scripts: each page names them, its CSP lets them load — and nothing
// else: no inline script, no framing, no sniffing — and the API serves them.
const ctx = useTestApi();

const PAGES = ['/console/moderation', '/console/accounting', '/console/support', '/console/contracts', '/cabinet'];

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
  const sources = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]);
  expect(sources[0]).toBe('/console/console.js');
  for (const source of sources) {
    const script = await fetch(ctx.api.url + source);
    expect({ source, status: script.status, type: script.headers.get('content-type') }).toEqual({ source, status: 200, type: 'application/javascript; charset=utf-8' });
    expect(await script.text()).toMatch(/^'use strict';/);
  }
  // The page's own script comes after the shared ones, and keeps none of their helpers.
  expect(sources).toHaveLength(3);
  const own = await (await fetch(ctx.api.url + sources[2])).text();
  expect(own).not.toMatch(/\n(?:async )?function (?:api|download|failure|say|busy)\(/);
  expect(own).not.toMatch(/\nconst (?:esc|\$) = /);
});

test('a script that is not one of the consoles’ is not served', async () => {
  expect((await fetch(`${ctx.api.url}/console/app.js`)).status).toBe(404);
});
