import { readCalendar } from '../../db/calendar-store';
import { clientBalance } from '../../db/ledger';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { downloaded, normal, signIn, text, today, useBrowser, ZONE } from '../helpers/browser';
import { signedClaimBody } from '../helpers/claims';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { signedInstructionBody } from '../helpers/signed';
import { fundedClient } from '../helpers/orders';

// The contracts console (terminations 4.1.1/4.3.1/10.4, amendments 10.3.2, claims 9.2-9.4,
// compensations 7.2/7.3, force majeure 8.3-8.6) and the accountants' refunds (6.11) in Chromium.

const workflows: string[] = [];
// Declared before useTestApi so that it runs while the API is still up: these workflows wait for days or years otherwise.
afterAll(async () => {
  for (const workflowId of workflows)
    await ctx.api.temporal.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
});

let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });
const browser = useBrowser();

/** As the consoles show an instant: «26.11.2026, 14:05», Astana local time. */
const whenRu = (iso: string | Date) =>
  normal(new Date(iso).toLocaleString('ru-RU', { timeZone: ZONE, dateStyle: 'short', timeStyle: 'short' }));
/** As the consoles show a local date 'YYYY-MM-DD': «26.11.2026». */
const dayRu = (date: string) => date.split('-').reverse().join('.');
/** A deadline at the end of a day is kept as the next midnight: the consoles show it as 24:00 of that day. */
const minuteBefore = (iso: string | Date) => new Date(new Date(iso).getTime() - 60_000);
const dueRu = (iso: string | Date) =>
  whenRu(iso).endsWith(' 00:00') ? `${whenRu(minuteBefore(iso)).replace(/ \d{2}:\d{2}$/, '')} 24:00` : whenRu(iso);
const calendar = async () =>
  new BusinessCalendar(await readCalendar(ctx.database.db), { ...DEFAULT_SETTINGS, zone: ZONE });

/** A fresh page on a console, signed in with the token; page errors are collected. */
async function openConsole(path: string, token: string) {
  const { page, errors } = await browser.open(`${ctx.api.url}${path}`);
  await signIn(page, token);
  await page.waitForSelector('#console:not([hidden])');
  return { page, errors };
}

