import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { eventually, TEST_CODE_KEYS, useTestApi } from '../helpers/api';
import { signIn, useBrowser } from '../helpers/browser';
import { clientToken, insertStaff, randomBinIin } from '../helpers/fixtures';
import { clientWithServices } from '../helpers/orders';

// The cabinet's pages are accessible (issue: labels, keyboard, contrast) and work on a narrow screen: each page,
// signed in with a client that has real data (a funded account, a product, an order with codes received, a
// notice, a ticket, a second person), passes axe-core's WCAG 2 A and AA rules on a wide and on a phone-wide
// screen, never scrolls sideways at 390px, and its main action is reached with Tab and shows where the focus is.

const context = useTestApi();
const browser = useBrowser();

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  html: string;
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/** axe-core's violations of WCAG 2 A and AA on the page as it is now (injected through the debugger: the page's CSP allows no inline script). */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  // The test compiles without the DOM's types: what runs in the page is given as its text.
  return page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) }));
  })()`);
}

/** The violations as a reader wants them on a failure: the rule, then each element and what is wrong with it. */
const readable = (where: string, violations: AxeViolation[]) =>
  violations
    .map(
      (v) =>
        `${where}: ${v.id} (${v.impact}) — ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)} ${n.html.slice(0, 160)}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`).join('\n')}`,
    )
    .join('\n\n');

