import { eventually, useTestApi } from '../helpers/api';
import { downloaded, normal, signIn, text, today, useBrowser } from '../helpers/browser';
import { registerClient } from '../helpers/clients';
import { clientToken, insertStaff, randomBinIin, REQUISITES } from '../helpers/fixtures';
import { randomGtin } from '../helpers/orders';
import { registerAcceptedProduct } from '../helpers/products';

// The client cabinet (6.10, Прил. 2 п.8) in Chromium.

const context = useTestApi();
const browser = useBrowser();

test('a client signs in with its token and sees balances, the statement, invoices, notices, acts, reconciliation acts, orders and downloads', async () => {
  const { db } = context.database;
  const admin = await insertStaff(db, ['admin']);
  const accountant = await insertStaff(db, ['accountant']);
  const created = await registerClient(context.api, db, admin.token, {
    binIin: randomBinIin(),
    name: 'ТОО «Кабинет <b>и</b> к°»',
    email: `cabinet-${Date.now()}@example.kz`,
    requisites: { ...REQUISITES, companyName: 'ТОО «Кабинет <b>и</b> к°»' },
  });
  expect(created.status).toBe(201);
  const clientId: string = created.body.id;
  const { number: accountNumber } = await db('personal_accounts').where({ client_id: clientId }).first('number');
  const token = await clientToken(db, clientId);
  for (const [documentNumber, amountTiyn] of [
    ['C-1', 100_000],
    ['C-2', 50_050],
  ] as const) {
    const paid = await context.api.request('POST', '/staff/v1/payments', {
      token: accountant.token,
      body: {
        documentNumber,
        documentDate: '2026-11-20',
        amountTiyn,
        payerName: 'ТОО «Кабинет»',
        purpose: `Пополнение ${accountNumber}`,
      },
    });
    expect(paid.body).toMatchObject({ status: 'credited', payment: { clientId } });
  }
  const notice = await context.api.request('POST', `/staff/v1/clients/${clientId}/notices`, {
    token: admin.token,
    body: { subject: 'Об изменении тарифа на коды маркировки', body: 'Уведомляем об изменении тарифа.' },
  });
  expect(notice.status).toBe(202);
  await eventually(async () => (await db('notices').where({ id: notice.body.id }).first('status')).status === 'sent');
  const account = (await context.api.request('GET', '/client/v1/account', { token })).body;

  const { page, errors: pageErrors } = await browser.open(`${context.api.url}/cabinet`);

  await signIn(page, 'ismet_client_wrong');
  await page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")');

  await signIn(page, token);
  await page.waitForSelector('#available:has-text("1")');
  expect(await text(page, '#who')).toContain('ТОО «Кабинет <b>и</b> к°»');
  expect(await text(page, '#account-number')).toBe(accountNumber);
  expect(await text(page, '#available')).toBe('1 500,50 ₸');
  expect(await text(page, '#reserved')).toBe('0,00 ₸');
  expect(await text(page, '#total-paid-in')).toBe('1 500,50 ₸');
  expect(await text(page, '#price-net')).toBe('2,68 ₸');
  expect(await text(page, '#vat-rate')).toBe('16%');
  expect((await text(page, '#codes-affordable')).replace(/\D/g, '')).toBe(String(account.codesAffordable));

  // The statement: both deposits, newest first; then a period without operations.
  const rows = page.locator('#statement tbody tr');
  await rows.nth(1).waitFor();
  expect(await rows.count()).toBe(2);
  expect(normal(await rows.nth(0).textContent())).toContain('Пополнение лицевого счёта');
  expect(normal(await rows.nth(0).textContent())).toContain('+500,50 ₸');
  expect(normal(await rows.nth(0).textContent())).toContain('1 500,50 ₸');
  expect(normal(await rows.nth(1).textContent())).toContain('+1 000,00 ₸');
  // Each top-up names the bank's payment document, as the bank statement does.
  expect(normal(await rows.nth(0).locator('.bank-document').textContent())).toBe('п/п № C-2 от 20.11.2026');
  expect(normal(await rows.nth(1).locator('.bank-document').textContent())).toBe('п/п № C-1 от 20.11.2026');
  expect(await page.isHidden('#more')).toBe(true);
  await page.fill('#from', '2020-01-01');
  await page.fill('#to', '2020-12-31');
  await page.click('#apply');
  await page.waitForSelector('#statement tbody tr.empty');

  // Paging, one line a page (the page size can be given in the address).
  await page.goto(`${context.api.url}/cabinet?pageSize=1`);
  await page.waitForSelector('#statement tbody tr[data-id]');
  expect(await rows.count()).toBe(1);
  expect(await page.isVisible('#more')).toBe(true);
  await page.click('#more');
  await rows.nth(1).waitFor();
  expect(normal(await rows.nth(1).textContent())).toContain('+1 000,00 ₸');
  await page.waitForSelector('#more', { state: 'hidden' });
  expect(await rows.count()).toBe(2);

  // The CSV of today.
  await page.fill('#from', today());
  await page.fill('#to', today());
  const csv = await downloaded(page, () => page.click('#export'));
  expect(csv.download.suggestedFilename()).toBe(`statement_${today()}_${today()}.csv`);
  expect(csv.content.toString('utf8')).toContain('Пополнение лицевого счёта');
  // RFC 4180: a decimal comma is the other separator, so the amount is quoted (lib/files/table-csv.ts).
  expect(csv.content.toString('utf8')).toContain(';"500,50";');

  // An invoice for 1000 codes: 2 680,00 + 16% VAT 428,80.
  await page.fill('#invoice-codes', '1000');
  expect(await text(page, '#invoice-preview')).toContain('= 3 108,80 ₸');
  await page.click('#request-invoice');
  // The message box still shows the export's message until the invoice's replaces it.
  await page.waitForSelector('#message.info:has-text("108,80")');
  expect(await text(page, '#message')).toContain('3 108,80');
  const invoice = page.locator('#invoices tbody tr[data-id]');
  await invoice.first().waitFor();
  expect(await invoice.count()).toBe(1);
  expect(normal(await invoice.locator('td').first().textContent())).toMatch(/^\d{4}-\d{6}$/);
  expect(normal(await invoice.textContent())).toContain('3 108,80');
  const pdf = await downloaded(page, () => invoice.locator('button.pdf').click());
  expect(pdf.download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(Number((await db('invoices').where({ client_id: clientId }).count('* as n'))[0].n)).toBe(1);

  // Both fields, or neither: refused in the page, nothing requested.
  await page.fill('#invoice-codes', '10');
  await page.fill('#invoice-amount', '500');
  await page.click('#request-invoice');
  await page.waitForSelector('#message.error');
  await page.fill('#invoice-codes', '');
  await page.fill('#invoice-amount', '1 160,5');
  await page.click('#request-invoice');
  await page.waitForSelector('#message.info:has-text("160,50")');
  expect(await invoice.count()).toBe(2);

  // Notices.
  const noticeRow = page.locator('#notices tbody tr', { hasText: 'Об изменении тарифа на коды маркировки' });
  expect(normal(await noticeRow.textContent())).toContain('отправлено');

  // Codes: a product in the catalogue, an order through the order station, 3 of its 5 codes downloaded.
  const me = (await context.api.request('GET', '/client/v1/me', { token })).body;
  const gtin = randomGtin();
  // The client's right to the GTIN accepted under its GS1 company prefix (issue #16).
  expect(
    (
      await registerAcceptedProduct(context.api, {
        staffToken: admin.token,
        clientId,
        clientToken: token,
        gtin,
        sentGtin: gtin.slice(1),
        name: 'Ботинки мужские',
      })
    ).status,
  ).toBe(201);
  const station = { clientToken: token };
  const ordered = await context.api.request('POST', `/api/v2/shoes/orders?omsId=${me.omsId}`, {
    headers: station,
    body: {
      contactPerson: 'Иванов И.И.',
      releaseMethodType: 'PRODUCTION',
      createMethodType: 'SELF_MADE',
      products: [{ gtin, quantity: 5, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' }],
    },
  });
  expect(ordered.status).toBe(200);
  const orderId: string = ordered.body.orderId;
  await eventually(async () => (await db('orders').where({ id: orderId }).first()).status === 'READY', 60_000);
  const delivered = await context.api.request(
    'GET',
    `/api/v2/shoes/codes?omsId=${me.omsId}&orderId=${orderId}&gtin=${gtin}&quantity=3&lastBlockId=0`,
    { headers: station },
  );
  expect(delivered.body.codes).toHaveLength(3);
  const blockId: string = delivered.body.blockId;

  // The act of the month (in the operator's zone), as the Schedule would start it.
  const month = today().slice(0, 7);
  await context.api.temporal.client.workflow.start('monthlyAct', {
    workflowId: `act-${clientId}-${month}`,
    taskQueue: context.api.taskQueue,
    args: [{ clientId, month }],
  });
  const act = await eventually(
    async () => (await context.api.request('GET', '/client/v1/acts', { token })).body.acts[0],
    30_000,
  );
  expect(act).toMatchObject({ status: 'issued', codes: 3 });

  await page.reload();
  const actRow = page.locator(`#acts tbody tr[data-id="${act.id}"]`);
  await actRow.waitFor();
  expect(await page.locator('#acts tbody tr[data-id]').count()).toBe(1);
  const actText = normal(await actRow.textContent());
  expect(actText).toContain(act.number);
  expect(actText).toContain('ожидает подписи');
  // The deadline is the end of a working day, shown as «dd.MM.yyyy, 24:00» of that day (not 00:00 of the next).
  const dueDay = new Date(new Date(act.dueAt).getTime() - 60_000).toLocaleDateString('ru-RU', {
    timeZone: 'Asia/Almaty',
  });
  expect(new Date(act.dueAt).toLocaleTimeString('ru-RU', { timeZone: 'Asia/Almaty', timeStyle: 'short' })).toBe(
    '00:00',
  );
  expect(normal(await actRow.locator('td.due').textContent())).toContain(`${dueDay}, 24:00`);
  expect(normal(await actRow.locator('td.due').textContent())).toMatch(/осталось \d+/);
  const actPdf = await downloaded(page, () => actRow.locator('button.act-pdf').click());
  expect(actPdf.download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(actPdf.download.suggestedFilename()).toContain(act.number);
  expect(actPdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // 6.9: the detailed report is there on request, before any dispute.
  const early = await downloaded(page, () => actRow.locator('button.report-pdf').click());
  expect(early.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // The decision forms are for the issued act: a signature made in another program (the fallback to
  // NCALayer, folded away) that is not a CMS is refused by the API, said in Russian.
  expect(await page.isVisible('#act-decision')).toBe(true);
  expect(await text(page, '#decision-number')).toBe(act.number);
  expect(await page.isVisible('#signature')).toBe(false);
  await page.click('#act-other-signature summary');
  await page.fill('#signature', 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA');
  await page.click('#sign');
  await page.waitForSelector('#decision-error:has-text("Подпись не принята")');
  expect(await text(page, '#message')).toContain('Подпись не принята');
  expect((await db('acts').where({ id: act.id }).first('status')).status).toBe('issued');
  // Too short a refusal is stopped in the page; a motivated one disputes the act.
  await page.fill('#refuse-reason', 'Неверно');
  await page.click('#refuse');
  await page.waitForSelector('#decision-error:has-text("10 символов")');
  expect(await page.getAttribute('#message', 'class')).toBe('error');
  expect((await db('acts').where({ id: act.id }).first('status')).status).toBe('issued');
  await page.fill('#refuse-reason', 'Количество кодов не совпадает с нашими данными');
  await page.click('#refuse');
  await page.waitForSelector('#message.info:has-text("отказ")');
  await actRow.locator('.status:has-text("отказ направлен")').waitFor();
  expect(normal(await actRow.textContent())).toContain('Количество кодов не совпадает с нашими данными');
  expect(await page.isHidden('#act-decision')).toBe(true);
  expect((await db('acts').where({ id: act.id }).first('status')).status).toBe('disputed');
  const report = await downloaded(page, () => actRow.locator('button.report-pdf').click());
  expect(report.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // A reconciliation act for this year up to today; the quarter select offers the last four quarters.
  expect(await page.locator('#recon-quarter option').count()).toBe(5);
  await page.selectOption('#recon-quarter', { index: 1 });
  expect(await page.inputValue('#recon-from')).toMatch(/^\d{4}-(01|04|07|10)-01$/);
  await page.fill('#recon-from', `${today().slice(0, 4)}-01-01`);
  await page.fill('#recon-to', today());
  expect(await page.inputValue('#recon-quarter')).toBe('');
  await page.click('#request-recon');
  await page.waitForSelector('#message.info:has-text("акт сверки")');
  const recon = page.locator('#recons tbody tr[data-id]');
  await recon.first().waitFor();
  expect(await recon.count()).toBe(1);
  const reconRow = await db('reconciliation_acts').where({ client_id: clientId }).first();
  expect(normal(await recon.textContent())).toContain(reconRow.number);
  expect(normal(await recon.textContent())).toContain('1 500,50 ₸');
  const reconPdf = await downloaded(page, () => recon.locator('button.recon-pdf').click());
  expect(reconPdf.download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(reconPdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');

  // Orders and downloads, read only.
  const orderRow = page.locator(`#orders tbody tr[data-id="${orderId}"]`);
  await orderRow.waitFor();
  // The status in words, without the station's code beside it.
  expect(normal(await orderRow.textContent())).toMatch(/готов|закрыт/);
  expect(normal(await orderRow.textContent())).not.toMatch(/READY|CLOSED/);
  expect(normal(await orderRow.locator('td.codes').textContent())).toBe('5 из 5');
  expect(normal(await orderRow.textContent())).toContain(gtin);
  expect(await orderRow.locator('.missed').count()).toBe(0);
  const block = page.locator(`#downloads tbody tr[data-id="${blockId}"]`);
  await block.waitFor();
  expect(normal(await block.textContent())).toContain(gtin);
  expect(normal(await block.locator('td.apply-by').textContent())).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
  expect(await text(page, '#overdue-codes')).toBe('0');
  const raw = await downloaded(page, () => block.locator('button.csv-raw').click());
  expect(raw.download.suggestedFilename()).toBe(`codes_${blockId}.csv`);
  const rawCodes = raw.content.toString('utf8').trim().split(/\r?\n/);
  expect(rawCodes).toHaveLength(3);
  for (const line of rawCodes) expect(line).toContain(`01${gtin}21`);
  expect(raw.content.includes(0x1d)).toBe(true);
  const human = await downloaded(page, () => block.locator('button.csv-human').click());
  expect(human.content.toString('utf8')).toContain(`(01)${gtin}(21)`);

  expect(pageErrors).toEqual([]);
  await page.close();
}, 240_000);