test('an admin records a termination (told the earliest date first), withdraws it, and publishes a contract version', async () => {
  const { db } = ctx.database;
  const admin = await insertStaff(db, ['admin']);
  const moderator = await insertStaff(db, ['moderator']);
  // A client who joined more than a year ago and never ordered: a ground under 4.3.1 b).
  const idle = await insertClient(db, { name: 'ТОО «Спящая <b>обувь</b>»' });
  await db('clients').where({ id: idle.id }).update({ joined_on: '2024-06-03' });

  // Only admins and accountants.
  const { page, errors: pageErrors } = await browser.open(`${ctx.api.url}/console/contracts`);
  await signIn(page, 'ismet_staff_wrong');
  await page.waitForSelector('#login-error:has-text("UNAUTHENTICATED")');
  await signIn(page, moderator.token);
  await page.waitForSelector('#login-error:has-text("нужна роль admin или accountant")');
  expect(await page.isHidden('#console')).toBe(true);
  await signIn(page, admin.token);
  await page.waitForSelector('#tab-terminations.active');
  expect(await text(page, '#who')).toContain('admin');
  for (const tab of ['terminations', 'versions', 'claims', 'compensations', 'force-majeure'])
    expect(await page.isVisible(`#tab-${tab}`)).toBe(true);

  // The grounds list names the idle client (as text); "Prepare" fills the form.
  const groundRow = page.locator(`#grounds tbody tr[data-id="${idle.id}"]`);
  await groundRow.waitFor();
  const groundText = normal(await groundRow.textContent());
  expect(groundText).toContain('ТОО «Спящая <b>обувь</b>»');
  expect(groundText).toContain(idle.bin_iin);
  expect(groundText).toContain('03.06.2024');
  expect(groundText).toContain('03.06.2025');
  await groundRow.locator('button.prefill').click();
  expect(await page.inputValue('#t-client')).toBe(idle.id);
  expect(await page.inputValue('#t-initiator')).toBe('operator');
  expect(await page.inputValue('#t-basis')).toBe('4.3.1b');
  expect(await page.inputValue('#t-grounds')).toContain('п. 4.3.1');

  // Tomorrow is too early: 30 working days of notice (10.4.4); the API's earliest date is shown.
  // What the API itself answers (asked directly, refused, so nothing is recorded): the console must show that date.
  const probe = await ctx.api.request('POST', '/staff/v1/terminations', {
    token: admin.token,
    body: {
      clientId: idle.id,
      initiator: 'operator',
      basis: '4.3.1b',
      grounds: 'Проверка срока уведомления',
      terminationDate: addDaysToDate(today(), 1),
    },
  });
  expectApiError(probe, 400, 'NOTICE_PERIOD_TOO_SHORT');
  const earliest: string = probe.body.details.earliestDate;
  // 30 working days (10.4.4): more than six weeks ahead.
  expect(earliest > addDaysToDate(today(), 41)).toBe(true);
  await page.fill('#t-date', addDaysToDate(today(), 1));
  await page.click('#t-submit');
  await page.waitForSelector('#message.error:has-text("срок уведомления не соблюдён")');
  expect(await text(page, '#message')).toContain(`Самая ранняя допустимая дата: ${dayRu(earliest)}`);
  expect(await text(page, '#t-earliest .earliest-date')).toBe(dayRu(earliest));
  expect(await db('terminations').where({ client_id: idle.id })).toHaveLength(0);

  // With that date: scheduled and listed.
  await page.click('#t-earliest button.use-earliest');
  expect(await page.inputValue('#t-date')).toBe(earliest);
  await page.click('#t-submit');
  await page.waitForSelector('#message.info:has-text("запланировано")');
  const termination = await db('terminations').where({ client_id: idle.id }).first();
  workflows.push(`termination-${termination.id}`);
  expect(termination).toMatchObject({
    status: 'scheduled',
    basis: '4.3.1b',
    initiator: 'operator',
    earliest_date: earliest,
    termination_date: earliest,
    recorded_by: admin.id,
  });
  const row = page.locator(`#terminations tbody tr[data-id="${termination.id}"]`);
  await row.waitFor();
  const rowText = normal(await row.textContent());
  for (const part of [
    'ТОО «Спящая <b>обувь</b>»',
    '4.3.1b',
    'Оператор',
    whenRu(termination.notified_at),
    dayRu(earliest),
    'запланировано',
  ])
    expect(rowText).toContain(part);
  expect(await page.isHidden('#t-earliest')).toBe(true);
  // Given notice, the client is no longer offered as a ground: left out by the API, or marked by the console.
  await eventually(
    async () =>
      (await groundRow.count()) === 0 ||
      normal(await groundRow.textContent({ timeout: 1000 }).catch(() => '')).includes('расторжение уже идёт'),
  );
  expect(await groundRow.locator('button.prefill').count()).toBe(0);
  expect(await text(page, '#tab-terminations')).toContain('(1)');

  // Withdrawn: not without a reason.
  await row.locator('button.withdraw').click();
  await page.waitForSelector('#message.error:has-text("причину отмены")');
  await row.locator('input.withdraw-reason').fill('Клиент подал первую заявку');
  await row.locator('button.withdraw').click();
  await page.waitForSelector(`#terminations tbody tr[data-id="${termination.id}"] .status:has-text("отменено")`);
  await page.waitForSelector('#message.info:has-text("отменено")');
  expect(await db('terminations').where({ id: termination.id }).first()).toMatchObject({
    status: 'withdrawn',
    withdrawal_reason: 'Клиент подал первую заявку',
  });
  expect(normal(await row.textContent())).toContain('Клиент подал первую заявку');
  expect(await row.locator('button.withdraw').count()).toBe(0);
  // Withdrawn, it is offered again.
  await groundRow.locator('button.prefill').waitFor();

  // A contract version: in force 20 working days after publication at the earliest (10.3.2).
  await page.click('#tab-versions');
  await page.waitForSelector('#versions tbody tr[data-id]:has-text("2021")');
  const versionProbe = await ctx.api.request('POST', '/staff/v1/contract-versions', {
    token: admin.token,
    body: {
      version: 'probe',
      title: 'Проверка',
      summary: 'Проверка срока вступления в силу',
      reason: 'law',
      effectiveFrom: addDaysToDate(today(), 1),
    },
  });
  expectApiError(versionProbe, 400, 'NOTICE_PERIOD_TOO_SHORT');
  const versionEarliest: string = versionProbe.body.details.earliestDate;
  // 20 working days (10.3.2): four weeks ahead at least.
  expect(versionEarliest > addDaysToDate(today(), 27)).toBe(true);
  await page.fill('#v-version', '2027-1');
  await page.fill('#v-title', 'Изменения в порядке возврата аванса');
  await page.fill('#v-summary', 'Пункт 6.11 дополнен: возврат производится на счёт, указанный в заявлении.');
  await page.fill('#v-url', 'https://ismet.kz/docs/dogovor-2027-1.pdf');
  await page.selectOption('#v-reason', 'law');
  await page.fill('#v-effective', addDaysToDate(today(), 1));
  await page.click('#v-publish');
  await page.waitForSelector('#message.error:has-text("срок уведомления не соблюдён")');
  expect(await text(page, '#message')).toContain(`Самая ранняя допустимая дата: ${dayRu(versionEarliest)}`);
  expect(await text(page, '#v-earliest .earliest-date')).toBe(dayRu(versionEarliest));
  await page.click('#v-earliest button.use-earliest');
  await page.click('#v-publish');
  await page.waitForSelector('#message.info:has-text("2027-1")');
  const version = await db('contract_versions').where({ version: '2027-1' }).first();
  workflows.push(`amendment-${version.id}`);
  expect(version).toMatchObject({
    reason: 'law',
    status: 'announced',
    document_url: 'https://ismet.kz/docs/dogovor-2027-1.pdf',
    recorded_by: admin.id,
  });
  expect(new Date(version.effective_at).toISOString()).toBe(
    (await calendar()).startOfDay(versionEarliest).toISOString(),
  );
  const versionRow = page.locator(`#versions tbody tr[data-id="${version.id}"]`);
  await versionRow.waitFor();
  expect(await text(page, `#versions tbody tr[data-id="${version.id}"] .effective`)).toBe(dayRu(versionEarliest));
  const versionText = normal(await versionRow.textContent());
  for (const part of [
    '2027-1',
    'Изменения в порядке возврата аванса',
    'приведение в соответствие с законодательством',
    'объявлена',
  ])
    expect(versionText).toContain(part);
  expect(await versionRow.locator('a').getAttribute('href')).toBe('https://ismet.kz/docs/dogovor-2027-1.pdf');
  // The newest first.
  expect(await page.locator('#versions tbody tr[data-id]').first().getAttribute('data-id')).toBe(version.id);

  expect(pageErrors).toEqual([]);
  await page.close();
});

