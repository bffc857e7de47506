import type { AddressObject, ParsedMail } from 'mailparser';
import { DateTime } from 'luxon';
import { readCalendar } from '../../db/calendar-store';
import { clientBalance } from '../../db/ledger';
import { addDaysToDate, BusinessCalendar, DEFAULT_SETTINGS } from '../../lib/calendar';
import type { TerminationBasis } from '../../lib/termination';
import { lastDayToUse } from '../../lib/one-year';
import { clientLifecycle, clientStateQuery, clientWorkflowId } from '../../workflows/client-lifecycle';
import {
  contractTermination,
  ContractTerminationState,
  terminationWorkflowId,
} from '../../workflows/contract-termination';
import { refundStateQuery, refundWorkflowId } from '../../workflows/refund-request';
import { eventually, expectApiError, useTestApi } from '../helpers/api';
import { clientToken, insertClient, insertStaff } from '../helpers/fixtures';
import { createTestPki, TestPki } from '../helpers/joining';
import { fundedClient, line, placeOrder } from '../helpers/orders';
import { signedInstructionBody } from '../helpers/signed';

// The contract's life through the API on the Temporal dev server, PostgreSQL and a real SMTP
// receiver: notices of termination (4.1.1, 4.3.1, 10.4), the end of the contract with the
// refund of the unused balance (4.1.2, 10.4), amendments (4.3.5, 10.3.2), the one-year rule's
// date in the cabinet (3.7) and the operator's ground of no order within a year (4.3.1 b).
// The client's notice is its EDS-signed document (test/integration/signed-instructions.test.ts).
let pki: TestPki;
const ctx = useTestApi({ eds: async () => (pki = await createTestPki()).verifier });

const ZONE = 'Asia/Almaty';
const calendar = async () =>
  new BusinessCalendar(await readCalendar(ctx.database.db), { ...DEFAULT_SETTINGS, zone: ZONE });
const today = (c: BusinessCalendar) => c.localDate(new Date());
/** The same day and month `years` later; 29 February becomes 28 February in a common year. */
const sameDayYearsLater = (date: string, years: number) => DateTime.fromISO(date).plus({ years }).toISODate()!;
/** The local date of the `n`-th working day after `date`, counted one day at a time. */
const nthWorkingDayAfter = (c: BusinessCalendar, date: string, n: number) => {
  let day = date;
  for (let counted = 0; counted < n;) {
    day = addDaysToDate(day, 1);
    if (c.isWorkingDay(day)) counted++;
  }
  return day;
};
/** 'YYYY-MM-DD' as the Russian texts write it. */
const ru = (date: string) => date.split('-').reverse().join('.');
const to = (address: string) => (m: ParsedMail) => (m.to as AddressObject | undefined)?.text === address;
const mailTo = (address: string, subject: (s: string) => boolean) =>
  ctx.smtp.waitFor((m) => to(address)(m) && subject(m.subject ?? ''));

