import type { Page } from 'playwright-core';
import { claimWorkflowId } from '../../workflows/claim';
import { ticketStateQuery, ticketWorkflowId } from '../../workflows/support-ticket';
import { eventually } from '../helpers/api';
import { normal, signIn, text, useBrowser, ZONE } from '../helpers/browser';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { useCabinetApi } from '../helpers/cabinet-api';
import { signCms } from '../helpers/pki';

// The client's cabinet page for support (Прил. 3) and claims (9.2-9.4) in Chromium: a small client without an
// integrator opens a ticket, follows its deadlines, answers the agent, says a resolution did not help and
// confirms the next; then presents a claim signed with its EDS through NCALayer (the stand-in, a real test key).

const cabinet = useCabinetApi();
const ctx = cabinet.ctx;
const browser = useBrowser();

/** A deadline as the page shows it: «до 15:30 04.12.2026», Astana time; one at the end of a day «до 24:00 11.12.2026». */
function shownDeadline(iso: string | Date) {
  const at = new Date(iso);
  const parts = (d: Date) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: ZONE,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(d)
        .map((p) => [p.type, p.value]),
    );
  const p = parts(at);
  if (p.hour === '00' && p.minute === '00') {
    const q = parts(new Date(at.getTime() - 60_000));
    return `до 24:00 ${q.day}.${q.month}.${q.year}`;
  }
  return `до ${p.hour}:${p.minute} ${p.day}.${p.month}.${p.year}`;
}
const TIME_LEFT = /^(?:осталось|просрочено на) (?:\d+ дн \d+ ч \d{2} мин|\d+ ч \d{2} мин|\d+ мин)$/;

async function refreshPage(page: Page) {
  await page.click('#tickets-refresh');
  await page.waitForSelector('#tickets-refresh:not([disabled])');
}

