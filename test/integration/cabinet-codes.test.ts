import { clientBalance, deposit } from '../../db/ledger';
import { openPersonalAccount } from '../../db/personal-accounts';
import { GS, humanReadable } from '../../lib/codes';
import { chargeForDelivery, priceOfCodes } from '../../lib/money';
import { eventually, useTestApi } from '../helpers/api';
import { decodePdfPages } from '../helpers/barcodes';
import { downloaded, normal, signIn, text, useBrowser, ZONE } from '../helpers/browser';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { randomGtin } from '../helpers/orders';
import { recordGs1PrefixFor } from '../helpers/products';

// Issue #17: a small shoe shop without an integrator does everything in the browser, on /cabinet/codes:
// registers its product, orders codes, waits for their emission, sees the charge before getting them,
// prints the labels and introduces the codes into circulation with a barcode scanner.

const context = useTestApi();
const browser = useBrowser();

/** The tariff and VAT rate the test database starts with (6.1). */
const PRICE = { pricePerCodeTiyn: 268, vatRateBp: 1600 };
/** Tiyn as the page shows them (amounts under 1 000 ₸ here): «9,33 ₸». */
const tenge = (tiyn: number) => `${Math.floor(tiyn / 100)},${String(tiyn % 100).padStart(2, '0')} ₸`;
/** An instant as the page shows a deadline: «до 14:05 04.12.2026», Astana time. */
const until = (at: Date) => {
  const [date, time] = at
    .toLocaleString('ru-RU', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short' })
    .split(', ');
  return `до ${time} ${date}`;
};

test('a shop registers a product, orders codes, sees the deadline and the charge, prints labels and introduces the codes with a scanner', async () => {
  const { db } = context.database;
  const admin = await insertStaff(db, ['admin']);
  const client = await insertClient(db, { name: 'ИП «Обувь <i>у дома</i>»' });
  await openPersonalAccount(db, client.id, new Date());
  // 1 000 ₸ on the personal account.
  await deposit(db, {
    idempotencyKey: `fund-${client.id}`,
    clientId: client.id,
    amountTiyn: 100_000,
    paymentId: `fund-${client.id}`,
  });
  const token = await clientToken(db, client.id);
  // The shop's own GTIN lies under its GS1 company prefix; another company's prefix covers a second one.
  const gtin = randomGtin();
  await recordGs1PrefixFor(context.api, admin.token, client.id, gtin);
  const other = await insertClient(db, { name: 'ТОО «Чужой бренд»' });
  const foreignGtin = randomGtin();
  await recordGs1PrefixFor(context.api, admin.token, other.id, foreignGtin);
  const pendingGtin = randomGtin();

  const { page, errors: pageErrors } = await browser.open(`${context.api.url}/cabinet/codes`);
  // The cabinet's sections, this one current; the page's own script only, after the shared ones.
  expect(
    await page.$$eval('header nav.cabinet-nav a', (links) =>
      links.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('aria-current')]),
    ),
  ).toEqual([
    ['/cabinet', 'Счёт и документы', null],
    ['/cabinet/codes', 'Товары и коды', 'page'],
    ['/cabinet/support', 'Обращения', null],
    ['/cabinet/company', 'Компания', null],
  ]);
  expect(await page.getAttribute('header nav.cabinet-nav', 'aria-label')).toBe('Разделы кабинета');
  expect(await page.$$eval('script', (list) => list.map((s) => s.getAttribute('src')))).toEqual([
    '/console/intl-messageformat.js',
    '/console/messages/cabinet-codes.js',
    '/console/i18n.js',
    '/console/console.js',
    '/console/format.js',
    '/console/cabinet-codes.js',
  ]);
  await signIn(page, token);
  await page.waitForSelector('#who:has-text("БИН/ИИН")');
  expect(await text(page, '#who')).toContain('ИП «Обувь <i>у дома</i>»');
  await page.waitForSelector('#available:has-text("₸")');
  expect(await text(page, '#available')).toBe('1 000,00 ₸');
  await page.waitForSelector('#products-list tbody tr.empty');
  // Every field has its label; on a narrow screen the page is one column.
  const unlabelled = await page.evaluate<string[]>(
    `[...document.querySelectorAll('input, select, textarea')].filter((el) => !el.labels || !el.labels.length).map((el) => el.id)`,
  );
  expect(unlabelled).toEqual([]);
  await page.setViewportSize({ width: 420, height: 900 });
  expect(
    (await page.evaluate<string>(`getComputedStyle(document.getElementById('cabinet')).gridTemplateColumns`)).split(
      ' ',
    ),
  ).toHaveLength(1);
  await page.setViewportSize({ width: 1280, height: 900 });

  // A product under the shop's GS1 prefix: accepted at once, in Russian words.
  await page.fill('#product-gtin', gtin);
  await page.fill('#product-name', 'Кеды детские <b>летние</b>');
  await page.fill('#product-size', '32');
  await page.fill('#product-country', 'Казахстан');
  await page.click('#register-product');
  await page.waitForSelector('#message.info:has-text("подтверждено")');
  const productRow = page.locator(`#products-list tbody tr[data-gtin="${gtin}"]`);
  await productRow.waitFor();
  expect(normal(await productRow.textContent())).toContain('Кеды детские <b>летние</b>');
  expect(normal(await productRow.locator('.rights').textContent())).toBe('подтверждено');
  expect(normal(await productRow.textContent())).toContain('размер: 32');
  const product = await db('products').where({ client_id: client.id, gtin }).first();
  expect(product).toMatchObject({
    rights_status: 'accepted',
    name: 'Кеды детские <b>летние</b>',
    attributes: { size: '32', country: 'Казахстан' },
  });

  // A GTIN under another company's prefix is refused with a clear Russian message; nothing is registered.
  await page.fill('#product-gtin', foreignGtin);
  await page.fill('#product-name', 'Кроссовки чужого бренда');
  await page.click('#register-product');
  await page.waitForSelector('#product-error:has-text("другой компанией")');
  expect(await text(page, '#product-error')).toContain(
    `GTIN ${foreignGtin} входит в префикс GS1, записанный за другой компанией`,
  );
  expect(await page.getAttribute('#message', 'class')).toBe('error');
  expect(await db('products').where({ client_id: client.id, gtin: foreignGtin }).first()).toBeUndefined();
  // A mistyped GTIN is stopped in the page.
  await page.fill('#product-gtin', gtin.slice(0, 13) + String((Number(gtin[13]) + 1) % 10));
  await page.click('#register-product');
  await page.waitForSelector('#product-error:has-text("контрольная цифра")');

  // A GTIN without a recorded prefix goes to moderation and cannot be ordered yet.
  await page.fill('#product-gtin', pendingGtin);
  await page.fill('#product-name', 'Сапоги резиновые');
  await page.fill('#product-evidence', 'Договор с правообладателем № 7 от 01.11.2026');
  await page.click('#register-product');
  await page.waitForSelector('#message.info:has-text("модерацию")');
  const pendingRow = page.locator(`#products-list tbody tr[data-gtin="${pendingGtin}"]`);
  await pendingRow.waitFor();
  expect(normal(await pendingRow.locator('.rights').textContent())).toBe('на модерации');
  expect((await db('products').where({ client_id: client.id, gtin: pendingGtin }).first()).rights_status).toBe(
    'pending',
  );
  expect(
    await page
      .locator('#order-gtin option')
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value)),
  ).toEqual([gtin]);

  // The SELF_MADE serials come from a file, checked in the page before anything is sent.
  await page.check('#serial-self');
  await page.setInputFiles('#order-serials-file', {
    name: 'serials.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('3ABCDEFGHIJK1\r\nкороткий\r\n3ABCDEFGHIJK1\r\n'),
  });
  await page.waitForSelector('#order-serials-info.bad');
  expect(await text(page, '#order-serials-info')).toContain('повторяет строку 1');
  // Two good serials, one of them quoted as a CSV cell (it holds a comma and a quote): ordered as they are.
  const selfMade = ['3SELFMADE0001', '3A,B"CDEFGHIJ'];
  await page.setInputFiles('#order-serials-file', {
    name: 'serials.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\ufeff${selfMade[0]}\r\n"3A,B""CDEFGHIJ"\r\n`),
  });
  await page.waitForSelector('#order-serials-info:has-text("Прочитано серийных номеров: 2")');
  expect(await page.inputValue('#order-quantity')).toBe('2');
  await page.fill('#order-contact', 'Иванова А. Б.');
  await page.click('#place-order');
  await page.waitForSelector('#message.info:has-text("на 2 кода принят")');
  const selfMadeOrder = await eventually(async () => db('orders').where({ client_id: client.id }).first());
  const selfMadeLine = await db('order_products').where({ order_id: selfMadeOrder.id }).first();
  expect(selfMadeLine).toMatchObject({ gtin, quantity: 2, serial_number_type: 'SELF_MADE' });
  expect(
    await db('self_made_serials').where({ order_product_id: selfMadeLine.id }).orderBy('seq').pluck('serial'),
  ).toEqual(selfMade);
  await page
    .locator(`#orders-list tbody tr[data-id="${selfMadeOrder.id}"] .status:has-text("готов")`)
    .waitFor({ timeout: 60_000 });
  await page.check('#serial-operator');

  // An order of 3 codes: the reservation it will make is shown first.
  await page.selectOption('#order-gtin', gtin);
  await page.fill('#order-quantity', '3');
  await page.fill('#order-contact', 'Иванова А. Б.');
  const reservation = priceOfCodes(3, PRICE);
  expect(await text(page, '#order-cost')).toContain(
    `3 × 2,68 ₸ = ${tenge(reservation.net)} + НДС 16% ${tenge(reservation.vat)} = ${tenge(reservation.total)}`,
  );
  // The first list after the order shows it still being emitted (made so, should the worker be quicker than
  // the page): the time left counts down from 4 hours, and the page refreshes itself until the codes are ready.
  let shownInProgress = 0;
  await page.route('**/api/v2/shoes/orders?*', async (route) => {
    if (route.request().method() !== 'GET' || shownInProgress > 0) return route.fallback();
    shownInProgress += 1;
    const response = await route.fetch();
    const body = await response.json();
    for (const info of body.orderInfos) {
      if (info.orderStatus !== 'READY') continue;
      info.orderStatus = 'APPROVED';
      for (const b of info.buffers)
        Object.assign(b, { bufferStatus: 'PENDING', availableCodes: -1, leftInBuffer: -1, emittedCodes: 1 });
    }
    await route.fulfill({ response, json: body });
  });
  await page.click('#place-order');
  await page.waitForSelector('#message.info:has-text("на 3 кода принят")');
  const order = await eventually(async () => db('orders').where({ client_id: client.id, total_codes: 3 }).first());
  expect(order).toMatchObject({ total_codes: 3 });
  expect(await db('order_products').where({ order_id: order.id }).first()).toMatchObject({
    gtin,
    quantity: 3,
    serial_number_type: 'OPERATOR',
  });

  // The 4-hour deadline (4.4.4), then READY as the page refreshes itself.
  const orderRow = page.locator(`#orders-list tbody tr[data-id="${order.id}"]`);
  await orderRow.waitFor();
  const deadline = new Date(order.emission_deadline_at);
  expect(deadline.getTime() - new Date(order.registered_at).getTime()).toBe(4 * 3_600_000);
  expect(normal(await orderRow.locator('.deadline').textContent())).toBe(until(deadline));
  expect(shownInProgress).toBe(1);
  expect(normal(await orderRow.locator('.status').textContent())).toMatch(
    /^(принят, ожидает эмиссии|проверка баланса и резервирование|идёт эмиссия кодов)$/,
  );
  expect(normal(await orderRow.locator('.time-left').textContent())).toMatch(/^осталось (4 ч 0|3 ч [45]\d) мин$/);
  await orderRow.locator('.status:has-text("готов")').waitFor({ timeout: 60_000 });
  await page.unroute('**/api/v2/shoes/orders?*');
  expect((await db('orders').where({ id: order.id }).first()).status).toBe('READY');
  expect(normal(await orderRow.textContent())).toContain('Кеды детские <b>летние</b>');
  expect(normal(await orderRow.locator('.codes').textContent())).toBe('выпущено 3 из 3');
  expect(normal(await orderRow.locator('.available').textContent())).toBe('3');
  expect(normal(await orderRow.locator('td.due').textContent())).toContain('коды выпущены в срок');
  expect(await page.getAttribute(`#orders-list tbody tr[data-id="${order.id}"] progress`, 'value')).toBe('3');
  // The reservations of both orders show on the account once they are approved.
  await page.waitForSelector(
    `#reserved:has-text("${tenge(priceOfCodes(2, PRICE).total + reservation.total).replace(' ₸', '')}")`,
  );

  // Getting codes: the charge is shown and must be confirmed; cancelling charges nothing.
  await orderRow.locator('button.get-codes').click();
  await page.waitForSelector('#download-confirm', { state: 'visible' });
  expect(await text(page, '#confirm-total')).toBe(tenge(chargeForDelivery(PRICE, 0, 3).total));
  await page.click('#cancel-download');
  await page.waitForSelector('#download-confirm', { state: 'hidden' });
  expect((await clientBalance(db, client.id)).totalCharged).toBe(0);
  // Two codes first, then the last one: each charge as the ledger will make it (cumulative VAT).
  await orderRow.locator('button.get-codes').click();
  await page.fill('#confirm-quantity', '2');
  const firstCharge = chargeForDelivery(PRICE, 0, 2).total;
  expect(await text(page, '#confirm-total')).toBe(tenge(firstCharge));
  expect((await clientBalance(db, client.id)).totalCharged).toBe(0);
  await page.click('#confirm-download');
  await page.waitForSelector(`#message.info:has-text("списано ${tenge(firstCharge).replace(' ₸', '')}")`);
  expect((await clientBalance(db, client.id)).totalCharged).toBe(firstCharge);
  await page.waitForSelector(`#orders-list tbody tr[data-id="${order.id}"] .available:text-is("1")`);
  await orderRow.locator('button.get-codes').click();
  const secondCharge = chargeForDelivery(PRICE, 2, 1).total;
  expect(await text(page, '#confirm-total')).toBe(tenge(secondCharge));
  await page.click('#confirm-download');
  await page.waitForSelector(`#message.info:has-text("списано ${tenge(secondCharge).replace(' ₸', '')}")`);
  expect((await clientBalance(db, client.id)).totalCharged).toBe(reservation.total);
  // Every code received: the order closes, and the page shows it without a reload.
  await orderRow.locator('.status:has-text("закрыт")').waitFor();
  expect(await orderRow.locator('button.get-codes').count()).toBe(0);

  const blocks = await db('code_blocks')
    .where({ client_id: client.id })
    .orderBy('delivered_at')
    .select('id', 'quantity', 'amount');
  expect(blocks.map((b) => [b.quantity, Number(b.amount)])).toEqual([
    [2, firstCharge],
    [1, secondCharge],
  ]);
  const codesOf = async (blockId: string): Promise<string[]> =>
    (await context.api.request('GET', `/client/v1/downloads/${blockId}/codes.json`, { token })).body.codes;
  const [first, second] = [await codesOf(blocks[0].id), await codesOf(blocks[1].id)];
  expect(first).toHaveLength(2);

  // The labels of the first block: every DataMatrix decodes to one of its codes, with progress shown.
  const blockRow = page.locator(`#downloads-list tbody tr[data-id="${blocks[0].id}"]`);
  await blockRow.waitFor();
  expect(normal(await blockRow.textContent())).toContain(tenge(firstCharge));
  // A layout that does not fit the sheet is refused in Russian; one label a page gives a page per code.
  await page.fill('#label-columns', '20');
  await page.fill('#label-rows', '40');
  await blockRow.locator('button.labels-pdf').click();
  await page.waitForSelector('#message.error:has-text("не помещаются на лист")');
  await page.fill('#label-columns', '1');
  await page.fill('#label-rows', '1');
  const labels = await downloaded(page, () => blockRow.locator('button.labels-pdf').click());
  expect(labels.download.suggestedFilename()).toBe(`labels_${blocks[0].id}.pdf`);
  expect(labels.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const pages = decodePdfPages(labels.content, 3);
  expect(pages.map((symbolsOfPage) => symbolsOfPage.length)).toEqual([1, 1]);
  const symbols = pages.flat();
  expect(symbols.map((s) => s.replace(/^\]d2/, '')).sort()).toEqual([...first].sort());
  await page.waitForSelector('#file-progress-text:has-text("скачано")');
  expect(await page.getAttribute('#file-progress', 'value')).toBe('1');
  expect((await clientBalance(db, client.id)).totalCharged).toBe(reservation.total);

  // The scanner: each Enter adds a code — as the symbol reads (]d2, GS), as a scanner that drops GS sends it,
  // in the human-readable form —, a repeat is flagged, an unknown code is refused by the API.
  const scan = async (code: string) => {
    await page.fill('#scan', code);
    await page.press('#scan', 'Enter');
  };
  await scan(symbols[0]);
  await scan(first[1].replaceAll(GS, ''));
  await scan(first.find((c) => `]d2${c}` === symbols[0])!);
  await scan(humanReadable(second[0]));
  const unknown = `01${gtin}213ZZZZZZZZZZZZ`;
  await scan(unknown);
  expect(await text(page, '#scan-total')).toBe('5');
  expect(await text(page, '#scan-repeats')).toBe('1');
  expect(await text(page, '#scan-unique')).toBe('4');
  expect(await page.locator('#scan-list li.dup').count()).toBe(1);
  expect(normal(await page.locator('#scan-list li.dup').textContent())).toContain('повтор строки 1');
  await page.click('#introduce');
  await page.waitForSelector('#intro-summary:has-text("Введено в оборот: 3")');
  expect(await text(page, '#intro-summary')).toContain('отказано: 1');
  const results = page.locator('#intro-results tbody tr');
  expect(await results.count()).toBe(4);
  expect(
    await page.locator('#intro-results tbody tr.result-INTRODUCED .outcome:has-text("введён в оборот")').count(),
  ).toBe(3);
  expect(normal(await page.locator('#intro-results tbody tr.result-REFUSED').textContent())).toContain(
    'отказано: код не найден среди кодов вашей компании',
  );
  expect(await text(page, '#scan-total')).toBe('0');
  const statuses = await db('marking_codes as c')
    .join('order_products as p', 'p.id', 'c.order_product_id')
    .where({ 'p.order_id': order.id })
    .pluck('c.status');
  expect(statuses.sort()).toEqual(['INTRODUCED', 'INTRODUCED', 'INTRODUCED']);

  // The same code again, now from a file: already in circulation.
  await page.setInputFiles('#intro-file', {
    name: 'codes.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`code\r\n${second[0].replaceAll(GS, '\\u001d')}\r\n`),
  });
  await page.waitForSelector('#scan-total:text-is("1")');
  await page.click('#introduce');
  await page.waitForSelector('#intro-summary:has-text("уже были в обороте: 1")');
  expect(normal(await page.locator('#intro-results tbody tr').textContent())).toContain('уже в обороте с');

  // The shop gives up the SELF_MADE order's codes: what is given up and released is shown and confirmed first.
  const selfMadeRow = page.locator(`#orders-list tbody tr[data-id="${selfMadeOrder.id}"]`);
  await selfMadeRow.locator('button.close-buffer').click();
  await page.waitForSelector('#close-confirm', { state: 'visible' });
  expect(await text(page, '#close-codes')).toBe('2');
  expect(await text(page, '#close-release')).toBe(tenge(priceOfCodes(2, PRICE).total));
  expect((await db('orders').where({ id: selfMadeOrder.id }).first()).status).toBe('READY');
  await page.click('#confirm-close');
  await page.waitForSelector('#message.info:has-text("отказались")');
  await eventually(async () => (await db('orders').where({ id: selfMadeOrder.id }).first()).status === 'CLOSED');
  await eventually(async () => (await clientBalance(db, client.id)).reserved === 0);
  expect((await clientBalance(db, client.id)).available).toBe(100_000 - reservation.total);
  await selfMadeRow.locator('.status:has-text("закрыт")').waitFor();

  // An order the balance cannot cover is declined, said in Russian.
  await page.fill('#order-quantity', '1000');
  await page.waitForSelector('#order-cost.bad:has-text("недостаточно")');
  await page.click('#place-order');
  await page.waitForSelector('#message.info:has-text("на 1 000 кодов принят")');
  const big = await eventually(async () => db('orders').where({ client_id: client.id, total_codes: 1000 }).first());
  const bigRow = page.locator(`#orders-list tbody tr[data-id="${big.id}"]`);
  await bigRow.locator('.status:has-text("отклонён")').waitFor({ timeout: 60_000 });
  expect(normal(await bigRow.textContent())).toContain('недостаточно средств на лицевом счёте');

  expect(pageErrors).toEqual([]);
  await page.close();
}, 240_000);