test('the client gives notice (4.1.1, 10.4.4): too early a date names the earliest one; that date is accepted and acknowledged by e-mail; a second notice is refused; the cabinet shows it', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const token = await clientToken(db, client.id);
  const c = await calendar();

  const before = await ctx.api.request('GET', '/client/v1/contract', { token });
  expect(before.status).toBe(200);
  expect(before.body).toMatchObject({
    inForce: { version: '2021', status: 'in_force', reason: 'original' },
    termination: null,
    unusedAdvance: null,
    endedAt: null,
  });

  const notice = { basis: '4.1.1', grounds: 'Прекращаем производство обуви, подключение к ИС МПТ не требуется' };
  const early = await ctx.api.request('POST', '/client/v1/termination', {
    token,
    body: { ...notice, terminationDate: addDaysToDate(today(c), 1) },
  });
  expectApiError(early, 400, 'NOTICE_PERIOD_TOO_SHORT');
  const earliest: string = early.body.details.earliestDate;
  // 30 working days of notice (10.4.4): the contract ends after the 30th working day at the earliest.
  expect(earliest > nthWorkingDayAfter(c, today(c), 30)).toBe(true);
  expect(early.body.message).toContain(earliest);
  expectApiError(
    await ctx.api.request('POST', '/client/v1/termination', {
      token,
      body: { ...notice, terminationDate: addDaysToDate(earliest, -1) },
    }),
    400,
    'NOTICE_PERIOD_TOO_SHORT',
  );
  expectApiError(
    await ctx.api.request('POST', '/client/v1/termination', {
      token,
      body: { ...notice, basis: '4.3.1b', terminationDate: earliest },
    }),
    400,
    'VALIDATION_FAILED',
  );

  expectApiError(
    await ctx.api.request('POST', '/client/v1/termination', { token, body: { ...notice, terminationDate: earliest } }),
    422,
    'SIGNATURE_REQUIRED',
  );
  const given = await ctx.api.request('POST', '/client/v1/termination', {
    token,
    body: await signedInstructionBody(ctx.api, pki, token, client.bin_iin, 'termination', {
      ...notice,
      terminationDate: earliest,
    }),
  });
  expect(given.status).toBe(201);
  expect(given.body).toMatchObject({
    clientId: client.id,
    initiator: 'client',
    basis: '4.1.1',
    status: 'scheduled',
    terminationDate: earliest,
    earliestDate: earliest,
    grounds: notice.grounds,
    withdrawnAt: null,
  });
  expect(Date.now() - Date.parse(given.body.notifiedAt)).toBeLessThan(60_000);
  const mail = await mailTo(client.email, (s) => s.startsWith('Ваше уведомление о расторжении'));
  expect(mail.subject).toBe(`Ваше уведомление о расторжении Договора с ${ru(earliest)} получено`);
  expect(mail.text).toContain(notice.grounds);
  expect(mail.text).toContain('п. 4.1.1');

  expectApiError(
    await ctx.api.request('POST', '/client/v1/termination', {
      token,
      body: { ...notice, terminationDate: addDaysToDate(earliest, 10) },
    }),
    409,
    'TERMINATION_PENDING',
  );
  expect(await db('terminations').where({ client_id: client.id })).toHaveLength(1);

  // Money paid on 2 January 2026 and not used: the year runs to 2 January 2027, a Saturday and
  // a holiday; 4 January is the holiday moved from it: returned unless used by Tuesday 5 January (3.7).
  await db('bank_payments').insert({
    source_key: `test:${client.id}`,
    source: 'manual',
    document_number: '17',
    document_date: '2026-01-02',
    received_on: '2026-01-02',
    amount: 500_00,
    payer_name: client.name,
    payer_bin_iin: client.bin_iin,
    purpose: 'Аванс за коды маркировки',
    status: 'credited',
    client_id: client.id,
  });
  const cabinet = await ctx.api.request('GET', '/client/v1/contract', { token });
  expect(cabinet.status).toBe(200);
  expect(cabinet.body).toMatchObject({
    inForce: { version: '2021' },
    termination: { id: given.body.id, status: 'scheduled', terminationDate: earliest, basis: '4.1.1' },
    unusedAdvance: { paidOn: '2026-01-02', returnedIfUnusedBy: '2027-01-05' },
    endedAt: null,
  });

  const staff = await insertStaff(db, ['moderator']);
  const list = (await ctx.api.request('GET', '/staff/v1/terminations', { token: staff.token })).body.terminations;
  expect(list.find((t: { id: string }) => t.id === given.body.id)).toMatchObject({
    clientName: client.name,
    bin: client.bin_iin,
    status: 'scheduled',
  });
});

test('a notice of 30 working days (10.4.4) ends the contract on the day after the 30th working day at the earliest', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const c = await calendar();
  const early = await ctx.api.request('POST', '/client/v1/termination', {
    token: await clientToken(db, client.id),
    body: { basis: '10.4.2', grounds: 'Неоднократное нарушение сроков эмиссии', terminationDate: today(c) },
  });
  expectApiError(early, 400, 'NOTICE_PERIOD_TOO_SHORT');
  // As for a tariff (6.1): the 30 working days run from the day after the notice and end at 24:00 of the 30th.
  expect(early.body.details).toEqual({ earliestDate: addDaysToDate(nthWorkingDayAfter(c, today(c), 30), 1) });
});

test('a one-year deadline that ends on a working day stays on that day', async () => {
  const db = ctx.database.db;
  const client = await insertClient(db);
  const token = await clientToken(db, client.id);
  for (const [n, day] of [
    ['1', '2026-02-10'],
    ['2', '2026-03-02'],
  ]) {
    await db('bank_payments').insert({
      source_key: `t:${client.id}:${n}`,
      source: 'manual',
      document_number: n,
      document_date: day,
      received_on: day,
      amount: 100_00,
      payer_name: client.name,
      purpose: 'Аванс',
      status: 'credited',
      client_id: client.id,
    });
  }
  // The first unused payment counts: 10 February 2027 is a Wednesday.
  expect((await ctx.api.request('GET', '/client/v1/contract', { token })).body.unusedAdvance).toEqual({
    paidOn: '2026-02-10',
    returnedIfUnusedBy: '2027-02-10',
  });
});