test('an accountant sees the claims by due date, downloads a document, answers a claim, and records and pays a defect act', async () => {
  const { db } = ctx.database;
  const accountant = await insertStaff(db, ['accountant']);
  const client = await fundedClient(db, 0);
  await db('clients').where({ id: client.id }).update({ name: 'ТОО «Претензионная обувь»' });
  const token = await clientToken(db, client.id);

  // A claim through the client API, signed with the company's EDS (9.4).
  const authority = Buffer.from('%PDF-1.4 Доверенность № 12 на Иванова И.И.');
  const presented = await ctx.api.request('POST', '/client/v1/claims', {
    token,
    body: await signedClaimBody(ctx.api, pki, token, client.bin_iin, {
      subject: 'Задержка эмиссии кодов',
      demands: 'Коды по заявке выданы через 9 часов вместо 4; просим возместить простой линии.',
      amountClaimedTiyn: 5_000_00,
      signerName: 'Иванов И.И.',
      documents: [
        {
          kind: 'authority',
          filename: 'доверенность.pdf',
          contentType: 'application/pdf',
          contentBase64: authority.toString('base64'),
        },
        {
          kind: 'damage',
          filename: 'расчёт.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from('Простой 5 часов').toString('base64'),
        },
      ],
    }),
  });
  expect(presented.status).toBe(201);
  expect(presented.body.status).toBe('under_review');
  const claim = presented.body;
  workflows.push(`claim-${claim.id}`);
  // A paper claim received two months ago: past its 15 working days (9.3), registered through the staff API.
  const paper = await ctx.api.request('POST', '/staff/v1/claims', {
    token: accountant.token,
    body: {
      clientId: client.id,
      channel: 'post',
      receivedAt: new Date(Date.now() - 60 * 86_400_000).toISOString(),
      subject: 'Претензия по почте',
      demands: 'Просим пересчитать акт за прошлый квартал.',
      signerName: 'Петров П.П.',
      documents: [
        {
          kind: 'authority',
          filename: 'устав.pdf',
          contentType: 'application/pdf',
          contentBase64: Buffer.from('%PDF устав').toString('base64'),
        },
      ],
    },
  });
  expect(paper.status).toBe(201);
  workflows.push(`claim-${paper.body.id}`);
  const claimDue = await eventually(async () => (await db('claims').where({ id: claim.id }).first()).due_at);
  await eventually(async () => (await db('claims').where({ id: paper.body.id }).first()).overdue_at);
  const paperDue = (await db('claims').where({ id: paper.body.id }).first()).due_at;

  // An accountant sees claims and compensations only.
  const { page, errors } = await openConsole('/console/contracts', accountant.token);
  await page.waitForSelector('#tab-claims.active');
  for (const tab of ['terminations', 'versions', 'force-majeure'])
    expect(await page.isHidden(`#tab-${tab}`)).toBe(true);
  expect(await page.isVisible('#tab-compensations')).toBe(true);

  // The overdue one first, highlighted; then the other with its due date.
  const rows = page.locator('#claims tbody tr[data-id]');
  await rows.nth(1).waitFor();
  expect(await rows.first().getAttribute('data-id')).toBe(paper.body.id);
  expect(await rows.first().getAttribute('class')).toContain('overdue');
  expect(normal(await rows.first().textContent())).toContain(dueRu(paperDue));
  expect(normal(await rows.first().locator('td.due').textContent())).toContain('срок истёк');
  const row = page.locator(`#claims tbody tr[data-id="${claim.id}"]`);
  expect(await row.getAttribute('class')).not.toContain('overdue');
  const rowText = normal(await row.textContent());
  for (const part of [
    String(claim.number),
    'ТОО «Претензионная обувь»',
    'Задержка эмиссии кодов',
    '5 000,00 ₸',
    'на рассмотрении',
    dueRu(claimDue),
  ])
    expect(rowText).toContain(part);
  expect(await text(page, '#tab-claims')).toContain('(2)');

  // The claim: its documents, downloaded with the token.
  await row.click();
  await page.waitForSelector(`#claim h2:has-text("№ ${claim.number}")`);
  expect(await page.locator('#claim-documents a.doc').count()).toBe(2);
  const file = await downloaded(page, () => page.locator('#claim-documents a.doc').first().click());
  expect(file.download.suggestedFilename()).toBe('доверенность.pdf');
  expect(file.content.equals(authority)).toBe(true);

  // The answer: not without reasons; the amount in tenge, exactly.
  await page.click('#c-answer');
  await page.waitForSelector('#message.error:has-text("обоснование")');
  await page.selectOption('#c-decision', 'partially_satisfied');
  await page.fill('#c-answer-text', 'Задержка подтверждена журналом СУЗ; простой возмещается частично.');
  await page.fill('#c-amount', '1 234,5');
  await page.click('#c-answer');
  await page.waitForSelector('#message.info:has-text("Ответ на претензию")');
  expect(await text(page, '#claim-status')).toBe('удовлетворена частично');
  expect(await text(page, '#claim-awarded')).toBe('1 234,50 ₸');
  expect(await db('claims').where({ id: claim.id }).first()).toMatchObject({
    status: 'partially_satisfied',
    amount_awarded: 123_450,
    answered_by: accountant.id,
  });
  await page.waitForSelector(`#claims tbody tr[data-id="${claim.id}"]:has-text("удовлетворена частично")`);
  expect(await page.locator('#c-answer').count()).toBe(0);

  // A defect act (7.2) recorded in the console: due within 5 working days, paid from the console.
  await page.click('#tab-compensations');
  await page.selectOption('#m-basis', 'defect_act');
  expect(await page.isDisabled('#m-payto')).toBe(true);
  await page.fill('#m-client', client.id);
  await page.fill('#m-description', 'Дефектный акт № 3: 10 кодов не прошли проверку.');
  await page.fill('#m-amount', '25,755');
  await page.click('#m-submit');
  await page.waitForSelector('#message.error:has-text("двух знаков")');
  await page.fill('#m-amount', '25,75');
  await page.click('#m-submit');
  await page.waitForSelector('#message.info:has-text("Компенсация записана")');
  const compensation = await db('compensations').where({ client_id: client.id }).first();
  workflows.push(`compensation-${compensation.id}`);
  expect(compensation).toMatchObject({
    basis: 'defect_act',
    amount_claimed: 2575,
    pay_to: 'account',
    status: 'pending',
    recorded_by: accountant.id,
  });
  const compensationDue = await eventually(
    async () => (await db('compensations').where({ id: compensation.id }).first()).due_at,
  );
  const compensationRow = page.locator(`#compensations tbody tr[data-id="${compensation.id}"]`);
  await page.waitForSelector(
    `#compensations tbody tr[data-id="${compensation.id}"] td.due:has-text("${dueRu(compensationDue)}")`,
  );
  const compensationText = normal(await compensationRow.textContent());
  for (const part of [
    'ТОО «Претензионная обувь»',
    'дефектный акт (п. 7.2)',
    '25,75 ₸',
    'лицевой счёт',
    'ожидает решения',
    'отказ не допускается',
  ])
    expect(compensationText).toContain(part);
  expect(await compensationRow.locator('button.refuse').count()).toBe(0);
  expect(await compensationRow.locator('input.pay-amount').inputValue()).toBe('25,75');
  await compensationRow.locator('button.pay').click();
  await page.waitForSelector('#message.info:has-text("выплачена")');
  await page.waitForSelector(`#compensations tbody tr[data-id="${compensation.id}"] .status:has-text("выплачена")`);
  expect(await db('compensations').where({ id: compensation.id }).first()).toMatchObject({
    status: 'paid',
    amount_paid: 2575,
    decided_by: accountant.id,
  });
  expect((await clientBalance(db, client.id)).available).toBe(2575);

  expect(errors).toEqual([]);
  await page.close();
});

