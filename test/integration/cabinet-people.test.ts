import { useTestApi } from '../helpers/api';
import { useBrowser, normal, text } from '../helpers/browser';
import { recordJoiningSigner, removePersonInPage } from '../helpers/client-people';
import { insertClient, randomBinIin } from '../helpers/fixtures';
import { createTestPki, type TestPki } from '../helpers/joining';
import { startNcaLayerStandIn, type NcaLayerStandIn } from '../helpers/ncalayer';
import { issuePersonalCertificate, issueSignerCertificate } from '../helpers/pki';

// The company's people in the browser (issue #17): the head signs in with EDS through NCALayer (a local
// stand-in speaking its protocol, signing with a real test key), adds an employee, who signs in with their
// own key and acts within their role; removed, the employee's session ends at once.

let pki: TestPki;
let standIn: NcaLayerStandIn;
beforeAll(async () => {
  standIn = await startNcaLayerStandIn({ keys: {} });
});
afterAll(async () => {
  await standIn?.close();
});
const context = useTestApi({
  eds: async () => (pki = await createTestPki()).verifier,
  browserSessions: true,
  ncaLayerUrl: () => standIn.url,
});
const browser = useBrowser();

test('the head signs in with EDS, adds an employee and a token; the employee signs in, is refused outside the role; removed, the session ends', async () => {
  const { db } = context.database;
  const client = await insertClient(db, { name: 'ТОО «Обувь у дома»' });
  const headIin = randomBinIin();
  await recordJoiningSigner(db, client, headIin);
  standIn.keys.auth = await issueSignerCertificate(pki.ca, {
    iin: headIin,
    bin: client.bin_iin,
    keyUsage: 'authentication',
    commonName: 'АХМЕТОВ ЕРЛАН',
  });

  // The head: the login form offers EDS; NCALayer signs the challenge with the authentication key; back to the page asked for.
  const { page: headPage, errors: headErrors } = await browser.open(`${context.api.url}/cabinet/company`);
  await headPage.click('#eds-signin');
  await headPage.waitForURL(/\/cabinet\/sign-in\?returnTo=%2Fcabinet%2Fcompany$/);
  await headPage.click('#sign-in-eds');
  await headPage.waitForURL(`${context.api.url}/cabinet/company`);
  await headPage.waitForSelector('#people-rows tr[data-id]');
  expect(await text(headPage, '#who')).toBe(
    `АХМЕТОВ ЕРЛАН (администратор) · ТОО «Обувь у дома» · БИН/ИИН ${client.bin_iin}`,
  );
  const signRequest = standIn.requests.find((r) => r.method === 'sign')!;
  expect(signRequest.args).toMatchObject({
    format: 'cms',
    signingParams: { encapsulate: true },
    signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.2'] },
  });

  // An employee for ordering.
  const employeeIin = randomBinIin();
  await headPage.fill('#person-name', 'Омаров Данияр');
  await headPage.fill('#person-iin', employeeIin);
  await headPage.fill('#person-email', 'd.omarov@example.kz');
  await headPage.click('#add-person');
  const employeeRow = headPage.locator(`#people-rows tr[data-iin="${employeeIin}"]`);
  await employeeRow.waitFor();
  expect(normal(await employeeRow.locator('.current-roles').textContent())).toBe('заказ кодов');
  expect(normal(await employeeRow.textContent())).toContain('не входил(а)');

  // A token for the integrator's order-station software, shown once.
  await headPage.fill('#token-label', '1С: станция заказов');
  await headPage.selectOption('#token-scope', 'station');
  await headPage.click('#issue-token');
  await headPage.waitForSelector('#issued:not([hidden])');
  const secret = normal(await headPage.textContent('#issued-secret'));
  expect(secret).toMatch(/^ismet_client_/);
  const tokenRow = headPage.locator('#token-rows tr', { hasText: '1С: станция заказов' });
  expect(normal(await tokenRow.textContent())).toContain('станция управления заказами');
  const viaToken = await context.api.request('GET', '/client/v1/me', { token: secret });
  expect(viaToken.status).toBe(403);
  expect(viaToken.body.code).toBe('TOKEN_SCOPE');

  // The employee, in another browser, with their own personal key.
  standIn.keys.auth = await issuePersonalCertificate(pki.ca, employeeIin, {
    commonName: 'ОМАРОВ ДАНИЯР',
    keyUsage: 'authentication',
  });
  const { page: employeePage, errors: employeeErrors } = await browser.open(
    `${context.api.url}/cabinet/sign-in?returnTo=/cabinet/company`,
  );
  await employeePage.click('#sign-in-eds');
  await employeePage.waitForURL(`${context.api.url}/cabinet/company`);
  await employeePage.waitForSelector('#people-rows tr[data-id]');
  expect(await text(employeePage, '#who')).toContain('Омаров Данияр (заказ кодов)');
  // Not an administrator: changing roles is refused, and nothing changes.
  const ownRow = employeePage.locator(`#people-rows tr[data-iin="${employeeIin}"]`);
  await ownRow.locator('input[value="admin"]').check();
  await ownRow.locator('.save-roles').click();
  await employeePage.waitForSelector('#message.error');
  expect(await text(employeePage, '#message')).toContain('PERSON_ROLE');
  expect((await db('client_people').where({ iin: employeeIin }).first()).roles).toEqual(['ordering']);

  // The journal names who did what.
  await headPage.reload();
  await headPage.waitForSelector('#action-rows tr');
  // Each row: «04.12.2026, 11:12 | who | what | outcome», Astana time.
  const journal = (await headPage.locator('#action-rows tr').allInnerTexts()).map((row) => normal(row));
  expect(journal.every((row) => /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} /.test(row))).toBe(true);
  expect(journal.map((row) => row.replace(/^\S+ \S+ /, ''))).toEqual([
    'Омаров Данияр изменил(а) роли сотрудника нет прав',
    'Омаров Данияр вход с ЭЦП выполнено',
    'АХМЕТОВ ЕРЛАН выдал(а) ключ API выполнено',
    'АХМЕТОВ ЕРЛАН добавил(а) сотрудника выполнено',
    'АХМЕТОВ ЕРЛАН вход с ЭЦП выполнено',
  ]);

  // Removed (after a confirmation in the page), the employee's session ends at once: their next action returns them to the login form.
  await removePersonInPage(headPage, employeeIin);
  await employeePage.fill('#token-label', 'ещё один');
  await employeePage.click('#issue-token');
  await employeePage.waitForSelector('#login:not([hidden])');
  await employeePage.waitForSelector('#login-error:has-text("Сеанс завершён")');
  expect(await employeePage.isHidden('#cabinet')).toBe(true);
  expect(
    await db('client_sessions')
      .whereIn('person_id', db('client_people').select('id').where({ iin: employeeIin }))
      .whereNull('revoked_at'),
  ).toEqual([]);

  expect([...headErrors, ...employeeErrors]).toEqual([]);
});

test('NCALayer not running or the person cancelling: a Russian message, no session', async () => {
  const { page, errors } = await browser.open(`${context.api.url}/cabinet/sign-in`);
  standIn.next = 'cancel';
  await page.click('#sign-in-eds');
  await page.waitForSelector('#status.error');
  expect(await text(page, '#status')).toBe('Подписание отменено в NCALayer.');
  // NCALayer not there: the page's meta names a port nobody listens on.
  await page.evaluate(() => {
    (globalThis as unknown as { document: { querySelector(s: string): { content: string } } }).document.querySelector(
      'meta[name="ncalayer-url"]',
    ).content = 'ws://127.0.0.1:9';
  });
  await page.click('#sign-in-eds');
  await page.waitForSelector('#status.error:has-text("NCALayer не отвечает")');
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name === 'ismet_client_session')).toEqual([]);
  expect(errors).toEqual([]);
});
