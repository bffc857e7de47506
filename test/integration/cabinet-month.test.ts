import type { Page } from 'playwright-core';
import { clientBalance, deposit } from '../../db/ledger';
import { openPersonalAccount } from '../../db/personal-accounts';
import { localDateIn } from '../../lib/calendar';
import { chargeForDelivery } from '../../lib/money';
import { monthlyActWorkflowId } from '../../workflows/monthly-act';
import { ticketWorkflowId } from '../../workflows/support-ticket';
import { eventually } from '../helpers/api';
import { decodePdfPages } from '../helpers/barcodes';
import { downloaded, normal, text, today, useBrowser, ZONE } from '../helpers/browser';
import { recordJoiningSigner, removePersonInPage } from '../helpers/client-people';
import { insertClient, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { useCabinetApi } from '../helpers/cabinet-api';
import { randomGtin } from '../helpers/orders';
import { issueSignerCertificate, type TestSigner } from '../helpers/pki';
import { recordGs1PrefixFor } from '../helpers/products';

// Issue #17 acceptance: a shop's month in the cabinet, in Chromium, every step of the employee in a PERSON'S
// session (signed in with EDS through the NCALayer stand-in, the session cookie — no API token anywhere):
//   the head (the joining application's signer) signs in and adds an employee (ordering, accounting, support);
//   the employee signs in with their own key, registers a product, orders codes, waits for their emission,
//   gets them (charged once, shown first), prints the PDF labels (every DataMatrix decodes to the codes got),
//   introduces them with a scanner, opens a support ticket and signs the month's act through NCALayer;
//   the head then removes the employee, whose next action in their open page ends at the login form.
// The server's state is checked at each step, and the record of actions names the person for each change.

const cabinet = useCabinetApi();
const context = cabinet.ctx;
const browser = useBrowser();

/** The tariff and VAT rate the test database starts with (6.1). */
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
/** Tiyn as the page shows them (amounts under 1 000 ₸ here): «9,33 ₸». */
const tenge = (tiyn: number) => `${Math.floor(tiyn / 100)},${String(tiyn % 100).padStart(2, '0')} ₸`;
/** The codes the employee orders. */
const CODES = 3;

/** A person of the company as NCALayer holds their keys: an AUTH key to sign in, a signing key for documents; both name the IIN and the company's BIN. */
async function personKeys(
  iin: string,
  bin: string,
  commonName: string,
): Promise<{ auth: TestSigner; sign: TestSigner }> {
  return {
    auth: await issueSignerCertificate(cabinet.pki.ca, { iin, bin, commonName, keyUsage: 'authentication' }),
    sign: await issueSignerCertificate(cabinet.pki.ca, { iin, bin, commonName, keyUsage: 'signing' }),
  };
}

/** Signs in on /cabinet/sign-in with the AUTH key chosen in NCALayer, and lands on `returnTo` with the session. */
async function signInWithEds(keys: { auth: TestSigner }, returnTo: string) {
  cabinet.standIn.keys.auth = keys.auth;
  const opened = await browser.open(`${context.api.url}/cabinet/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
  await opened.page.click('#sign-in-eds');
  await opened.page.waitForURL(`${context.api.url}${returnTo}`);
  return opened;
}

/** Goes to another cabinet page in the same session; it opens without signing in again. */
async function goTo(page: Page, path: string, personName: string) {
  await page.goto(`${context.api.url}${path}`);
  await page.waitForSelector(`#who:has-text("${personName}")`);
}

/** What the company's record says a person did, in the database: method, route and status, oldest first. */
async function actionsOf(personId: string) {
  const rows = await context.database.db('client_person_actions').where({ person_id: personId }).orderBy('id');
  return rows.map((r: { method: string; route: string; status_code: number; session_id: string | null }) => ({
    what: `${r.method} ${r.route}`,
    status: r.status_code,
    sessionId: r.session_id,
  }));
}

test('a shop’s month in the browser: the head adds an employee, who signs in with EDS, registers a product, orders, prints labels, introduces the codes, opens a ticket and signs the act; removed, the employee’s session ends', async () => {
  const { db } = context.database;
  const admin = await insertStaff(db, ['admin']);
  // A shop with 1 000 ₸ on its personal account, its details of record from the application, its head the application's signer.
  const client = await insertClient(db, { name: 'ТОО «Обувь на месяц»' });
  await db('clients')
    .where({ id: client.id })
    .update({
      details: {
        ...REQUISITES,
        signerName: 'Ахметов Ерлан',
        signerPosition: 'Директор',
        email: client.email,
        phone: '+77011234567',
      },
    });
  await openPersonalAccount(db, client.id, new Date());
  await deposit(db, {
    idempotencyKey: `fund-${client.id}`,
    clientId: client.id,
    amountTiyn: 100_000,
    paymentId: `fund-${client.id}`,
  });
  const gtin = randomGtin();
  await recordGs1PrefixFor(context.api, admin.token, client.id, gtin);
  const headIin = randomBinIin();
  await recordJoiningSigner(db, client, headIin);
  const head = await personKeys(headIin, client.bin_iin, 'АХМЕТОВ ЕРЛАН');
  const employeeIin = randomBinIin();
  const employee = await personKeys(employeeIin, client.bin_iin, 'ОМАРОВ ДАНИЯР');

  // ---- The head signs in (becoming the first administrator) and adds the employee with three roles.
  const { page: headPage, errors: headErrors } = await signInWithEds(head, '/cabinet/company');
  await headPage.waitForSelector('#people-rows tr[data-id]');
  expect(await text(headPage, '#who')).toBe(
    `АХМЕТОВ ЕРЛАН (администратор) · ТОО «Обувь на месяц» · БИН/ИИН ${client.bin_iin}`,
  );
  await headPage.fill('#person-name', 'Омаров Данияр');
  await headPage.fill('#person-iin', employeeIin);
  await headPage.fill('#person-email', 'd.omarov@example.kz');
  await headPage.check('#person-roles input[value="accounting"]');
  await headPage.check('#person-roles input[value="support"]');
  await headPage.click('#add-person');
  const employeeRow = headPage.locator(`#people-rows tr[data-iin="${employeeIin}"]`);
  await employeeRow.waitFor();
  expect(normal(await employeeRow.locator('.current-roles').textContent())).toBe('заказ кодов, бухгалтерия, обращения');
  const headPerson = await db('client_people').where({ client_id: client.id, iin: headIin }).first();
  const employeePerson = await db('client_people').where({ client_id: client.id, iin: employeeIin }).first();
  expect(headPerson).toMatchObject({ roles: ['admin'], removed_at: null });
  expect(employeePerson).toMatchObject({
    full_name: 'Омаров Данияр',
    roles: ['ordering', 'accounting', 'support'],
    removed_at: null,
  });

  // ---- The employee signs in with their own AUTH key, in another browser; the session is an HttpOnly cookie, no token kept.
  const { page, errors } = await signInWithEds(employee, '/cabinet/codes');
  const who = 'Омаров Данияр (заказ кодов, бухгалтерия, обращения)';
  await page.waitForSelector(`#who:has-text("${who}")`);
  expect(await text(page, '#who')).toBe(`${who} · ТОО «Обувь на месяц» · БИН/ИИН ${client.bin_iin}`);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'ismet_client_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(await page.evaluate('Object.keys(sessionStorage).filter((k) => k.endsWith("token"))')).toEqual([]);
  const [session] = await db('client_sessions').where({ person_id: employeePerson.id, revoked_at: null });
  expect(session).toBeDefined();
  const authSigns = cabinet.standIn.requests.filter((r) => r.method === 'sign');
  expect(authSigns).toHaveLength(2);
  expect(authSigns[1].args).toMatchObject({ signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.2'] } });

  // ---- The product, under the shop's GS1 prefix: accepted at once.
  await page.waitForSelector('#products-list tbody tr.empty');
  await page.fill('#product-gtin', gtin);
  await page.fill('#product-name', 'Ботинки зимние мужские');
  await page.fill('#product-size', '42');
  await page.fill('#product-country', 'Казахстан');
  await page.click('#register-product');
  await page.waitForSelector('#message.info:has-text("подтверждено")');
  const productRow = page.locator(`#products-list tbody tr[data-gtin="${gtin}"]`);
  await productRow.waitFor();
  expect(normal(await productRow.locator('.rights').textContent())).toBe('подтверждено');
  expect(await db('products').where({ client_id: client.id, gtin }).first()).toMatchObject({
    rights_status: 'accepted',
    name: 'Ботинки зимние мужские',
    attributes: { size: '42', country: 'Казахстан' },
  });

  // ---- The order: emitted within the page's view, the order READY.
  await page.selectOption('#order-gtin', gtin);
  await page.fill('#order-quantity', String(CODES));
  await page.fill('#order-contact', 'Омаров Д.');
  await page.click('#place-order');
  await page.waitForSelector(`#message.info:has-text("на ${CODES} кода принят")`);
  const order = await eventually(async () => db('orders').where({ client_id: client.id }).first());
  expect(await db('order_products').where({ order_id: order.id }).first()).toMatchObject({
    gtin,
    quantity: CODES,
    serial_number_type: 'OPERATOR',
  });
  const orderRow = page.locator(`#orders-list tbody tr[data-id="${order.id}"]`);
  await orderRow.locator('.status:has-text("готов")').waitFor({ timeout: 60_000 });
  expect((await db('orders').where({ id: order.id }).first()).status).toBe('READY');
  expect(normal(await orderRow.locator('.codes').textContent())).toBe(`выпущено ${CODES} из ${CODES}`);

  // ---- Getting the codes: the charge is shown before it is made, made once.
  expect((await clientBalance(db, client.id)).totalCharged).toBe(0);
  await orderRow.locator('button.get-codes').click();
  await page.waitForSelector('#download-confirm', { state: 'visible' });
  const charge = chargeForDelivery(PRICE, 0, CODES).total;
  expect(await text(page, '#confirm-total')).toBe(tenge(charge));
  expect((await clientBalance(db, client.id)).totalCharged).toBe(0);
  await page.click('#confirm-download');
  await page.waitForSelector(`#message.info:has-text("списано ${tenge(charge).replace(' ₸', '')}")`);
  await orderRow.locator('.status:has-text("закрыт")').waitFor();
  const [block, ...otherBlocks] = await db('code_blocks').where({ client_id: client.id });
  expect(otherBlocks).toEqual([]);
  expect([block.quantity, Number(block.amount)]).toEqual([CODES, charge]);
  const orderedCodes: string[] = await db('marking_codes as c')
    .join('order_products as p', 'p.id', 'c.order_product_id')
    .where({ 'p.order_id': order.id })
    .pluck('c.code');
  expect(orderedCodes).toHaveLength(CODES);

  // ---- The labels, in the layout the page offers by default, twice (a repeat is free): every symbol decodes to one of the codes got.
  const blockRow = page.locator(`#downloads-list tbody tr[data-id="${block.id}"]`);
  await blockRow.waitFor();
  const labels = await downloaded(page, () => blockRow.locator('button.labels-pdf').click());
  expect(labels.download.suggestedFilename()).toBe(`labels_${block.id}.pdf`);
  const symbols = decodePdfPages(labels.content, 3).flat();
  expect(symbols.map((s) => s.replace(/^\]d2/, '')).sort()).toEqual([...orderedCodes].sort());
  await page.waitForSelector('#file-progress-text:has-text("скачано")');
  const again = await downloaded(page, () => blockRow.locator('button.labels-pdf').click());
  expect(decodePdfPages(again.content, 3).flat().sort()).toEqual([...symbols].sort());
  expect((await clientBalance(db, client.id)).totalCharged).toBe(charge);
  expect(await db('code_blocks').where({ client_id: client.id }).pluck('id')).toEqual([block.id]);

  // ---- Introduction into circulation: the labels scanned, as the symbols read.
  for (const symbol of symbols) {
    await page.fill('#scan', symbol);
    await page.press('#scan', 'Enter');
  }
  expect(await text(page, '#scan-unique')).toBe(String(CODES));
  await page.click('#introduce');
  await page.waitForSelector(`#intro-summary:has-text("Введено в оборот: ${CODES}")`);
  const statuses = await db('marking_codes as c')
    .join('order_products as p', 'p.id', 'c.order_product_id')
    .where({ 'p.order_id': order.id })
    .pluck('c.status');
  expect(statuses).toEqual(Array(CODES).fill('INTRODUCED'));

  // ---- A support ticket.
  await goTo(page, '/cabinet/support', who);
  await page.waitForSelector('#tickets-list tbody tr.empty');
  await page.fill('#ticket-subject', 'Не печатаются этикетки на Zebra');
  await page.fill('#ticket-body', `Этикетки заказа ${order.id} печатаются обрезанными.`);
  await page.click('#ticket-open');
  await page.waitForSelector('#message.info:has-text("Обращение зарегистрировано под номером")');
  const ticket = await eventually(async () => db('tickets').where({ client_id: client.id }).first());
  cabinet.workflows.push(ticketWorkflowId(ticket.id));
  expect(ticket).toMatchObject({ subject: 'Не печатаются этикетки на Zebra' });
  expect(await text(page, '#message')).toContain(ticket.number);
  await page.locator(`#tickets-list tbody tr[data-id="${ticket.id}"]`).waitFor();

  // ---- The act of the month (of the month the codes were got in, in the operator's zone), as the Schedule would start it.
  const month = localDateIn(ZONE, new Date(block.delivered_at)).slice(0, 7);
  cabinet.workflows.push(monthlyActWorkflowId(client.id, month));
  await context.api.temporal.client.workflow.start('monthlyAct', {
    workflowId: monthlyActWorkflowId(client.id, month),
    taskQueue: context.api.taskQueue,
    args: [{ clientId: client.id, month }],
  });
  // Numbered first, then rendered and signed (issue #19): the act the client signs is the one with its PDF.
  const act = await eventually(
    async () =>
      (await db('acts').where({ client_id: client.id, status: 'issued' }).whereNotNull('pdf').first()) ?? false,
    30_000,
  );
  await goTo(page, '/cabinet', who);
  const actRow = page.locator(`#acts tbody tr[data-id="${act.id}"]`);
  await actRow.waitFor();
  expect(normal(await actRow.textContent())).toContain('ожидает подписи');
  cabinet.standIn.keys.sign = employee.sign;
  await actRow.locator('button.sign-ncalayer').click();
  await page.waitForSelector(`#message.info:has-text("Акт № ${act.number} подписан")`);
  await actRow.locator('.status:has-text("подписан")').waitFor();
  const signRequest = cabinet.standIn.requests.filter((r) => r.method === 'sign').at(-1)!;
  expect(signRequest.args).toMatchObject({
    data: Buffer.from(act.pdf).toString('base64'),
    signerParams: { extKeyUsageOids: ['1.3.6.1.5.5.7.3.4'] },
  });
  const signedAct = await db('acts').where({ id: act.id }).first();
  expect(signedAct).toMatchObject({
    status: 'signed',
    client_signer: { bin: client.bin_iin, iin: employeeIin, commonName: 'ОМАРОВ ДАНИЯР' },
  });
  const actCheck = await cabinet.pki.verifier.verify({
    document: act.pdf,
    signature: signedAct.client_signature,
    expectedBinIin: client.bin_iin,
    at: new Date(),
  });
  expect(actCheck.problems).toEqual([]);

  // ---- The record names the employee for every change, each through their session; the head sees it in words.
  expect(await actionsOf(employeePerson.id)).toEqual([
    { what: 'POST /v1/cabinet/sign-in', status: 200, sessionId: session.id },
    { what: 'POST /client/v1/products', status: 201, sessionId: session.id },
    { what: 'POST /api/v2/shoes/orders', status: 200, sessionId: session.id },
    { what: 'POST /client/v1/orders/:orderId/downloads', status: 201, sessionId: session.id },
    { what: 'POST /client/v1/circulation/introductions', status: 200, sessionId: session.id },
    { what: 'POST /client/v1/tickets', status: 201, sessionId: session.id },
    { what: 'POST /client/v1/acts/:actId/sign', status: 200, sessionId: session.id },
  ]);
  await headPage.reload();
  await headPage.waitForSelector('#action-rows tr');
  const journal = (await headPage.locator('#action-rows tr').allInnerTexts()).map((row) =>
    normal(row).replace(/^\S+ \S+ /, ''),
  );
  expect(journal).toEqual([
    'Омаров Данияр подписал(а) акт выполненных работ выполнено',
    'Омаров Данияр открыл(а) обращение в поддержку выполнено',
    'Омаров Данияр ввёл(а) коды в оборот выполнено',
    'Омаров Данияр получил(а) коды выполнено',
    'Омаров Данияр заказал(а) коды маркировки выполнено',
    'Омаров Данияр зарегистрировал(а) товар выполнено',
    'Омаров Данияр вход с ЭЦП выполнено',
    'АХМЕТОВ ЕРЛАН добавил(а) сотрудника выполнено',
    'АХМЕТОВ ЕРЛАН вход с ЭЦП выполнено',
  ]);

  // ---- The head removes the employee (confirmed in the page): the employee's next action, in the page still open, ends at the login form.
  await removePersonInPage(headPage, employeeIin);
  expect((await db('client_people').where({ id: employeePerson.id }).first()).removed_at).not.toBeNull();
  await page.fill('#recon-from', `${today().slice(0, 4)}-01-01`);
  await page.fill('#recon-to', today());
  await page.click('#request-recon');
  await page.waitForSelector('#login:not([hidden])');
  await page.waitForSelector('#login-error:has-text("Сеанс завершён")');
  expect(await page.isHidden('#cabinet')).toBe(true);
  expect(await db('reconciliation_acts').where({ client_id: client.id })).toEqual([]);
  expect(await db('client_sessions').where({ person_id: employeePerson.id }).whereNull('revoked_at')).toEqual([]);
  expect((await actionsOf(headPerson.id)).map((a) => [a.what, a.status])).toEqual([
    ['POST /v1/cabinet/sign-in', 200],
    ['POST /client/v1/people', 201],
    ['DELETE /client/v1/people/:personId', 200],
  ]);

  expect(headErrors).toEqual([]);
  expect(errors).toEqual([]);
}, 240_000);