test('a client opens a ticket in the browser, sees its deadlines in Astana time, answers the agent, reopens and confirms the resolution', async () => {
  const { db } = ctx.database;
  const client = await insertClient(db, { name: 'ИП «Обувь <b>у дома</b>»' });
  const token = await clientToken(db, client.id);
  const agent = await insertStaff(db, ['support']);
  const ticketRow = async () => db('tickets').where({ client_id: client.id }).first();

  const { page, errors } = await browser.open(`${ctx.api.url}/cabinet/support`);
  // The cabinet's navigation, this page marked current.
  expect(
    await page
      .locator('nav.cabinet-nav a')
      .evaluateAll((links) =>
        links.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('aria-current')]),
      ),
  ).toEqual([
    ['/cabinet', 'Счёт и документы', null],
    ['/cabinet/codes', 'Товары и коды', null],
    ['/cabinet/support', 'Обращения', 'page'],
    ['/cabinet/company', 'Компания', null],
  ]);
  expect(await page.getAttribute('meta[name="ncalayer-url"]', 'content')).toBe(cabinet.standIn.url);

  await signIn(page, 'ismet_client_wrong');
  await page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")');
  await signIn(page, token);
  await page.waitForSelector('#tickets-list tbody tr.empty');
  expect(await text(page, '#who')).toContain('ИП «Обувь <b>у дома</b>»');
  expect(await page.isVisible('#cabinet')).toBe(true);

  // Every field has a label; the form refuses an empty ticket in Russian.
  expect(
    await page.evaluate(
      `[...document.querySelectorAll('input, select, textarea')].filter((e) => !e.labels || !e.labels.length).map((e) => e.id)`,
    ),
  ).toEqual([]);
  await page.click('#ticket-open');
  await page.waitForSelector('#message.error:has-text("Укажите тему обращения")');

  // Opening a ticket.
  const subject = 'Не приходят коды <script>alert(1)</script>';
  const complaint = 'Заказ висит в статусе PENDING с утра.\nGTIN 04600000000017.';
  await page.fill('#ticket-subject', subject);
  await page.fill('#ticket-body', complaint);
  await page.click('#ticket-open');
  await page.waitForSelector('#message.info:has-text("Обращение зарегистрировано под номером")');
  const ticket = await eventually(ticketRow);
  cabinet.workflows.push(ticketWorkflowId(ticket.id));
  expect(ticket).toMatchObject({ subject, status: 'new', channel: 'api' });
  expect(await text(page, '#message')).toContain(ticket.number);
  const row = page.locator(`#tickets-list tbody tr[data-id="${ticket.id}"]`);
  await row.waitFor();
  expect(normal(await row.locator('.number').textContent())).toContain(ticket.number);
  expect(await row.locator('.subject').textContent()).toBe(subject);
  expect(normal(await row.locator('.status').textContent())).toBe('зарегистрировано, ожидает классификации');
  expect(normal(await row.locator('.priority').textContent())).toContain('не присвоен');
  expect(normal(await row.locator('.resolution').textContent())).toBe('после классификации');

  // The reaction deadline (line 1: 5 working minutes), recorded by the workflow, shown in Russian format with the time left.
  const reactionDueAt = (await eventually(async () => (await ticketRow()).reaction_due_at)) as Date;
  await row.locator('.reaction .left').waitFor();
  expect(normal(await row.locator('.reaction .deadline').textContent())).toBe(shownDeadline(reactionDueAt));
  expect(await row.locator('.reaction .deadline').getAttribute('datetime')).toBe(new Date(reactionDueAt).toISOString());
  expect(normal(await row.locator('.reaction .left').textContent())).toMatch(TIME_LEFT);

  // The ticket opened below the list: its facts and the client's message.
  await page.waitForSelector(`#ticket-title:has-text("${ticket.number}")`);
  expect(await text(page, '#ticket-status')).toBe('зарегистрировано, ожидает классификации');
  expect(normal(await page.textContent('#ticket-reaction .deadline'))).toBe(shownDeadline(reactionDueAt));
  const messages = page.locator('#conversation li');
  expect(await messages.count()).toBe(1);
  expect(await messages.nth(0).locator('.body').textContent()).toBe(complaint);
  expect(await messages.nth(0).locator('.author').textContent()).toBe('Вы (кабинет)');

  // The agent classifies it and asks for information: the client sees the question, the resolution clock paused.
  const handle = ctx.api.temporal.client.workflow.getHandle(ticketWorkflowId(ticket.id));
  await eventually(async () => (await handle.query(ticketStateQuery)).status === 'new');
  const staff = (path: string, body: unknown) =>
    ctx.api.request('POST', `/staff/v1/tickets/${ticket.id}/${path}`, { token: agent.token, body });
  expect((await staff('classify', { priority: 'medium' })).body).toMatchObject({
    status: 'in_progress',
    priority: 'medium',
  });
  expect((await staff('wait-for-client', { question: 'Пришлите номер заказа, пожалуйста.' })).status).toBe(200);
  await refreshPage(page);
  await page.waitForSelector('#ticket-status:has-text("ожидает вашего ответа")');
  expect(normal(await row.locator('.priority').textContent())).toContain('средний');
  expect(normal(await row.locator('.reaction').textContent())).toContain('соблюдён');
  expect(normal(await page.textContent('#ticket-resolution'))).toContain('срок приостановлен до вашего ответа');
  expect(await messages.count()).toBe(2);
  expect(normal(await messages.nth(1).textContent())).toContain('Служба поддержки');
  expect(await messages.nth(1).locator('.body').textContent()).toBe('Пришлите номер заказа, пожалуйста.');

  // The client answers: the ticket is in work again, the resolution deadline running in Russian format.
  await page.fill('#reply-text', 'Заказ 0a1b2c3d, GTIN 04600000000017.');
  await page.click('#ticket-reply');
  await page.waitForSelector('#message.info:has-text("отправлено")');
  await eventually(async () => (await ticketRow()).status === 'in_progress');
  await page.waitForSelector('#ticket-status:has-text("в работе")');
  await page.locator('#ticket-resolution .left').waitFor();
  const inWork = await ticketRow();
  expect(normal(await page.textContent('#ticket-resolution .deadline'))).toBe(shownDeadline(inWork.resolution_due_at));
  expect(normal(await page.textContent('#ticket-resolution .left'))).toMatch(TIME_LEFT);
  expect(normal(await row.locator('.resolution .deadline').textContent())).toBe(
    shownDeadline(inWork.resolution_due_at),
  );
  expect(normal(await page.textContent('#ticket-breaches'))).toBe('нет');
  expect(await messages.count()).toBe(3);

  // The agent resolves; the resolution did not help: the client says so and the ticket reopens.
  expect((await staff('resolve', { kind: 'workaround', text: 'Переотправьте заказ через кабинет.' })).body.status).toBe(
    'resolved',
  );
  await refreshPage(page);
  await page.waitForSelector('#ticket-status:has-text("решено")');
  expect(await page.isVisible('#ticket-resolved')).toBe(true);
  expect(await page.isVisible('#ticket-confirm')).toBe(true);
  expect(await page.isHidden('#ticket-reply')).toBe(true);
  expect(await messages.nth(3).locator('.body').textContent()).toBe('Переотправьте заказ через кабинет.');
  await page.click('#ticket-not-resolved');
  await page.waitForSelector('#message.error:has-text("Опишите, что осталось нерешённым")');
  await page.fill('#reply-text', 'Не помогло: заказ снова в PENDING.');
  await page.click('#ticket-not-resolved');
  await page.waitForSelector('#message.info:has-text("открыто снова")');
  await eventually(async () => (await ticketRow()).status === 'in_progress');
  await page.waitForSelector('#ticket-status:has-text("в работе")');

  // Resolved again; the client confirms and the ticket closes.
  expect((await staff('resolve', { kind: 'solution', text: 'Исправлено на стороне оператора.' })).body.status).toBe(
    'resolved',
  );
  await refreshPage(page);
  await page.waitForSelector('#ticket-status:has-text("решено")');
  expect(normal(await page.textContent('#conversation'))).toContain('Исправлено на стороне оператора.');
  await page.click('#ticket-confirm');
  await page.waitForSelector('#message.info:has-text("подтверждено")');
  await eventually(async () => (await ticketRow()).status === 'closed');
  await page.waitForSelector('#ticket-status:has-text("закрыто")');
  expect(await page.isVisible('#ticket-closed')).toBe(true);
  expect(await page.isHidden('#ticket-reply-form')).toBe(true);
  expect(normal(await row.locator('.status').textContent())).toBe('закрыто');
  expect(
    (await db('ticket_messages').where({ ticket_id: ticket.id }).orderBy('id').pluck('author')).filter(
      (a: string) => a === 'client',
    ),
  ).toHaveLength(3);

  // By keyboard: the view closes, the ticket's «Открыть» opens it again and the focus moves to its title.
  await page.click('#ticket-close');
  expect(await page.isHidden('#ticket')).toBe(true);
  await row.locator('button.open').focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#ticket:not([hidden])');
  expect(await page.evaluate('document.activeElement.id')).toBe('ticket-title');
  expect(await text(page, '#ticket-status')).toBe('закрыто');

  // A narrow screen: nothing wider than the screen.
  await page.setViewportSize({ width: 375, height: 800 });
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  expect(errors).toEqual([]);
});

