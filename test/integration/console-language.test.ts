import type { Page } from 'playwright-core';
import { expectApiError, useTestApi } from '../helpers/api';
import { normal, signIn, text, useBrowser } from '../helpers/browser';
import { recordJoiningSigner, sessionHeaders, signInPerson } from '../helpers/client-people';
import { clientToken, insertClient, insertStaff, randomBinIin } from '../helpers/fixtures';
import { createTestPki, type TestPki } from '../helpers/joining';
import { issuePersonalCertificate, issueSignerCertificate } from '../helpers/pki';
import { consoleCatalogue, type ConsolePage } from '../../lib/i18n/console-messages';
import type { Language } from '../../lib/i18n/languages';

// The consoles and the cabinet in Kazakh or Russian (issue #21): a switch in the header, the choice kept per user —
// on the server for a staff user and a person of the cabinet, in the browser for an API token —, a cabinet starting
// from its client's language, every text of the page from the chosen language's catalogue.

let pki: TestPki;
const context = useTestApi({ eds: async () => (pki = await createTestPki()).verifier, browserSessions: true });
const browser = useBrowser();

/** The page's messages in a language: its own and the common ones. */
const messages = (page: ConsolePage, language: Language) => ({
  ...consoleCatalogue(language, 'common'),
  ...consoleCatalogue(language, page),
});

/**
 * The page reads in `language`: <html lang>, the switch, every marked text as that language's catalogue has it, and
 * none of the other language's sentences anywhere on the visible page (what the scripts drew included).
 */
async function expectPageIn(page: Page, name: ConsolePage, language: Language) {
  const other: Language = language === 'kk' ? 'ru' : 'kk';
  const [own, theirs] = [messages(name, language), messages(name, other)];
  expect(await page.getAttribute('html', 'lang')).toBe(language);
  expect(await page.inputValue('#language')).toBe(language);
  const marked = await page.$$eval('[data-i18n]', (elements) =>
    elements.map((e) => [e.getAttribute('data-i18n')!, e.textContent ?? '']),
  );
  expect(marked.length).toBeGreaterThan(5);
  for (const [key, shown] of marked) expect({ key, shown: normal(shown) }).toEqual({ key, shown: normal(own[key]) });
  const visible = normal(await page.innerText('body'));
  const foreign = Object.entries(theirs)
    .filter(([key, message]) => message.length > 12 && !/[{}]/.test(message) && message !== own[key])
    .map(([, message]) => normal(message))
    .filter((message) => visible.includes(message));
  expect(foreign).toEqual([]);
}

const navigation = (page: Page) => page.$$eval('nav.cabinet-nav a', (links) => links.map((a) => a.textContent));

async function choose(page: Page, language: Language) {
  await Promise.all([page.waitForEvent('load'), page.selectOption('#language', language)]);
}

test('the cabinet starts in its client’s Kazakh, switches to Russian and back, kept for the token in this browser', async () => {
  const { db } = context.database;
  const client = await insertClient(db, { name: 'ТОО «Тіл»' });
  await db('clients').where({ id: client.id }).update({ language: 'kk' });
  const token = await clientToken(db, client.id);

  const { page, errors } = await browser.open(`${context.api.url}/cabinet`);
  // Before sign-in: the browser's language (Chromium here speaks English): Russian. A refusal comes in the page's language.
  await expectPageIn(page, 'cabinet', 'ru');
  await signIn(page, 'ismet_client_wrong');
  await page.waitForSelector('#login-error:not(:empty)');
  expect(await text(page, '#login-error')).toMatch(/^Вход не выполнен: UNAUTHENTICATED: .*[а-я]/);

  // Signed in: the client's language, Kazakh — the header, the account, the dates and the names the script draws.
  await signIn(page, token);
  await page.waitForSelector('#cabinet:not([hidden])');
  await page.waitForSelector('#available:has-text("₸")');
  await expectPageIn(page, 'cabinet', 'kk');
  expect(await navigation(page)).toEqual(['Шот және құжаттар', 'Тауарлар мен кодтар', 'Өтініштер', 'Компания']);

  // Russian for this token, in this browser: the page is drawn again, still signed in.
  await choose(page, 'ru');
  await page.waitForSelector('#available:has-text("₸")');
  await expectPageIn(page, 'cabinet', 'ru');
  expect(await navigation(page)).toEqual(['Счёт и документы', 'Товары и коды', 'Обращения', 'Компания']);
  // Another page of the cabinet keeps it.
  await page.goto(`${context.api.url}/cabinet/codes`);
  await page.waitForSelector('#cabinet:not([hidden])');
  await expectPageIn(page, 'cabinet-codes', 'ru');

  // And back to Kazakh.
  await page.goto(`${context.api.url}/cabinet`);
  await page.waitForSelector('#available:has-text("₸")');
  await choose(page, 'kk');
  await page.waitForSelector('#available:has-text("₸")');
  await expectPageIn(page, 'cabinet', 'kk');
  // The choice was the browser's: the client's own language (its e-mails) is unchanged.
  expect((await db('clients').where({ id: client.id }).first()).language).toBe('kk');
  expect(errors).toEqual([]);
  await page.close();
});