test('an admin records a force-majeure event: the notice due date, the missing notice and the 30-day flag are shown; then it is ended', async () => {
  const { db } = ctx.database;
  const admin = await insertStaff(db, ['admin']);
  const { page, errors } = await openConsole('/console/contracts', admin.token);
  await page.click('#tab-force-majeure');
  await page.waitForSelector('#force-majeure tbody tr.empty');

  // Started 40 days ago at 09:00 Astana time, no notice recorded, still going on; only the joining deadlines stand still.
  const startDay = addDaysToDate(today(), -40);
  await page.fill('#f-started', `${startDay}T09:00`);
  await page.check('#f-processes input[value="onboarding"]');
  await page.fill('#f-description', 'Наводнение: ЦОД оператора обесточен');
  await page.fill('#f-evidence', 'Справка ТПП РК № 77');
  await page.click('#f-submit');
  await page.waitForSelector('#message.info:has-text("записан")');
  const event = await db('force_majeure_events').first();
  expect(new Date(event.started_at).toISOString()).toBe(new Date(`${startDay}T09:00:00+05:00`).toISOString());
  expect(event).toMatchObject({ processes: ['onboarding'], ended_at: null, notified_at: null, recorded_by: admin.id });
  const listed = (await ctx.api.request('GET', '/staff/v1/force-majeure', { token: admin.token })).body.events[0];
  expect(listed.noticeDueAt).toBe((await calendar()).addWorkingDays(event.started_at, 5).toISOString());
  expect(listed.terminationMayBeAgreed).toBe(true);

  const row = page.locator(`#force-majeure tbody tr[data-id="${event.id}"]`);
  await row.waitFor();
  expect(await text(page, `#force-majeure tbody tr[data-id="${event.id}"] td.notice-due`)).toContain(
    dueRu(listed.noticeDueAt),
  );
  expect(await row.locator('.notice-missing').count()).toBe(1);
  // Not noticed within 5 working days and not recorded as well known: the operator cannot rely on it (8.3).
  expect(await row.locator('.not-relied').count()).toBe(1);
  expect(listed).toMatchObject({ wellKnown: false, reliedOn: false });
  expect(await row.locator('.may-terminate-flag').textContent()).toBe(
    '30 суток: Стороны могут согласовать расторжение (п. 8.6)',
  );
  expect(await row.getAttribute('class')).toContain('notice-late');
  expect(await row.getAttribute('class')).toContain('may-terminate');
  const rowText = normal(await row.textContent());
  for (const part of [
    whenRu(`${startDay}T09:00:00+05:00`),
    'продолжается',
    'рассмотрение заявлений о присоединении (п. 10.5)',
    'Наводнение',
    'Справка ТПП РК № 77',
  ])
    expect(rowText).toContain(part);
  expect(await text(page, '#tab-force-majeure')).toContain('(продолжается: 1)');

  // A short one, notified in time and over already: no flags.
  const shortDay = addDaysToDate(today(), -3);
  await page.fill('#f-started', `${shortDay}T10:00`);
  await page.fill('#f-ended', `${shortDay}T16:00`);
  await page.fill('#f-notified', `${shortDay}T12:30`);
  await page.check('#f-processes input[value="onboarding"]');
  await page.fill('#f-description', 'Отключение электроэнергии');
  await page.click('#f-submit');
  await page.waitForSelector('#force-majeure tbody tr[data-id] >> nth=1');
  const short = await db('force_majeure_events').whereNot({ id: event.id }).first();
  const shortRow = page.locator(`#force-majeure tbody tr[data-id="${short.id}"]`);
  expect(new Date(short.notified_at).toISOString()).toBe(new Date(`${shortDay}T12:30:00+05:00`).toISOString());
  expect(await shortRow.getAttribute('class')).toBe('');
  expect(await shortRow.locator('.flag').count()).toBe(0);
  expect(normal(await shortRow.textContent())).toContain(whenRu(`${shortDay}T12:30:00+05:00`));
  expect(await shortRow.locator('button.end').count()).toBe(0);
  expect(await shortRow.locator('button.notify').count()).toBe(0);

  // The long one: the clients are told now (late), once.
  const client = await insertClient(db);
  page.once('dialog', (dialog) => void dialog.accept());
  await row.locator('button.notify').click();
  await page.waitForSelector('#message.info:has-text("Уведомление направляется")');
  await row.locator('.late:has-text("направлено с опозданием")').waitFor();
  expect(await row.locator('button.notify').count()).toBe(0);
  expect((await db('force_majeure_events').where({ id: event.id }).first()).notified_at).not.toBeNull();
  const mail = await ctx.smtp.waitFor(
    (m) =>
      (m.to as { text: string } | undefined)?.text === client.email &&
      (m.subject ?? '').startsWith('Уведомление о действии обстоятельств непреодолимой силы'),
  );
  expect(mail.text).toContain('Наводнение: ЦОД оператора обесточен');

  // The long one ends now.
  await row.locator('button.end').click();
  await page.waitForSelector('#message.info:has-text("Событие завершено")');
  await page.waitForSelector(`#force-majeure tbody tr[data-id="${event.id}"] td.ended:not(:has-text("продолжается"))`);
  expect((await db('force_majeure_events').where({ id: event.id }).first()).ended_at).not.toBeNull();
  expect(await row.locator('button.end').count()).toBe(0);
  expect(await row.locator('.may-terminate-flag').count()).toBe(1);

  expect(errors).toEqual([]);
  await page.close();
});