test('a claim is presented signed through NCALayer with the company’s EDS; refusals are said in Russian', async () => {
  const { db } = ctx.database;
  const client = await insertClient(db, { name: 'ТОО «Претензия»' });
  const token = await clientToken(db, client.id);
  const other = await insertClient(db);
  const claims = async () => db('claims').where({ client_id: client.id }).orderBy('number');

  const { page, errors } = await browser.open(`${ctx.api.url}/cabinet/support`);
  await signIn(page, token);
  await page.waitForSelector('#claims-list tbody tr.empty');

  const fillClaim = async () => {
    await page.fill('#claim-subject', 'Просрочка эмиссии кодов');
    await page.fill('#claim-demands', 'Коды выданы через 9 часов вместо 4; требуем возместить простой линии.');
    await page.fill('#claim-amount', '1 500,50');
    await page.fill('#claim-signer', 'Директор Иванов И. И.');
  };
  await fillClaim();
  await page.setInputFiles('#claim-files', {
    name: 'Расчёт.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 расчёт ущерба'),
  });
  await page.selectOption('#claim-file-kind-0', 'damage');
  const content = {
    subject: 'Просрочка эмиссии кодов',
    demands: 'Коды выданы через 9 часов вместо 4; требуем возместить простой линии.',
    amountClaimedTiyn: 150_050,
    signerName: 'Директор Иванов И. И.',
    documents: [
      {
        kind: 'damage',
        filename: 'Расчёт.pdf',
        contentType: 'application/pdf',
        contentBase64: Buffer.from('%PDF-1.4 расчёт ущерба').toString('base64'),
      },
    ],
  };
  const document = (await ctx.api.request('POST', '/client/v1/claims/document', { token, body: content })).body;

  // Without a signature the page does not send it (it would not be considered, 9.4).
  await page.click('#claim-present');
  await page.waitForSelector('#claim-error:has-text("без ЭЦП не рассматривается")');
  expect(await claims()).toHaveLength(0);

  // Cancelled in NCALayer's window: said, nothing signed.
  cabinet.standIn.keys.sign = await cabinet.pki.signerFor(client.bin_iin, { commonName: 'ИВАНОВ ИВАН' });
  cabinet.standIn.next = 'cancel';
  await page.click('#claim-sign');
  await page.waitForSelector('#claim-error:has-text("Подписание отменено в NCALayer")');
  expect(await page.inputValue('#claim-signature')).toBe('');

  // A signature over other bytes (made elsewhere, pasted): BAD_SIGNATURE with the API's Russian reason; nothing recorded.
  const wrong = Buffer.from(await signCms(cabinet.standIn.keys.sign, Buffer.from('другой документ', 'utf8'))).toString(
    'base64',
  );
  await page.fill('#claim-signature', wrong);
  await page.click('#claim-present');
  await page.waitForSelector('#claim-error:has-text("Подпись ЭЦП не принята")');
  expect(await text(page, '#claim-error')).toContain('Подписан не тот документ');
  expect(await claims()).toHaveLength(0);
  await page.fill('#claim-signature', '');

  // Signed through NCALayer: the stand-in was given exactly the API's document; the claim is under review with its deadline.
  await page.click('#claim-sign');
  await page.waitForSelector('#claim-sign-info:has-text("Претензия подписана ЭЦП")');
  const signs = cabinet.standIn.requests.filter((r) => r.method === 'sign');
  expect([signs.at(-1)!.args!.data].flat()).toEqual([document.documentBase64]);
  expect(await text(page, '#claim-sign-info')).toContain(document.sha256);
  expect(await page.inputValue('#claim-signature')).toMatch(/^MI/);
  await page.click('#claim-present');
  await page.waitForSelector('#message.info:has-text("принята к рассмотрению")');
  const [claim] = await claims();
  cabinet.workflows.push(claimWorkflowId(claim.id));
  expect(claim).toMatchObject({ status: 'under_review', authority_basis: 'client_eds', amount_claimed: 150_050 });
  expect(Buffer.from(claim.signed_document).toString('base64')).toBe(document.documentBase64);
  const dueAt = (await eventually(async () => (await db('claims').where({ id: claim.id }).first()).due_at)) as Date;
  const claimRow = page.locator(`#claims-list tbody tr[data-id="${claim.id}"]`);
  await claimRow.locator('.due .left').waitFor();
  expect(normal(await claimRow.locator('.status').textContent())).toBe('на рассмотрении');
  expect(normal(await claimRow.locator('.due .deadline').textContent())).toBe(shownDeadline(dueAt));
  expect(normal(await claimRow.locator('.due .left').textContent())).toMatch(/^осталось \d+ дн /);
  expect(normal(await claimRow.locator('.signer').textContent())).toContain(`ИВАНОВ ИВАН, БИН ${client.bin_iin}`);
  expect(normal(await claimRow.locator('.signer').textContent())).toContain('ЭЦП организации');
  expect(normal(await claimRow.locator('.subject').textContent())).toContain('1 500,50 ₸');
  expect(normal(await claimRow.locator('.subject').textContent())).toContain('Расчёт.pdf');
  // The form is cleared for the next claim.
  expect(await page.inputValue('#claim-subject')).toBe('');
  expect(await page.locator('#claim-files-list li').count()).toBe(0);

  // Signed with another organisation's key: recorded as not presented, and the page says why.
  await fillClaim();
  cabinet.standIn.keys.sign = await cabinet.pki.signerFor(other.bin_iin);
  await page.click('#claim-sign');
  await page.waitForSelector('#claim-sign-info:has-text("Претензия подписана ЭЦП")');
  await page.click('#claim-present');
  await page.waitForSelector('#claim-error:has-text("не будет рассмотрена")');
  expect(await text(page, '#claim-error')).toContain('подписавший не подтвердил полномочия');
  const refused = (await claims())[1];
  cabinet.workflows.push(claimWorkflowId(refused.id));
  expect(refused).toMatchObject({ status: 'not_considered', not_considered_reason: 'SIGNER_NOT_AUTHORISED' });
  const refusedRow = page.locator(`#claims-list tbody tr[data-id="${refused.id}"]`);
  expect(normal(await refusedRow.locator('.status').textContent())).toBe('не рассматривается (п. 9.4)');
  expect(normal(await refusedRow.locator('.answer-cell').textContent())).toContain(
    'подписавший не подтвердил полномочия',
  );

  // Changing a field after signing through NCALayer drops the signature.
  await fillClaim();
  cabinet.standIn.keys.sign = await cabinet.pki.signerFor(client.bin_iin);
  await page.click('#claim-sign');
  await page.waitForSelector('#claim-sign-info:has-text("Претензия подписана ЭЦП")');
  await page.fill('#claim-demands', 'Коды выданы через 10 часов вместо 4; требуем возместить простой.');
  expect(await page.inputValue('#claim-signature')).toBe('');
  expect(await text(page, '#claim-sign-info')).toContain('подпишите её заново');

  // The operator answers the claim: the client reads the answer and the amount awarded, the deadline no longer running.
  const accountant = await insertStaff(db, ['accountant']);
  const answered = await ctx.api.request('POST', `/staff/v1/claims/${claim.id}/answer`, {
    token: accountant.token,
    body: {
      decision: 'partially_satisfied',
      answer: 'Простой подтверждён на 3 часа из 5.',
      amountAwardedTiyn: 1_000_00,
    },
  });
  expect(answered.status).toBe(200);
  await refreshPage(page);
  await page.waitForSelector(`#claims-list tbody tr[data-id="${claim.id}"][data-status="partially_satisfied"]`);
  expect(normal(await claimRow.locator('.status').textContent())).toBe('удовлетворена частично');
  expect(normal(await claimRow.locator('.answer-cell').textContent())).toContain('Простой подтверждён на 3 часа из 5.');
  expect(normal(await claimRow.locator('.answer-cell').textContent())).toContain('Присуждено: 1 000,00 ₸');
  expect(await claimRow.locator('.due .left').count()).toBe(0);
  expect(errors).toEqual([]);
});