test('staff record terminations (4.3.1, 10.4.3): the ground must fit the initiator; by agreement the period may be shortened; a termination is withdrawn once, with an e-mail', async () => {
  const db = ctx.database.db;
  const admin = await insertStaff(db, ['admin']);
  const accountant = await insertStaff(db, ['accountant']);
  const c = await calendar();
  const client = await insertClient(db);
  // Joined two years ago, never ordered: the ground 4.3.1 b) holds on the record.
  await db('clients')
    .where({ id: client.id })
    .update({ joined_on: addDaysToDate(today(c), -730) });
  const grounds = 'Клиент не подал ни одной Заявки в течение года с даты заключения Договора';
  const record = (body: Record<string, unknown>, token = admin.token) =>
    ctx.api.request('POST', '/staff/v1/terminations', { token, body: { clientId: client.id, grounds, ...body } });

  const probe = await record({ initiator: 'operator', basis: '4.3.1b', terminationDate: today(c) });
  expectApiError(probe, 400, 'NOTICE_PERIOD_TOO_SHORT');
  const earliest: string = probe.body.details.earliestDate;
  expectApiError(
    await record({ initiator: 'operator', basis: '4.1.1', terminationDate: earliest }),
    400,
    'BASIS_NOT_FOR_INITIATOR',
  );
  expectApiError(
    await record({ initiator: 'client', basis: '4.3.1b', terminationDate: earliest }),
    400,
    'BASIS_NOT_FOR_INITIATOR',
  );
  expectApiError(
    await record({ initiator: 'operator', basis: '4.3.1b', terminationDate: earliest, periodShortened: true }),
    400,
    'PERIOD_NOT_SHORTENABLE',
  );
  // 10.4.4: the operator's notice is the one the system sends; staff do not date it.
  expectApiError(
    await record({
      initiator: 'operator',
      basis: '4.3.1b',
      terminationDate: earliest,
      notifiedAt: new Date(Date.now() - 40 * 86_400_000).toISOString(),
    }),
    400,
    'NOTICE_SENT_BY_SYSTEM',
  );
  expectApiError(
    await record({
      initiator: 'client',
      basis: '10.4.2',
      terminationDate: earliest,
      notifiedAt: new Date(Date.now() + 3_600_000).toISOString(),
    }),
    400,
    'NOTICE_IN_FUTURE',
  );
  // 4.3.1 b) is checked against the client's record: a contract in its first year, or one with an order in it, does not qualify.
  const young = await insertClient(db);
  await db('clients')
    .where({ id: young.id })
    .update({ joined_on: addDaysToDate(today(c), -100) });
  const youngRefused = await record({
    clientId: young.id,
    initiator: 'operator',
    basis: '4.3.1b',
    terminationDate: earliest,
  });
  expectApiError(youngRefused, 409, 'GROUNDS_NOT_MET');
  const ordered = await fundedClient(db, 0);
  await db('clients')
    .where({ id: ordered.id })
    .update({ joined_on: addDaysToDate(today(c), -730) });
  await placeOrder(db, ordered, [line(ordered.gtins[0], 1)], new Date(Date.now() - 700 * 86_400_000));
  expectApiError(
    await record({ clientId: ordered.id, initiator: 'operator', basis: '4.3.1b', terminationDate: earliest }),
    409,
    'GROUNDS_NOT_MET',
  );
  expectApiError(
    await record({ initiator: 'operator', basis: '4.3.1b', terminationDate: earliest }, accountant.token),
    403,
    'FORBIDDEN',
  );
  expectApiError(
    await record({
      initiator: 'operator',
      basis: '4.3.1b',
      terminationDate: earliest,
      clientId: '00000000-0000-4000-8000-000000000000',
    }),
    404,
    'NOT_FOUND',
  );

  const byOperator = await record({
    initiator: 'operator',
    basis: '4.3.1b',
    terminationDate: earliest,
    evidence: 'Выписка из журнала Заявок',
  });
  expect(byOperator.status).toBe(201);
  expect(byOperator.body).toMatchObject({
    clientId: client.id,
    clientName: client.name,
    bin: client.bin_iin,
    initiator: 'operator',
    basis: '4.3.1b',
    status: 'scheduled',
    terminationDate: earliest,
    evidence: 'Выписка из журнала Заявок',
  });
  expect(await db('terminations').where({ id: byOperator.body.id }).first('recorded_by')).toEqual({
    recorded_by: admin.id,
  });
  const operatorNotice = await mailTo(
    client.email,
    (s) => s === `Уведомление о расторжении Договора с ${ru(earliest)}`,
  );
  expect(operatorNotice.text).toContain('пп. b) п. 4.3.1');
  expect(operatorNotice.text).toContain('Выписка из журнала Заявок');

  const withdraw = (id: string, reason = 'Клиент подал Заявку') =>
    ctx.api.request('POST', `/staff/v1/terminations/${id}/withdraw`, { token: admin.token, body: { reason } });
  const withdrawn = await withdraw(byOperator.body.id);
  expect(withdrawn.status).toBe(200);
  expect(withdrawn.body).toMatchObject({
    id: byOperator.body.id,
    status: 'withdrawn',
    withdrawalReason: 'Клиент подал Заявку',
  });
  expect(withdrawn.body.withdrawnAt).toEqual(expect.any(String));
  const withdrawal = await mailTo(client.email, (s) => s === `Расторжение Договора с ${ru(earliest)} отменено`);
  expect(withdrawal.text).toContain('Клиент подал Заявку');
  expectApiError(await withdraw(byOperator.body.id), 409, 'TERMINATION_NOT_SCHEDULED');
  expectApiError(await withdraw('00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');

  // By agreement (10.4.3) with a shorter period: tomorrow; the withdrawn one no longer blocks it.
  const tomorrow = addDaysToDate(today(c), 1);
  const agreed = await record({
    initiator: 'client',
    basis: '10.4.3',
    grounds: 'Соглашение сторон о расторжении от сегодняшнего дня',
    terminationDate: tomorrow,
    periodShortened: true,
  });
  expect(agreed.status).toBe(201);
  expect(agreed.body).toMatchObject({
    basis: '10.4.3',
    initiator: 'client',
    status: 'scheduled',
    terminationDate: tomorrow,
    earliestDate: tomorrow,
  });
  // Without the shortening, letters 30 calendar days ahead (10.4.3).
  const other = await insertClient(db);
  const unshortened = await ctx.api.request('POST', '/staff/v1/terminations', {
    token: admin.token,
    body: {
      clientId: other.id,
      initiator: 'operator',
      basis: '10.4.3',
      grounds: 'Соглашение сторон о расторжении',
      terminationDate: tomorrow,
    },
  });
  expectApiError(unshortened, 400, 'NOTICE_PERIOD_TOO_SHORT');
  expect(unshortened.body.details.earliestDate).toBe(addDaysToDate(today(c), 30));
  // A paper notice received weeks ago still may not end the contract on a day already past.
  const late = await ctx.api.request('POST', '/staff/v1/terminations', {
    token: admin.token,
    body: {
      clientId: other.id,
      initiator: 'client',
      basis: '10.4.3',
      grounds: 'Письмо клиента о расторжении',
      notifiedAt: new Date(Date.now() - 60 * 86_400_000).toISOString(),
      terminationDate: addDaysToDate(today(c), -1),
    },
  });
  expectApiError(late, 400, 'TERMINATION_DATE_PAST');
  expect(await db('terminations').where({ client_id: other.id })).toHaveLength(0);

  const list = (await ctx.api.request('GET', '/staff/v1/terminations', { token: accountant.token })).body.terminations;
  const mine = list.filter((t: { clientId: string }) => t.clientId === client.id);
  expect(mine.map((t: { id: string; status: string }) => [t.id, t.status])).toEqual([
    [agreed.body.id, 'scheduled'],
    [byOperator.body.id, 'withdrawn'],
  ]);
});

/** A funded client (700,00 ₸, a bank account on file) whose contract ends today on a recorded termination, its workflow started. */
async function endingToday(initiator: 'client' | 'operator', basis: TerminationBasis, grounds: string) {
  const db = ctx.database.db;
  const client = await fundedClient(db, 700_00);
  await db('clients')
    .where({ id: client.id })
    .update({ details: { iik: 'KZ75125KZT2069100100' } });
  const accountant = await insertStaff(db, ['accountant']);
  const date = today(await calendar());
  const [termination] = await db('terminations')
    .insert({
      client_id: client.id,
      initiator,
      basis,
      grounds,
      notified_at: new Date(Date.now() - 50 * 86_400_000),
      earliest_date: date,
      termination_date: date,
    })
    .returning('*');
  const handle = await ctx.api.temporal.client.workflow.start(contractTermination, {
    taskQueue: ctx.api.taskQueue,
    workflowId: terminationWorkflowId(termination.id),
    args: [{ terminationId: termination.id, clientId: client.id, initiator, basis, terminationDate: date }],
  });
  return { client, accountant, date, termination, handle };
}

test("4.1.2: the client ended the contract for the operator's breach (10.4.2) — the unused advance and the client's documented bank fees are paid", async () => {
  const db = ctx.database.db;
  const { client, accountant } = await endingToday('client', '10.4.2', 'Неоднократная задержка эмиссии');
  const refund = await eventually(async () => db('refund_requests').where({ client_id: client.id }).first());
  await eventually(
    async () =>
      (
        await ctx.api.temporal.client.workflow
          .getHandle(refundWorkflowId(refund.id))
          .query(refundStateQuery)
          .catch(() => undefined)
      )?.dueAt,
  );
  const pay = (body: object) =>
    ctx.api.request('POST', `/staff/v1/refunds/${refund.id}/pay`, { token: accountant.token, body });
  expectApiError(await pay({ bankFeeTiyn: 1_00 }), 400, 'BANK_FEE_NOT_ALLOWED');
  expectApiError(await pay({ clientBankFeesTiyn: 25_00 }), 400, 'CLIENT_FEES_UNDOCUMENTED');
  const paid = await pay({
    clientBankFeesTiyn: 25_00,
    clientBankFeesDocument: 'Выписка банка клиента № 17 от 01.12.2026',
  });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({
    status: 'paid',
    clause: '4.1.2',
    paidTiyn: 700_00,
    bankFeeTiyn: 0,
    clientBankFeesTiyn: 25_00,
    availableTiyn: 0,
  });
  // The fees are the operator's money, not the client's balance: a payout booked under 4.1.2.
  const reimbursed = await db('ledger_transactions')
    .where({ idempotency_key: `refund:${refund.id}:client-bank-fees` })
    .first('kind', 'clause', 'memo');
  expect(reimbursed).toMatchObject({
    kind: 'compensation_payout',
    clause: '4.1.2',
    memo: expect.stringContaining('№ 17'),
  });
  const mail = await mailTo(client.email, (s) => s.startsWith('Возврат неиспользованного аванса'));
  expect(mail.subject).toContain('725,00');
  expect(mail.text).toContain('4.1.2');
  expect((await ctx.api.request('GET', '/staff/v1/ledger/check', { token: accountant.token })).body.ok).toBe(true);
});

test('on the date (10.4): no new orders; the unused balance is refunded by an accountant, never refused; then access ends and the account closes, with an e-mail', async () => {
  const db = ctx.database.db;
  // By agreement (10.4.3): the letters were exchanged 50 days ago — an operator's notice would count from
  // the e-mail its workflow sends now (10.4.4), which the date-moving test of the workflows covers.
  const { client, accountant, date, termination, handle } = await endingToday(
    'client',
    '10.4.3',
    'Соглашение о расторжении от 14.10.2026',
  );

  const refund = await eventually(async () => db('refund_requests').where({ client_id: client.id }).first());
  expect(refund).toMatchObject({
    kind: 'termination',
    status: 'pending',
    termination_id: termination.id,
    iik: 'KZ75125KZT2069100100',
    amount_requested: null,
  });
  expect(await db('terminations').where({ id: termination.id }).first('status')).toEqual({ status: 'settling' });
  await expect(placeOrder(db, client, [line(client.gtins[0], 5)])).rejects.toMatchObject({
    code: 'CONTRACT_TERMINATING',
    status: 409,
  });
  expect(await db('orders').where({ client_id: client.id })).toHaveLength(0);
  const token = await clientToken(db, client.id);
  const cabinet = (await ctx.api.request('GET', '/client/v1/contract', { token })).body;
  expect(cabinet.termination).toMatchObject({ id: termination.id, status: 'settling' });

  // The refund is recorded a moment before its workflow starts: asked then, the accountant is told to retry.
  await eventually(
    async () =>
      (
        await ctx.api.temporal.client.workflow
          .getHandle(refundWorkflowId(refund.id))
          .query(refundStateQuery)
          .catch(() => undefined)
      )?.dueAt,
  );
  const desk = (
    await ctx.api.request('GET', '/staff/v1/refunds?status=pending', { token: accountant.token })
  ).body.refunds.find((r: { id: string }) => r.id === refund.id);
  expect(desk).toMatchObject({ kind: 'termination', availableTiyn: 700_00, clientName: client.name });
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${refund.id}/refuse`, {
      token: accountant.token,
      body: { reason: 'Не хотим возвращать' },
    }),
    409,
    'REFUSAL_NOT_ALLOWED',
  );
  expect(await db('clients').where({ id: client.id }).first('status')).toEqual({ status: 'active' });

  // 10.4: the whole unused advance — only 3.7 deducts the operator's bank costs.
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${refund.id}/pay`, {
      token: accountant.token,
      body: { bankFeeTiyn: 120_00 },
    }),
    400,
    'BANK_FEE_NOT_ALLOWED',
  );
  const paid = await ctx.api.request('POST', `/staff/v1/refunds/${refund.id}/pay`, {
    token: accountant.token,
    body: {},
  });
  expect(paid.status).toBe(200);
  expect(paid.body).toMatchObject({
    status: 'paid',
    clause: '10.4',
    paidTiyn: 700_00,
    bankFeeTiyn: 0,
    availableTiyn: 0,
  });
  const refundMail = await mailTo(client.email, (s) => s.startsWith('Возврат неиспользованного аванса'));
  expect(refundMail.subject).toContain('700,00');

  const ended = await mailTo(client.email, (s) => s.startsWith('Договор прекратил действие'));
  expect(ended.subject).toBe('Договор прекратил действие, лицевой счёт закрыт');
  expect(ended.text).toContain(`Договор прекратил действие ${ru(date)}`);
  const result: ContractTerminationState = await handle.result();
  expect(result).toMatchObject({ status: 'terminated', refund: 'paid', openObligations: [] });
  expect(await db('clients').where({ id: client.id }).first('status', 'contract_end_reason')).toEqual({
    status: 'terminated',
    contract_end_reason: expect.stringContaining('п. 10.4.3'),
  });
  expect(await db('personal_accounts').where({ client_id: client.id }).first('status')).toEqual({ status: 'closed' });
  const finished = await db('terminations').where({ id: termination.id }).first();
  expect(finished.status).toBe('terminated');
  expect(new Date(finished.access_ended_at).getTime()).toBe(Date.parse(result.endedAt!));
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 0, reserved: 0, totalRefunded: 700_00 });
  // The contract has ended: the client's token no longer opens the cabinet, and staff can schedule nothing more.
  expectApiError(await ctx.api.request('GET', '/client/v1/contract', { token }), 403, 'CONTRACT_ENDED');
  // …except to present and read claims about the contract's time (9.2-9.4).
  expect((await ctx.api.request('GET', '/client/v1/claims', { token })).status).toBe(200);
  const admin = await insertStaff(db, ['admin']);
  expectApiError(
    await ctx.api.request('POST', '/staff/v1/terminations', {
      token: admin.token,
      body: {
        clientId: client.id,
        initiator: 'operator',
        basis: '10.4.3',
        grounds: 'Повторное расторжение',
        terminationDate: addDaysToDate(date, 1),
        periodShortened: true,
      },
    }),
    409,
    'CONTRACT_ENDED',
  );
});