test('a support agent switches the console to Kazakh: kept on the server, the agent finds it in another browser, a colleague keeps theirs', async () => {
  const { db } = context.database;
  const agent = await insertStaff(db, ['support']);
  const colleague = await insertStaff(db, ['support']);

  const { page, errors } = await browser.open(`${context.api.url}/console/support`);
  await signIn(page, agent.token);
  await page.waitForSelector('#console:not([hidden])');
  await expectPageIn(page, 'support', 'ru');
  await choose(page, 'kk');
  await page.waitForSelector('#console:not([hidden])');
  await expectPageIn(page, 'support', 'kk');
  expect((await db('staff_users').where({ id: agent.id }).first()).language).toBe('kk');
  expect(errors).toEqual([]);
  await page.close();

  // Another browser (nothing kept in it): the agent's console opens in Kazakh, a colleague's in the browser's Russian.
  // (Each page the helper opens has a browser context of its own: nothing of the first one's storage.)
  const elsewhere = await browser.open(`${context.api.url}/console/support`);
  await signIn(elsewhere.page, agent.token);
  await elsewhere.page.waitForSelector('#console:not([hidden])');
  await expectPageIn(elsewhere.page, 'support', 'kk');
  await elsewhere.page.close();
  const theirs = await browser.open(`${context.api.url}/console/support`);
  await signIn(theirs.page, colleague.token);
  await theirs.page.waitForSelector('#console:not([hidden])');
  await expectPageIn(theirs.page, 'support', 'ru');
  expect(theirs.errors).toEqual([]);
  await theirs.page.close();
});

test('the API keeps each user’s language: a staff user’s, a cabinet person’s whatever their role; a token has none', async () => {
  const { db } = context.database;
  const { api } = context;
  const staff = await insertStaff(db, ['accountant']);
  expect((await api.request('GET', '/staff/v1/me', { token: staff.token })).body.language).toBeNull();
  const chosen = await api.request('PUT', '/staff/v1/me/language', { token: staff.token, body: { language: 'kk' } });
  expect(chosen.status).toBe(200);
  expect(chosen.body).toMatchObject({ id: staff.id, language: 'kk' });
  expectApiError(
    await api.request('PUT', '/staff/v1/me/language', { token: staff.token, body: { language: 'en' } }),
    400,
    'VALIDATION_FAILED',
  );
  expect((await api.request('GET', '/staff/v1/me', { token: staff.token })).body.language).toBe('kk');

  // A person of the cabinet with the accounting role only chooses their own language; the client's stays.
  const client = await insertClient(db, { name: 'ТОО «Тілдер»' });
  const headIin = randomBinIin();
  await recordJoiningSigner(db, client, headIin);
  const head = await signInPerson(
    api,
    await issueSignerCertificate(pki.ca, { iin: headIin, bin: client.bin_iin, keyUsage: 'authentication' }),
  );
  const accountantIin = randomBinIin();
  const added = await api.request('POST', '/client/v1/people', {
    headers: sessionHeaders(api, head.cookie!),
    body: { iin: accountantIin, fullName: 'Сейітова Айгүл', roles: ['accounting'] },
  });
  expect(added.status).toBe(201);
  const accountant = await signInPerson(api, await issuePersonalCertificate(pki.ca, accountantIin));
  const asAccountant = sessionHeaders(api, accountant.cookie!);
  expect((await api.request('GET', '/client/v1/me', { headers: asAccountant })).body).toMatchObject({
    language: 'ru',
    person: { id: added.body.id, language: null },
  });
  const hers = await api.request('PUT', '/client/v1/me/language', { headers: asAccountant, body: { language: 'kk' } });
  expect(hers.status).toBe(200);
  expect(hers.body).toMatchObject({ id: client.id, language: 'ru', person: { id: added.body.id, language: 'kk' } });
  expect(
    (await api.request('GET', '/client/v1/me', { headers: sessionHeaders(api, head.cookie!) })).body,
  ).toMatchObject({ person: { language: null } });

  const token = await clientToken(db, client.id);
  expectApiError(
    await api.request('PUT', '/client/v1/me/language', { token, body: { language: 'kk' } }),
    409,
    'NO_PERSON',
  );
});