test('after the contract has ended the page opens with the claims only; the day the claim concerns is asked for in Russian', async () => {
  const { db } = ctx.database;
  const client = await insertClient(db, { name: 'ТОО «Бывший клиент»' });
  const token = await clientToken(db, client.id);
  await db('clients')
    .where({ id: client.id })
    .update({ status: 'terminated', contract_ended_at: new Date(Date.now() - 3 * 86_400_000) });
  const endedOn = new Date(Date.now() - 3 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: ZONE });
  cabinet.standIn.keys.sign = await cabinet.pki.signerFor(client.bin_iin);

  const { page, errors } = await browser.open(`${ctx.api.url}/cabinet/support`);
  await signIn(page, token);
  await page.waitForSelector('#claims-list tbody tr.empty');
  expect(await text(page, '#who')).toBe('Договор прекращён');
  for (const id of ['#new-ticket', '#tickets', '#ticket']) expect(await page.isHidden(id)).toBe(true);
  expect(await page.isVisible('#claims-ended')).toBe(true);

  await page.fill('#claim-subject', 'Невозврат аванса');
  await page.fill('#claim-demands', 'Аванс не возвращён после расторжения Договора; требуем вернуть.');
  await page.fill('#claim-signer', 'Директор Петров П. П.');
  await page.click('#claim-sign');
  await page.waitForSelector('#claim-sign-info:has-text("Претензия подписана ЭЦП")');
  await page.click('#claim-present');
  await page.waitForSelector('#claim-error:has-text("укажите дату событий")');
  expect(await db('claims').where({ client_id: client.id })).toHaveLength(0);

  await page.fill('#claim-concerns', endedOn);
  expect(await page.inputValue('#claim-signature')).toBe('');
  await page.click('#claim-sign');
  await page.waitForSelector('#claim-sign-info:has-text("Претензия подписана ЭЦП")');
  await page.click('#claim-present');
  await page.waitForSelector('#message.info:has-text("принята к рассмотрению")');
  const [claim] = await db('claims').where({ client_id: client.id });
  cabinet.workflows.push(claimWorkflowId(claim.id));
  expect(claim).toMatchObject({ status: 'under_review', authority_basis: 'client_eds' });
  await page.locator(`#claims-list tbody tr[data-id="${claim.id}"] .due .deadline`).waitFor();
  expect(errors).toEqual([]);
});