test('a refund the contract opened a moment before its workflow: the accountant is told to retry, not that it was decided', async () => {
  const db = ctx.database.db;
  const client = await fundedClient(db, 100_00);
  const accountant = await insertStaff(db, ['accountant']);
  const [opening] = await db('refund_requests')
    .insert({ client_id: client.id, kind: 'termination', requested_at: new Date() })
    .returning('*');
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${opening.id}/pay`, {
      token: accountant.token,
      body: { bankFeeTiyn: 0 },
    }),
    409,
    'REFUND_NOT_READY',
  );
  await db('refund_requests')
    .where({ id: opening.id })
    .update({ status: 'refused', decided_at: new Date(), decision_reason: 'тест' });
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${opening.id}/pay`, {
      token: accountant.token,
      body: { bankFeeTiyn: 0 },
    }),
    409,
    'REFUND_DECIDED',
  );
  expectApiError(
    await ctx.api.request('POST', `/staff/v1/refunds/${opening.id}/refuse`, {
      token: accountant.token,
      body: { reason: 'Повторный отказ' },
    }),
    409,
    'REFUND_DECIDED',
  );
  expect((await clientBalance(db, client.id)).available).toBe(100_00);
});

test('the date comes with nothing on the account: no refund is opened and the contract ends at once', async () => {
  const db = ctx.database.db;
  const c = await calendar();
  const client = await fundedClient(db, 0);
  const date = today(c);
  const [termination] = await db('terminations')
    .insert({
      client_id: client.id,
      initiator: 'client',
      basis: '4.1.1',
      grounds: 'Уведомление клиента на бумаге',
      notified_at: new Date(Date.now() - 50 * 86_400_000),
      earliest_date: date,
      termination_date: date,
    })
    .returning('*');
  const handle = await ctx.api.temporal.client.workflow.start(contractTermination, {
    taskQueue: ctx.api.taskQueue,
    workflowId: terminationWorkflowId(termination.id),
    args: [
      {
        terminationId: termination.id,
        clientId: client.id,
        initiator: 'client',
        basis: '4.1.1',
        terminationDate: date,
      },
    ],
  });
  expect(await handle.result()).toMatchObject({ status: 'terminated', refund: 'nothing_to_refund' });
  expect(await db('refund_requests').where({ client_id: client.id })).toHaveLength(0);
  expect(await db('clients').where({ id: client.id }).first('status')).toEqual({ status: 'terminated' });
  await mailTo(client.email, (s) => s.startsWith('Договор прекратил действие'));
});