/** Presses Tab from the top of the page until `selector` has the focus; false if it never does. */
async function tabTo(page: Page, selector: string, limit = 400) {
  await page.evaluate('document.activeElement?.blur(); window.scrollTo(0, 0)');
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`))
      return true;
  }
  return false;
}

/** The document scrolls sideways (a wide table scrolling inside its own section does not count), and if so what may stick out. */
const horizontalOverflow = (page: Page) =>
  page.evaluate<{ scrollWidth: number; innerWidth: number; over: string[] }>(`(() => {
    const width = document.documentElement.clientWidth;
    const over = [...document.querySelectorAll('body *')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > width + 1 && !(e.parentElement?.closest('.table-scroll, section') && !['absolute', 'fixed'].includes(getComputedStyle(e).position)); })
      .slice(0, 5)
      .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : ''));
    const scrollWidth = document.documentElement.scrollWidth;
    return { scrollWidth, innerWidth: window.innerWidth, over: scrollWidth > window.innerWidth ? over : [] };
  })()`);

/** Elements with the hidden attribute that show all the same (a page's display rule winning over it): their ids. */
const shownThoughHidden = (page: Page) =>
  page.evaluate<string[]>(
    `[...document.querySelectorAll('[hidden]')].filter((e) => getComputedStyle(e).display !== 'none').map((e) => e.id || e.tagName)`,
  );

let token: string;
beforeAll(async () => {
  const { db } = context.database;
  const admin = await insertStaff(db, ['admin']);
  // A shop that has received codes: a funded account, a product with its right accepted, an order, a download.
  const { client } = await clientWithServices(db, 10, TEST_CODE_KEYS.current);
  token = await clientToken(db, client.id);
  const notice = await context.api.request('POST', `/staff/v1/clients/${client.id}/notices`, {
    token: admin.token,
    body: { subject: 'Об изменении тарифа на коды маркировки', body: 'Уведомляем об изменении тарифа.' },
  });
  expect(notice.status).toBe(202);
  await eventually(async () => (await db('notices').where({ id: notice.body.id }).first('status')).status === 'sent');
  const ticket = await context.api.request('POST', '/client/v1/tickets', {
    token,
    body: { subject: 'Не приходят коды по заказу', body: 'Заказ создан утром, коды не выпущены.' },
  });
  expect(ticket.status).toBe(201);
  const person = await context.api.request('POST', '/client/v1/people', {
    token,
    body: { iin: randomBinIin(), fullName: 'Сапарова Айгерим', email: 'a.saparova@example.kz', roles: ['accounting'] },
  });
  expect(person.status).toBe(201);
}, 120_000);

/** Each page: where it is, what shows it has loaded its data, its main action; a part it opens on a click, checked too. */
const PAGES: { path: string; loaded: string; action: string; opens?: { click: string; shown: string } }[] = [
  { path: '/cabinet', loaded: '#statement tbody tr', action: '#request-invoice' },
  { path: '/cabinet/codes', loaded: '#orders-list tbody tr', action: '#place-order' },
  {
    path: '/cabinet/support',
    loaded: '#tickets-list tbody tr',
    action: '#ticket-open',
    opens: { click: '#tickets-list button.open', shown: '#ticket:not([hidden]) #conversation li' },
  },
  { path: '/cabinet/company', loaded: '#people-rows tr', action: '#add-person' },
  { path: '/cabinet/sign-in', loaded: '#sign-in-eds', action: '#sign-in-eds' },
];

test.each(PAGES)(
  '$path: no WCAG 2 A/AA violations, no sideways scrolling at 390px, its main action reached by Tab with a visible focus',
  async ({ path, loaded, action, opens }) => {
    const { page, errors } = await browser.open(`${context.api.url}${path}`);
    await page.setViewportSize({ width: 1280, height: 900 });
    if (path !== '/cabinet/sign-in') {
      // The sign-in form first, as a client meets it: the cabinet itself (a grid, hidden) not shown.
      expect(await shownThoughHidden(page)).toEqual([]);
      expect(readable(`${path} (sign-in form)`, await axeViolations(page))).toBe('');
      await signIn(page, token);
      await page.waitForSelector('#cabinet:not([hidden])');
    }
    await page.waitForSelector(loaded);
    await page.waitForTimeout(300);
    // The hidden attribute hides whatever the page's own styles say (main is a grid).
    expect(await shownThoughHidden(page)).toEqual([]);

    expect(readable(`${path} (1280px)`, await axeViolations(page))).toBe('');
    if (opens) {
      await page.click(opens.click);
      await page.waitForSelector(opens.shown);
      expect(readable(`${path} (1280px, ${opens.click} opened)`, await axeViolations(page))).toBe('');
    }

    // A phone: nothing wider than the screen but inside a section that scrolls itself.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(200);
    const overflow = await horizontalOverflow(page);
    expect(overflow).toEqual({ scrollWidth: overflow.innerWidth, innerWidth: 390, over: [] });
    expect(readable(`${path} (390px)`, await axeViolations(page))).toBe('');

    // The keyboard: the main action is reached with Tab, and the focus is seen on it.
    expect(await tabTo(page, action)).toBe(true);
    const focus = await page.evaluate<{ visible: boolean; outlineStyle: string; outlineWidth: number }>(`(() => {
    const element = document.querySelector(${JSON.stringify(action)});
    const style = getComputedStyle(element);
    return { visible: element.matches(':focus-visible'), outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) };
  })()`);
    expect(focus.visible).toBe(true);
    expect(focus.outlineStyle).toBe('solid');
    expect(focus.outlineWidth).toBeGreaterThanOrEqual(2);

    expect(errors).toEqual([]);
    await page.close();
  },
  180_000,
);

test("the cabinet's pages share one stylesheet, served like their scripts and allowed by their CSP", async () => {
  const css = await fetch(`${context.api.url}/console/cabinet.css`);
  expect({
    status: css.status,
    type: css.headers.get('content-type'),
    cache: css.headers.get('cache-control'),
    sniff: css.headers.get('x-content-type-options'),
  }).toEqual({
    status: 200,
    type: 'text/css; charset=utf-8',
    cache: 'no-cache',
    sniff: 'nosniff',
  });
  expect((await css.text()).replace(/\s+/g, '')).toContain('[hidden]{display:none!important;}');
  for (const { path } of PAGES) {
    const page = await fetch(`${context.api.url}${path}`);
    expect(page.headers.get('content-security-policy')).toMatch(/style-src 'self'/);
    const html = await page.text();
    expect({ path, links: [...html.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((m) => m[1]) }).toEqual({
      path,
      links: ['/console/cabinet.css'],
    });
    // The shared rules are not copied back into the page.
    expect({
      path,
      copied: /\bheader\s*\{|\.cabinet-nav a\s*\{|\bbutton\s*\{\s*font:|#message\s*\{/.test(html),
    }).toEqual({ path, copied: false });
  }
});
