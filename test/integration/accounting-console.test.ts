import { actStateQuery, monthlyAct, monthlyActWorkflowId } from '../../workflows/monthly-act';
import { eventually, useTestApi } from '../helpers/api';
import { downloaded, normal, signIn, text, today, useBrowser, ZONE } from '../helpers/browser';
import { clientToken, insertStaff } from '../helpers/fixtures';
import { fundedClient } from '../helpers/orders';

// The accountants' console (6.5-6.9) in Chromium.

const actWorkflows: string[] = [];
// Declared before useTestApi so that it runs while the API is still up: the acts' workflows end with the test.
afterAll(async () => {
  for (const workflowId of actWorkflows)
    await ctx.api.temporal.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
});

const ctx = useTestApi();
const browser = useBrowser();

const when = (iso: string) =>
  normal(new Date(iso).toLocaleString('ru-RU', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short' }));

/**
 * A client that ordered codes through the order station and downloaded `codes` of them today
 * (charged, 6.4), then its act for the current month issued by the act's workflow (6.5).
 */
async function clientWithAct(name: string, codes: number) {
  const { db } = ctx.database;
  const client = await fundedClient(db, 1_000_000_00);
  await db('clients').where({ id: client.id }).update({ name });
  const token = await clientToken(db, client.id);
  const headers = { clientToken: token };
  const gtin = client.gtins[0];
  const created = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
    headers,
    body: {
      contactPerson: 'Тест',
      releaseMethodType: 'IMPORT',
      createMethodType: 'SELF_MADE',
      products: [{ gtin, quantity: codes + 2, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' }],
    },
  });
  expect(created.status).toBe(200);
  const orderId = created.body.orderId as string;
  // READY, and its buffer open for downloads.
  await eventually(
    async () =>
      (await db('orders').where({ id: orderId }).first()).status === 'READY' &&
      (await db('order_products').where({ order_id: orderId, status: 'ACTIVE' }).first()),
    60_000,
  );
  const block = await ctx.api.request(
    'GET',
    `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${orderId}&gtin=${gtin}&quantity=${codes}&lastBlockId=0`,
    { headers },
  );
  expect({ status: block.status, body: block.status === 200 ? null : block.body }).toEqual({ status: 200, body: null });
  expect(block.body.codes).toHaveLength(codes);

  const month = today().slice(0, 7);
  const workflowId = monthlyActWorkflowId(client.id, month);
  await ctx.api.temporal.client.workflow.start(monthlyAct, {
    workflowId,
    taskQueue: ctx.api.taskQueue,
    args: [{ clientId: client.id, month }],
  });
  actWorkflows.push(workflowId);
  const act = await eventually(
    async () =>
      db('acts')
        .where({ client_id: client.id, period_from: `${month}-01` })
        .first(),
    60_000,
  );
  // The workflow holds the act (and takes the client's answer) once it has seen the activity's result.
  await eventually(
    async () =>
      (await ctx.api.temporal.client.workflow.getHandle(workflowId).query(actStateQuery)).act?.actId === act.id,
  );
  return { client, token, act, month };
}

test('an accountant sees the acts with their deadlines, resolves a dispute, exports the list and sees the unassigned payments', async () => {
  const { db } = ctx.database;
  const accountant = await insertStaff(db, ['accountant']);
  const moderator = await insertStaff(db, ['moderator']);

  const awaiting = await clientWithAct('ТОО «Альфа-Обувь»', 3);
  const refused = await clientWithAct('ТОО «Бета <i>обувь</i>»', 4);
  expect(awaiting.act).toMatchObject({ status: 'issued', codes: 3 });
  expect(refused.act).toMatchObject({ status: 'issued', codes: 4 });
  const reason = 'Из четырёх кодов два не получены — просим пересчитать.';
  const refusal = await ctx.api.request('POST', `/client/v1/acts/${refused.act.id}/refuse`, {
    token: refused.token,
    body: { reason },
  });
  expect(refusal.status).toBe(200);
  expect(refusal.body).toMatchObject({ status: 'disputed', refusalReason: reason });

  // Bank payments that name no personal account and no client wait for an accountant.
  const payment = async (documentNumber: string, amountTiyn: number, payerName: string) => {
    const recorded = await ctx.api.request('POST', '/staff/v1/payments', {
      token: accountant.token,
      body: {
        documentNumber,
        documentDate: today(),
        amountTiyn,
        payerName,
        purpose: 'Оплата за коды маркировки, без номера счёта',
      },
    });
    expect(recorded.status).toBe(201);
    expect(recorded.body.status).toBe('unassigned');
    return recorded.body.payment;
  };
  const stray = await payment('U-1', 123_456, 'ИП Неизвестный <b>плательщик</b>');
  const second = await payment('U-2', 50_000, 'ТОО «Альфа-Обувь» (другой счёт)');

  const { page, errors: pageErrors } = await browser.open(`${ctx.api.url}/console/accounting`);

  await signIn(page, 'ismet_staff_wrong');
  await page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")');
  await signIn(page, moderator.token);
  await page.waitForSelector('#login-error:has-text("accountant")');
  expect(await page.isHidden('#console')).toBe(true);

  await signIn(page, accountant.token);
  const rows = page.locator('#acts tbody tr[data-id]');
  await rows.nth(1).waitFor();
  expect(await rows.count()).toBe(2);
  expect(await text(page, '#who')).toContain('accountant');

  // The disputed act first, with its reason; the awaiting one with its deadline and time left.
  const disputedRow = rows.nth(0);
  expect(await disputedRow.getAttribute('data-id')).toBe(refused.act.id);
  expect(await disputedRow.getAttribute('class')).toContain('disputed');
  const disputedText = normal(await disputedRow.textContent());
  expect(disputedText).toContain(refused.act.number);
  expect(disputedText).toContain('ТОО «Бета <i>обувь</i>»');
  expect(disputedText).toContain('отказ');
  expect(disputedText).toContain(reason);
  expect(disputedText).toContain(when(refused.act.due_at));
  expect(normal(await disputedRow.locator('td').last().textContent())).toBe('—');

  const awaitingRow = rows.nth(1);
  expect(await awaitingRow.getAttribute('data-id')).toBe(awaiting.act.id);
  expect(await awaitingRow.getAttribute('class')).not.toContain('overdue');
  const awaitingText = normal(await awaitingRow.textContent());
  expect(awaitingText).toContain(awaiting.act.number);
  expect(awaitingText).toContain('ТОО «Альфа-Обувь»');
  expect(awaitingText).toContain('выставлен');
  expect(awaitingText).toContain(when(awaiting.act.due_at));
  const [from, to] = [awaiting.act.period_from, awaiting.act.period_to].map((d: string) =>
    d.split('-').reverse().join('.'),
  );
  expect(awaitingText).toContain(`${from} — ${to}`);
  // 3 codes at 2,68 ₸ + 16% VAT = 8,04 + 1,29 = 9,33 ₸.
  expect(awaiting.act.total).toBe(933);
  expect(awaitingText).toContain('9,33 ₸');
  expect(normal(await awaitingRow.locator('td').last().textContent())).toMatch(
    /^осталось (\d+ дн \d+ ч|\d+ ч \d+ мин)$/,
  );

  // Filters: nothing is overdue; only the disputed one is disputed.
  await page.check('#overdue');
  await page.waitForSelector('#acts tbody tr.empty');
  await page.uncheck('#overdue');
  await rows.nth(1).waitFor();
  await page.selectOption('#status', 'disputed');
  await page.locator(`#acts tbody tr[data-id="${awaiting.act.id}"]`).waitFor({ state: 'detached' });
  expect(await rows.count()).toBe(1);
  expect(await rows.first().getAttribute('data-id')).toBe(refused.act.id);
  await page.selectOption('#status', '');
  await rows.nth(1).waitFor();

  // The disputed act: its lines, totals, history, documents and the forms to resolve it.
  await disputedRow.click();
  await page.waitForSelector(`#detail h2:has-text("${refused.act.number}")`);
  expect(await page.locator('#lines tbody tr').count()).toBe(1);
  const line = normal(await page.locator('#lines tbody tr').first().textContent());
  expect(line).toContain('2,68 ₸');
  expect(line).toContain('(16%)');
  expect(await page.inputValue('#lines input.accepted')).toBe('4');
  expect(await text(page, '#refusal-reason')).toBe(reason);
  expect(await text(page, '#detail-total')).toBe('12,44 ₸');
  const history = normal(await page.textContent('#history'));
  expect(history).toContain('акт выставлен');
  expect(history).toContain('мотивированный отказ');
  expect(history).toContain(reason);
  expect(history).toContain('клиент');
  // The documents, downloaded with the token (names with the Cyrillic act number come through filename*).
  for (const [kind, path] of [
    ['act', 'pdf'],
    ['vat-invoice', 'vat-invoice.pdf'],
    ['detailed-report', 'detailed-report.pdf'],
  ]) {
    expect(await page.getAttribute(`#detail button.file[data-kind="${kind}"]`, 'data-url')).toBe(
      `/staff/v1/acts/${refused.act.id}/${path}`,
    );
    const file = await downloaded(page, () => page.click(`#detail button.file[data-kind="${kind}"]`));
    expect(file.download.suggestedFilename()).toMatch(/\.pdf$/);
    expect(file.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }

  // Confirm without a reason: refused in the page; with one: the act stands.
  await page.click('#confirm');
  await page.waitForSelector('#message.error:has-text("обоснование")');
  await page.fill('#reason', 'Все четыре кода выгружены клиентом 1 блоком, см. детальный отчёт.');
  await page.click('#confirm');
  await page.waitForSelector('#message.info:has-text("подтверждён")');
  await page.waitForSelector(`#detail h2:has-text("подтверждён")`);
  expect(await page.isHidden('#confirm')).toBe(true);
  expect(normal(await page.textContent('#history'))).toContain('подтверждён бухгалтером');
  await page.waitForSelector(`#acts tbody tr[data-id="${refused.act.id}"]:has-text("подтверждён")`);
  expect(await db('acts').where({ id: refused.act.id }).first()).toMatchObject({
    status: 'confirmed',
    resolved_by: accountant.id,
  });
  // The confirmed act no longer leads the list: the one awaiting its client comes first.
  expect(await rows.first().getAttribute('data-id')).toBe(awaiting.act.id);

  // The CSV of the list.
  const csv = await downloaded(page, () => page.click('#export'));
  expect(csv.download.suggestedFilename()).toBe('acts.csv');
  const csvText = csv.content.toString('utf8');
  expect(csvText).toContain(awaiting.act.number);
  expect(csvText).toContain(refused.act.number);
  expect(csvText).toContain('подтверждён после спора');
  await page.waitForSelector('#message.info:has-text("CSV")');

  // Another refusal, resolved by a corrected act: 2 of the 4 codes accepted.
  const corrected = await clientWithAct('ИП Гамма', 4);
  const secondRefusal = await ctx.api.request('POST', `/client/v1/acts/${corrected.act.id}/refuse`, {
    token: corrected.token,
    body: { reason: 'Два кода из четырёх оказались дублями.' },
  });
  expect(secondRefusal.status).toBe(200);
  await page.click('#apply');
  await page.waitForSelector(`#acts tbody tr.disputed[data-id="${corrected.act.id}"]`);
  expect(await rows.first().getAttribute('data-id')).toBe(corrected.act.id);
  await rows.first().click();
  await page.waitForSelector(`#detail h2:has-text("${corrected.act.number}")`);
  await page.fill('#reason', 'Признаны дубли: принимаются 2 кода.');
  await page.fill('#lines input.accepted', '5');
  await page.click('#correct');
  await page.waitForSelector('#message.error:has-text("от 0 до 4")');
  await page.fill('#lines input.accepted', '2');
  await page.click('#correct');
  await page.waitForSelector('#message.info:has-text("исправленный акт")');
  const replacement = await db('acts').where({ replaces_act_id: corrected.act.id }).first();
  expect(replacement).toMatchObject({ status: 'issued', revision: 2, codes: 2 });
  expect(await db('acts').where({ id: corrected.act.id }).first()).toMatchObject({ status: 'superseded' });
  await page.waitForSelector(`#detail h2:has-text("${replacement.number}")`);
  expect(await text(page, '#message')).toContain(corrected.act.number);
  await page.waitForSelector(`#acts tbody tr[data-id="${corrected.act.id}"]:has-text("заменён")`);
  expect(normal(await page.locator(`#acts tbody tr[data-id="${replacement.id}"]`).textContent())).toContain('испр. 1');

  // The unassigned payments: listed; one returned, one credited to a client.
  await page.click('#tab-payments');
  expect(await page.isVisible('#payments')).toBe(true);
  expect(await page.isHidden('#acts')).toBe(true);
  const strayRow = page.locator(`#payments tbody tr[data-id="${stray.id}"]`);
  await strayRow.waitFor();
  const strayText = normal(await strayRow.textContent());
  expect(strayText).toContain('ИП Неизвестный <b>плательщик</b>');
  expect(strayText).toContain('1 234,56 ₸');
  expect(strayText).toContain('U-1');
  expect(await text(page, '#tab-payments')).toContain('(2)');

  await strayRow.locator('input.return-reason').fill('Плательщик не является клиентом оператора');
  await strayRow.locator('button.return').click();
  await page.waitForSelector('#message.info:has-text("U-1")');
  await strayRow.waitFor({ state: 'detached' });
  expect(await db('bank_payments').where({ id: stray.id }).first()).toMatchObject({ status: 'returned' });

  const secondRow = page.locator(`#payments tbody tr[data-id="${second.id}"]`);
  await secondRow.locator('input.client-id').fill('не-идентификатор');
  await secondRow.locator('button.assign').click();
  await page.waitForSelector('#message.error:has-text("UUID")');
  await secondRow.locator('input.client-id').fill(awaiting.client.id);
  await secondRow.locator('button.assign').click();
  await page.waitForSelector('#message.info:has-text("U-2")');
  await page.waitForSelector('#payments tbody tr.empty');
  expect(await db('bank_payments').where({ id: second.id }).first()).toMatchObject({
    status: 'credited',
    client_id: awaiting.client.id,
  });
  await page.selectOption('#payment-status', 'returned');
  await page.waitForSelector(`#payments tbody tr[data-id="${stray.id}"]:has-text("Плательщик не является клиентом")`);

  // Back to the acts; after a reload the token is still there (sessionStorage) and the act selected.
  await page.click('#tab-acts');
  expect(await page.isVisible('#acts')).toBe(true);
  await page.reload();
  await page.waitForSelector(`#detail h2:has-text("${replacement.number}")`);
  expect(await page.isHidden('#login')).toBe(true);

  expect(pageErrors).toEqual([]);
  await page.close();
});
