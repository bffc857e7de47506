import fs from 'node:fs';
import { Browser, chromium, Download, Page } from 'playwright-core';
import { eventually, useTestApi } from '../helpers/api';
import { clientToken, insertStaff, randomBinIin } from '../helpers/fixtures';

// The client cabinet (6.10, Прил. 2 п.8) in Debian's Chromium (apt-get install chromium), driven by playwright-core.
const CHROMIUM = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

const context = useTestApi();
let browser: Browser;

beforeAll(async () => {
  if (!CHROMIUM) throw new Error('Chromium is needed for the console tests: apt-get install chromium (or set CHROMIUM_PATH)');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});
afterAll(async () => {
  await browser?.close();
});

/** Text with every kind of space (no-break, narrow no-break) as a plain one. */
const normal = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();
const text = async (page: Page, selector: string) => normal(await page.textContent(selector));
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Almaty' });

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; content: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { download, content: fs.readFileSync(file!) };
}

test('a client signs in with its token and sees balances, the statement, invoices and notices', async () => {
  const { db } = context.database;
  const admin = await insertStaff(db, ['admin']);
  const accountant = await insertStaff(db, ['accountant']);
  const created = await context.api.request('POST', '/staff/v1/clients', {
    token: admin.token,
    body: { binIin: randomBinIin(), name: 'ТОО «Кабинет <b>и</b> к°»', email: `cabinet-${Date.now()}@example.kz` },
  });
  expect(created.status).toBe(201);
  const clientId: string = created.body.id;
  const { number: accountNumber } = await db('personal_accounts').where({ client_id: clientId }).first('number');
  const token = await clientToken(db, clientId);
  for (const [documentNumber, amountTiyn] of [['C-1', 100_000], ['C-2', 50_050]] as const) {
    const paid = await context.api.request('POST', '/staff/v1/payments', {
      token: accountant.token,
      body: { documentNumber, documentDate: '2026-11-20', amountTiyn, payerName: 'ТОО «Кабинет»', purpose: `Пополнение ${accountNumber}` },
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

  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${context.api.url}/cabinet`);

  await page.fill('#token', 'ismet_client_wrong');
  await page.click('#signin');
  await page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")');

  await page.fill('#token', token);
  await page.click('#signin');
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
  expect(csv.content.toString('utf8')).toContain(';500.50;');

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

  expect(pageErrors).toEqual([]);
  await page.close();
});