test('the accounting console: a pending refund with its due date may not be refused and is paid whole (6.11)', async () => {
  const { db } = ctx.database;
  const accountant = await insertStaff(db, ['accountant']);
  const client = await fundedClient(db, 1_000_00);
  await db('clients')
    .where({ id: client.id })
    .update({ name: 'ТОО «Возврат»', details: { iik: 'KZ86125KZT5004100100' } });
  const token = await clientToken(db, client.id);
  const asked = await ctx.api.request('POST', '/client/v1/refunds', {
    token,
    body: await signedInstructionBody(ctx.api, pki, token, client.bin_iin, 'refund', { note: 'Прекращаем импорт' }),
  });
  expect(asked.status).toBe(201);
  workflows.push(`refund-${asked.body.id}`);
  const dueAt = await eventually(async () => (await db('refund_requests').where({ id: asked.body.id }).first()).due_at);

  const { page, errors } = await openConsole('/console/accounting', accountant.token);
  await page.click('#tab-refunds');
  expect(await page.isVisible('#refunds')).toBe(true);
  expect(await page.isHidden('#acts')).toBe(true);
  const row = page.locator(`#refunds tbody tr[data-id="${asked.body.id}"]`);
  await page.waitForSelector(`#refunds tbody tr[data-id="${asked.body.id}"] td.due:has-text("${dueRu(dueAt)}")`);
  expect(await row.getAttribute('class')).not.toContain('overdue');
  const rowText = normal(await row.textContent());
  for (const part of [
    'ТОО «Возврат»',
    'по заявлению (п. 6.11)',
    'весь остаток',
    '1 000,00 ₸',
    'KZ86125KZT5004100100',
    'Отказ не допускается',
    'будет отклонена',
  ])
    expect(rowText).toContain(part);
  expect(await text(page, '#tab-refunds')).toContain('(1)');

  // The refusal is refused by the system: no debt, no order in progress (6.11).
  await row.locator('input.refuse-reason').fill('Клиент не представил документы');
  await row.locator('button.refuse').click();
  await page.waitForSelector('#message.error:has-text("REFUSAL_NOT_ALLOWED")');
  expect((await db('refund_requests').where({ id: asked.body.id }).first()).status).toBe('pending');

  // 6.11 returns the whole unused advance: the console asks for no bank fee, and the whole 1 000,00 ₸ goes to the client.
  expect(await row.locator('input.fee').count()).toBe(0);
  expect(normal(await row.locator('td.outcome').textContent())).toContain(
    'весь неиспользованный аванс, без удержаний (п. 6.11)',
  );
  await row.locator('button.pay').click();
  await page.waitForSelector('#message.info:has-text("выплачен")');
  expect(await db('refund_requests').where({ id: asked.body.id }).first()).toMatchObject({
    status: 'paid',
    clause: '6.11',
    bank_fee: 0,
    paid_amount: 1_000_00,
    decided_by: accountant.id,
  });
  await page.waitForSelector(`#refunds tbody tr[data-id="${asked.body.id}"] td.outcome:has-text("выплачен")`);
  expect(normal(await row.locator('td.outcome').textContent())).toContain('клиенту перечислено 1 000,00 ₸');
  expect(await row.locator('button.pay').count()).toBe(0);
  expect((await clientBalance(db, client.id)).available).toBe(0);

  expect(errors).toEqual([]);
  await page.close();
});