test('amendments (4.3.5, 10.3.2): in force 20 working days after publication at the earliest; every client with a contract is told in the cabinet and by e-mail; anyone may read them', async () => {
  const db = ctx.database.db;
  const admin = await insertStaff(db, ['admin']);
  const support = await insertStaff(db, ['support']);
  const c = await calendar();
  const [a, b] = [await insertClient(db), await insertClient(db)];
  const ended = await insertClient(db);
  await db('clients')
    .where({ id: ended.id })
    .update({
      status: 'terminated',
      contract_ended_at: new Date(Date.now() - 86_400_000),
      contract_end_reason: 'тест',
    });
  const body = {
    version: '2027-01',
    title: 'Изменение порядка возврата аванса',
    summary: 'Возврат аванса производится в течение 10 рабочих дней.',
    reason: 'services',
    documentUrl: 'https://ismet.kz/contract/2027-01',
  };
  const publish = (extra: Record<string, unknown> = {}, token = admin.token) =>
    ctx.api.request('POST', '/staff/v1/contract-versions', { token, body: { ...body, ...extra } });

  // 20 working days run from the day after publication; the new text applies once they have run (10.3.2).
  const twentieth = nthWorkingDayAfter(c, today(c), 20);
  const earliest = addDaysToDate(twentieth, 1);
  const early = await publish({ effectiveFrom: twentieth });
  expectApiError(early, 400, 'NOTICE_PERIOD_TOO_SHORT');
  expect(early.body.details).toEqual({ earliestDate: earliest });
  expectApiError(await publish({}, support.token), 403, 'FORBIDDEN');

  const published = await publish();
  expect(published.status).toBe(201);
  expect(published.body).toMatchObject({
    version: '2027-01',
    status: 'announced',
    reason: 'services',
    documentUrl: body.documentUrl,
  });
  // The start of the earliest day in Astana: 00:00 UTC+5.
  expect(published.body.effectiveAt).toBe(new Date(`${earliest}T00:00:00+05:00`).toISOString());
  expect(await db('contract_versions').where({ id: published.body.id }).first('recorded_by')).toEqual({
    recorded_by: admin.id,
  });

  const subject = `Изменения в Договор вступают в силу ${ru(earliest)}`;
  for (const client of [a, b]) {
    const mail = await mailTo(client.email, (s) => s === subject);
    expect(mail.text).toContain('редакция 2027-01 «Изменение порядка возврата аванса»');
    expect(mail.text).toContain(body.summary);
    expect(mail.text).toContain(body.documentUrl);
  }
  const topic = `amendment:${published.body.id}`;
  const active = await db('clients')
    .whereIn('status', ['active', 'suspended'])
    .whereNull('contract_ended_at')
    .pluck('id');
  await eventually(async () => (await db('notices').where({ topic, status: 'sent' })).length === active.length);
  const notified = await db('notices').where({ topic }).pluck('client_id');
  expect([...notified].sort()).toEqual([...active].sort());
  expect(notified).toEqual(expect.arrayContaining([a.id, b.id]));
  expect(notified).not.toContain(ended.id);
  const staffView = await eventually(async () => {
    const v = (
      await ctx.api.request('GET', '/staff/v1/contract-versions', { token: support.token })
    ).body.versions.find((x: { id: string }) => x.id === published.body.id);
    return v?.clientsNotified === active.length && v;
  });
  expect(staffView.status).toBe('announced');

  // A later version announced too: the cabinet lists both, nearest first; the version in force stays.
  const later = addDaysToDate(earliest, 40);
  const second = await publish({
    version: '2027-02',
    title: 'Изменение реквизитов оператора',
    reason: 'law',
    effectiveFrom: later,
  });
  expect(second.status).toBe(201);
  expect(second.body.effectiveAt).toBe(new Date(`${later}T00:00:00+05:00`).toISOString());
  const cabinet = (await ctx.api.request('GET', '/client/v1/contract', { token: await clientToken(db, a.id) })).body;
  expect(cabinet.inForce.version).toBe('2021');
  expect(cabinet.upcoming.map((v: { version: string }) => v.version)).toEqual(['2027-01', '2027-02']);
  expect(cabinet.upcoming[0]).toMatchObject({
    id: published.body.id,
    effectiveAt: published.body.effectiveAt,
    summary: body.summary,
  });

  const open = await ctx.api.request('GET', '/v1/contract-versions');
  expect(open.status).toBe(200);
  expect(open.body.versions.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual([
    ['2027-02', 'announced'],
    ['2027-01', 'announced'],
    ['2021', 'in_force'],
  ]);

  expectApiError(await publish({ effectiveFrom: addDaysToDate(earliest, 5) }), 409, 'VERSION_EXISTS');
  // Two publications of one version at once: one is published, the other refused (not a 500).
  const racing = await Promise.all([publish({ version: '2027-03' }), publish({ version: '2027-03' })]);
  expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
  expect(racing.find((r) => r.status === 409)!.body.code).toBe('VERSION_EXISTS');
  expect(await db('contract_versions').where({ version: '2027-03' })).toHaveLength(1);
});

test('the operator’s ground 4.3.1 b): clients more than a year past joining without an order', async () => {
  const db = ctx.database.db;
  const staff = await insertStaff(db, ['support']);
  const c = await calendar();
  const yearAndMore = addDaysToDate(today(c), -400);
  const idle = await insertClient(db);
  const ordered = await fundedClient(db, 0);
  const recent = await insertClient(db);
  const ended = await insertClient(db);
  const exactlyAYear = await insertClient(db);
  await db('clients')
    .whereIn('id', [idle.id, ordered.id, ended.id])
    .update({ joined_on: yearAndMore, effective_from: addDaysToDate(yearAndMore, 1) });
  await db('clients').where({ id: ended.id }).update({ status: 'terminated', contract_ended_at: new Date() });
  await db('clients')
    .where({ id: recent.id })
    .update({ joined_on: addDaysToDate(today(c), -100) });
  // Joined a year ago today (the same day and month: Civil Code art. 176): the year has not yet run out.
  await db('clients')
    .where({ id: exactlyAYear.id })
    .update({ joined_on: sameDayYearsLater(today(c), -1) });
  await placeOrder(db, ordered, [line(ordered.gtins[0], 1)]);

  const response = await ctx.api.request('GET', '/staff/v1/termination-grounds', { token: staff.token });
  expect(response.status).toBe(200);
  const listed = response.body.clients as Array<{ clientId: string }>;
  expect(listed.find((x) => x.clientId === idle.id)).toEqual({
    clientId: idle.id,
    name: idle.name,
    bin: idle.bin_iin,
    joinedOn: yearAndMore,
    yearEndedOn: sameDayYearsLater(yearAndMore, 1),
  });
  for (const id of [ordered.id, recent.id, ended.id, exactlyAYear.id])
    expect(listed.map((x) => x.clientId)).not.toContain(id);
});

test('the lifecycle hears of a payment and of a download at once: the one-year date (3.7) appears, then goes', async () => {
  const db = ctx.database.db;
  const accountant = await insertStaff(db, ['accountant']);
  const client = await fundedClient(db, 1_000_000_00);
  const c = await calendar();
  await db('clients')
    .where({ id: client.id })
    .update({ joined_on: addDaysToDate(today(c), -10), effective_from: addDaysToDate(today(c), -9) });
  const handle = await ctx.api.temporal.client.workflow.start(clientLifecycle, {
    taskQueue: ctx.api.taskQueue,
    workflowId: clientWorkflowId(client.id),
    args: [{ clientId: client.id, effectiveFrom: addDaysToDate(today(c), -9) }],
  });
  try {
    const state = () => handle.query(clientStateQuery);
    await eventually(async () => (await state()).status === 'active');
    expect((await state()).oneYearDueAt).toBeUndefined();

    const paidOn = today(c);
    const payment = await ctx.api.request('POST', '/staff/v1/payments', {
      token: accountant.token,
      body: {
        documentNumber: '51',
        documentDate: paidOn,
        amountTiyn: 10_000_00,
        payerName: client.name,
        purpose: `Пополнение лицевого счёта ${client.accountNumber}`,
      },
    });
    expect(payment.body).toMatchObject({ status: 'credited' });
    // Well before the lifecycle's own look every 30 days.
    const dated = await eventually(async () => {
      const s = await state();
      return s.unusedAdvanceSince === paidOn && s;
    }, 10_000);
    expect(dated.oneYearDueAt).toBe(lastDayToUse(c, paidOn));

    const token = await clientToken(db, client.id);
    const gtin = client.gtins[0];
    const order = await ctx.api.request('POST', `/api/v2/shoes/orders?omsId=${client.oms_id}`, {
      headers: { clientToken: token },
      body: {
        contactPerson: 'Тест',
        releaseMethodType: 'IMPORT',
        createMethodType: 'SELF_MADE',
        products: [{ gtin, quantity: 2, serialNumberType: 'OPERATOR', templateId: 1, cisType: 'UNIT' }],
      },
    });
    expect(order.status).toBe(200);
    await eventually(
      async () => (await db('orders').where({ id: order.body.orderId }).first()).status === 'READY',
      60_000,
    );
    const block = await ctx.api.request(
      'GET',
      `/api/v2/shoes/codes?omsId=${client.oms_id}&orderId=${order.body.orderId}&gtin=${gtin}&quantity=1&lastBlockId=0`,
      { headers: { clientToken: token } },
    );
    expect(block.status).toBe(200);
    // Charged today: the advance is used, no date runs.
    await eventually(async () => {
      const s = await state();
      return s.unusedAdvanceSince === undefined && s.oneYearDueAt === undefined;
    }, 10_000);
  } finally {
    await handle.terminate('test over').catch(() => undefined);
  }
}, 120_000);

test('force majeure hitting the operator (8.3): every client with a contract is told once what happened, what it prevents and the evidence', async () => {
  const db = ctx.database.db;
  const [admin, support] = [await insertStaff(db, ['admin']), await insertStaff(db, ['support'])];
  const [alpha, beta, ended] = [await insertClient(db), await insertClient(db), await insertClient(db)];
  await db('clients').where({ id: ended.id }).update({ status: 'terminated', contract_ended_at: new Date() });
  const event = await ctx.api.request('POST', '/staff/v1/force-majeure', {
    token: admin.token,
    body: {
      startedAt: '2026-11-02T08:00:00+05:00',
      endedAt: '2026-11-03T20:00:00+05:00',
      processes: ['emission', 'refunds'],
      description: 'Пожар в центре обработки данных',
      evidence: 'Справка ДЧС г. Астаны № 15-4/112',
    },
  });
  expect(event.status).toBe(201);
  expect(event.body.notifiedAt).toBeNull();
  try {
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/force-majeure/${event.body.id}/notify`, { token: support.token }),
      403,
      'FORBIDDEN',
    );
    const notified = await ctx.api.request('POST', `/staff/v1/force-majeure/${event.body.id}/notify`, {
      token: admin.token,
    });
    expect(notified.status).toBe(200);
    expect(notified.body.notifiedAt).not.toBeNull();
    expectApiError(
      await ctx.api.request('POST', `/staff/v1/force-majeure/${event.body.id}/notify`, { token: admin.token }),
      409,
      'ALREADY_NOTIFIED',
    );
    expectApiError(
      await ctx.api.request('POST', '/staff/v1/force-majeure/00000000-0000-4000-8000-000000000000/notify', {
        token: admin.token,
      }),
      404,
      'NOT_FOUND',
    );

    const subject = (s: string) => s === 'Уведомление о действии обстоятельств непреодолимой силы с 02.11.2026';
    for (const client of [alpha, beta]) {
      const mail = await mailTo(client.email, subject);
      expect(mail.text).toContain('с 02.11.2026 по 03.11.2026');
      expect(mail.text).toContain('Пожар в центре обработки данных');
      expect(mail.text).toContain('эмиссия кодов маркировки в течение 4 часов (п. 4.4.4)');
      expect(mail.text).toContain('возврат денег с лицевого счёта (пп. 3.7, 6.11)');
      expect(mail.text).toContain('Справка ДЧС г. Астаны № 15-4/112');
    }
    const notices = await db('notices')
      .where({ topic: `force-majeure:${event.body.id}` })
      .whereIn('client_id', [alpha.id, beta.id, ended.id]);
    expect(notices.map((n) => n.client_id).sort()).toEqual([alpha.id, beta.id].sort());
  } finally {
    await db('force_majeure_events').where({ id: event.body.id }).del();
  }
}, 60_000);
