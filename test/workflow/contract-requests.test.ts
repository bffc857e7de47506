import { readCalendar } from '../../db/calendar-store';
import { clientBalance, release, reserve } from '../../db/ledger';
import { BusinessCalendar } from '../../lib/calendar';
import { generateKey } from '../../lib/codes';
import { earliestTerminationDate } from '../../lib/termination';
import { answerClaimUpdate, claim, claimStateQuery } from '../../workflows/claim';
import { clientLifecycle, clientWorkflowId } from '../../workflows/client-lifecycle';
import { compensation, compensationStateQuery, payCompensationUpdate } from '../../workflows/compensation';
import { contractTermination, terminationStateQuery } from '../../workflows/contract-termination';
import {
  approveRefundUpdate,
  refundRequest,
  refundStateQuery,
  refundWorkflowId,
  refuseRefundUpdate,
} from '../../workflows/refund-request';
import { calendarChangedSignal } from '../../workflows/shared/deadline';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { insertStaff } from '../helpers/fixtures';
import { fundedClient, line, placeOrder } from '../helpers/orders';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { eventually } from '../helpers/eventually';
import { workerPerTest } from '../helpers/time-skipping';

// The contract's requests on the time-skipping server with the real calendar of 2026-2027:
// a termination's notice across the December and January holidays, settling and refund; a
// claim's 15 working days extended by force majeure; a defect act credited by the system at
// its 5th working day; a refund overdue after 15 calendar days, whose refusal the system refuses.
const key = generateKey('CR01');
let database: TestDatabase;
let smtp: SmtpReceiver;
let accountant: { id: string };
const TASK_QUEUE = 'contract-request-tests';

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
  accountant = await insertStaff(database.db, ['accountant']);
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});
beforeEach(async () => {
  // Force majeure recorded by one test would move the deadlines of the next.
  await database.db('force_majeure_events').del();
});
// A server of its own per test: its clock only moves forward.
const server = workerPerTest(TASK_QUEUE, () => ({
  db: database.db,
  smtpUrl: smtp.url,
  codeKeys: { current: key, byId: new Map([[key.id, key]]) },
}));
const { sleepUntil } = server;
const until = <T>(check: () => Promise<T | undefined | false | null>) => eventually(check, 30_000);

const iso = (local: string) => new Date(local).toISOString();

const startCompensation = (clientId: string, row: Record<string, any>) =>
  server.env.client.workflow.start(compensation, {
    taskQueue: TASK_QUEUE,
    workflowId: `compensation-${row.id}`,
    args: [
      {
        compensationId: row.id,
        clientId,
        basis: row.basis,
        eventAt: new Date(row.event_at).toISOString(),
        amountTiyn: Number(row.amount_claimed),
      },
    ],
  });

async function clientWithMoney(tiyn: number) {
  const client = await fundedClient(database.db, tiyn);
  await database
    .db('clients')
    .where({ id: client.id })
    .update({ joined_on: '2026-11-01', effective_from: '2026-11-02', details: { iik: 'KZ86125KZT5004100100' } });
  return client;
}

test('termination on notice of 1 December 2026: 30 working days skip 16 December and the January holidays; on 19 January no new orders, access ends once the reservation is settled and the balance refunded', async () => {
  const db = database.db;
  const client = await clientWithMoney(2_000_00);
  const calendar = new BusinessCalendar(await readCalendar(db));
  const notifiedAt = '2026-12-01T10:00:00+05:00';
  // From 2 December: the 30th working day is Monday 18 January (16 Dec, 1, 4 and 7 Jan off).
  const date = earliestTerminationDate(calendar, { basis: '4.3.1a', notifiedAt });
  expect(date).toBe('2027-01-19');

  await sleepUntil(notifiedAt);
  const lifecycle = await server.env.client.workflow.start(clientLifecycle, {
    taskQueue: TASK_QUEUE,
    workflowId: clientWorkflowId(client.id),
    args: [{ clientId: client.id, effectiveFrom: '2026-11-02' }],
  });
  const [row] = await db('terminations')
    .insert({
      client_id: client.id,
      initiator: 'operator',
      basis: '4.3.1a',
      grounds: 'Повторное нарушение сроков нанесения кодов',
      notified_at: notifiedAt,
      earliest_date: date,
      termination_date: date,
    })
    .returning('*');
  const handle = await server.env.client.workflow.start(contractTermination, {
    taskQueue: TASK_QUEUE,
    workflowId: `termination-${row.id}`,
    args: [
      { terminationId: row.id, clientId: client.id, initiator: 'operator', basis: '4.3.1a', terminationDate: date },
    ],
  });
  const notice = await smtp.waitFor((m) => m.subject === 'Уведомление о расторжении Договора с 19.01.2027');
  expect(notice.text).toContain('неоднократное нарушение Клиентом существенных условий');
  expect(notice.text).toContain('Повторное нарушение сроков нанесения кодов');

  // An order emitted on the eve, not yet downloaded: its reservation is open.
  await sleepUntil('2027-01-18T12:00:00+05:00');
  const order = await placeOrder(db, client, [line(client.gtins[0], 10)]);
  await reserve(db, {
    idempotencyKey: `reserve:${order.orderId}`,
    clientId: client.id,
    orderRef: order.orderId,
    codes: 10,
    priceDate: '2027-01-18',
  });
  await sleepUntil('2027-01-18T23:59:00+05:00');
  expect((await handle.query(terminationStateQuery)).status).toBe('scheduled');

  await sleepUntil('2027-01-19T00:01:00+05:00');
  const settling = await until(async () => {
    const s = await handle.query(terminationStateQuery);
    return s.status === 'settling' && s.openObligations.length ? s : undefined;
  });
  expect(settling.openObligations).toEqual(['1 open reservation(s) of emitted codes']);
  expect((await db('terminations').where({ id: row.id }).first()).status).toBe('settling');
  await sleepUntil('2027-01-21T12:00:00+05:00');
  expect((await handle.query(terminationStateQuery)).status).toBe('settling');

  await release(db, { idempotencyKey: `release:${order.orderId}`, orderRef: order.orderId });
  await sleepUntil('2027-01-22T12:00:00+05:00');
  const refund = await until(async () =>
    db('refund_requests').where({ client_id: client.id, kind: 'termination' }).first(),
  );
  expect(refund).toMatchObject({ status: 'pending', termination_id: row.id });
  await until(async () => (await handle.query(terminationStateQuery)).status === 'refunding');
  await until(async () =>
    server.env.client.workflow
      .getHandle(refundWorkflowId(refund.id))
      .describe()
      .catch(() => undefined),
  );
  // 10.4: the whole unused advance — a bank fee is deducted only under 3.7.
  await expect(
    server.env.client.workflow
      .getHandle(refundWorkflowId(refund.id))
      .executeUpdate(approveRefundUpdate, { args: [{ staffId: accountant.id, bankFeeTiyn: 100_00 }] }),
  ).rejects.toThrow();
  await server.env.client.workflow
    .getHandle(refundWorkflowId(refund.id))
    .executeUpdate(approveRefundUpdate, { args: [{ staffId: accountant.id }] });

  const result = await handle.result();
  expect(result).toMatchObject({ status: 'terminated', refund: 'paid' });
  expect(await db('clients').where({ id: client.id }).first()).toMatchObject({
    status: 'terminated',
    contract_end_reason: expect.stringContaining('4.3.1'),
  });
  expect((await db('personal_accounts').where({ client_id: client.id }).first()).status).toBe('closed');
  expect(await clientBalance(db, client.id)).toMatchObject({ available: 0, reserved: 0 });
  expect((await db('terminations').where({ id: row.id }).first()).status).toBe('terminated');
  expect(await lifecycle.result()).toMatchObject({ status: 'ended', endReason: '4.3.1a: terminated' });
  await smtp.waitFor((m) => m.subject === 'Договор прекратил действие, лицевой счёт закрыт');
}, 180_000);

test('10.4.4: the operator’s notice counts from its delivery — a mailbox refusing it for two days moves the date so the 30 working days run in full', async () => {
  const db = database.db;
  const client = await clientWithMoney(1_000_00);
  const calendar = new BusinessCalendar(await readCalendar(db));
  const notifiedAt = '2026-12-01T10:00:00+05:00';
  const date = earliestTerminationDate(calendar, { basis: '4.3.1a', notifiedAt });
  await sleepUntil(notifiedAt);
  smtp.setRefusal(client.email, { code: 451, message: 'mailbox temporarily unavailable' });
  const [row] = await db('terminations')
    .insert({
      client_id: client.id,
      initiator: 'operator',
      basis: '4.3.1a',
      grounds: 'Повторное нарушение сроков',
      notified_at: notifiedAt,
      earliest_date: date,
      termination_date: date,
    })
    .returning('*');
  const handle = await server.env.client.workflow.start(contractTermination, {
    taskQueue: TASK_QUEUE,
    workflowId: `termination-${row.id}`,
    args: [
      { terminationId: row.id, clientId: client.id, initiator: 'operator', basis: '4.3.1a', terminationDate: date },
    ],
  });
  await sleepUntil('2026-12-03T10:00:00+05:00');
  expect((await handle.query(terminationStateQuery)).terminationDate).toBe(date);
  smtp.setRefusal(client.email, null);
  await sleepUntil('2026-12-03T12:00:00+05:00');
  await smtp.waitFor(
    (m) => m.subject === `Уведомление о расторжении Договора с ${date.split('-').reverse().join('.')}`,
  );
  const moved = await until(async () => {
    const s = await handle.query(terminationStateQuery);
    return s.terminationDate !== date ? s : undefined;
  });
  const stored = await db('terminations').where({ id: row.id }).first();
  // Delivered on 3 December (Thursday): the 30 working days run from then, not from the 1st.
  expect(calendar.localDate(stored.notified_at)).toBe('2026-12-03');
  expect(moved.terminationDate).toBe(
    earliestTerminationDate(calendar, { basis: '4.3.1a', notifiedAt: stored.notified_at }),
  );
  expect(moved.terminationDate > date).toBe(true);
  expect(stored).toMatchObject({
    termination_date: moved.terminationDate,
    earliest_date: moved.terminationDate,
    status: 'scheduled',
  });
  const told = await smtp.waitFor(
    (m) =>
      m.subject === `Дата расторжения Договора перенесена на ${moved.terminationDate.split('-').reverse().join('.')}`,
  );
  expect(told.text).toContain('п. 10.4.4');
  await handle.terminate('test over');
}, 180_000);

test('a claim received 1 December is due by the end of 23 December; force majeure over 7-8 December moves it to the 25th; an ongoing one suspends it; answered late it is recorded overdue', async () => {
  const db = database.db;
  const client = await clientWithMoney(0);
  await sleepUntil('2026-12-01T10:00:00+05:00');
  const [row] = await db('claims')
    .insert({
      client_id: client.id,
      channel: 'email',
      received_at: '2026-12-01T10:00:00+05:00',
      subject: 'Просрочка эмиссии',
      demands: 'Возместить ущерб от простоя линии',
      signer_name: 'Иванов И.И.',
      status: 'under_review',
    })
    .returning('*');
  const handle = await server.env.client.workflow.start(claim, {
    taskQueue: TASK_QUEUE,
    workflowId: `claim-${row.id}`,
    args: [
      {
        claimId: row.id,
        clientId: client.id,
        number: Number(row.number),
        receivedAt: iso('2026-12-01T10:00:00+05:00'),
        considered: true,
      },
    ],
  });
  const due = async (expected: string) =>
    until(async () => (await handle.query(claimStateQuery)).dueAt === iso(expected));
  await due('2026-12-24T00:00:00+05:00');
  await smtp.waitFor(
    (m) =>
      m.subject === `Претензия № ${row.number} принята к рассмотрению` && (m.text?.includes('23.12.2026') ?? false),
  );

  // The operator noticed each event on its first day (8.3): it may rely on them.
  await db('force_majeure_events').insert({
    started_at: '2026-12-07T10:00:00+05:00',
    ended_at: '2026-12-08T15:00:00+05:00',
    notified_at: '2026-12-07T12:00:00+05:00',
    processes: ['claims'],
    description: 'Отключение электроэнергии',
  });
  await handle.signal(calendarChangedSignal);
  await due('2026-12-26T00:00:00+05:00');
  expect(new Date((await db('claims').where({ id: row.id }).first()).due_at).toISOString()).toBe(
    iso('2026-12-26T00:00:00+05:00'),
  );

  // Another event, still going on: the deadline stands still until its end is recorded.
  const [ongoing] = await db('force_majeure_events')
    .insert({
      started_at: '2026-12-10T09:00:00+05:00',
      notified_at: '2026-12-10T11:00:00+05:00',
      processes: ['all'],
      description: 'Наводнение',
    })
    .returning('id');
  await handle.signal(calendarChangedSignal);
  await until(async () => (await handle.query(claimStateQuery)).suspendedSince);
  await sleepUntil('2026-12-28T12:00:00+05:00');
  expect((await handle.query(claimStateQuery)).overdue).toBe(false);
  // It ended on 14 December at 18:00: 10, 11 and 14 December do not count either → the 30th.
  await db('force_majeure_events').where({ id: ongoing.id }).update({ ended_at: '2026-12-14T18:00:00+05:00' });
  await handle.signal(calendarChangedSignal);
  await due('2026-12-31T00:00:00+05:00');
  await sleepUntil('2026-12-31T00:01:00+05:00');
  await until(async () => (await handle.query(claimStateQuery)).overdue);
  expect((await db('claims').where({ id: row.id }).first()).overdue_at).not.toBeNull();

  await expect(
    handle.executeUpdate(answerClaimUpdate, { args: [{ decision: 'refused', answer: ' ', staffId: accountant.id }] }),
  ).rejects.toThrow();
  const answered = await handle.executeUpdate(answerClaimUpdate, {
    args: [
      {
        decision: 'partially_satisfied',
        answer: 'Признаём простой 2 часа',
        amountAwardedTiyn: 5_000_00,
        staffId: accountant.id,
      },
    ],
  });
  expect(answered.status).toBe('partially_satisfied');
  expect(await db('claims').where({ id: row.id }).first()).toMatchObject({
    status: 'partially_satisfied',
    amount_awarded: 5_000_00,
    answer: 'Признаём простой 2 часа',
  });
  await smtp.waitFor((m) => m.subject === `Ответ на претензию № ${row.number}: удовлетворена частично`);
  await handle.result();
}, 180_000);

// Each compensation on a server of its own: once a workflow has ended with a notice's child
// workflow still running (abandoned, as it should be), the Java test server stops skipping time.
test('a defect act signed Monday 14 December is credited by the system at the end of its 5th working day (16 December off) when no accountant did', async () => {
  const db = database.db;
  const client = await clientWithMoney(0);
  await sleepUntil('2026-12-14T12:00:00+05:00');
  const [defect] = await db('compensations')
    .insert({
      client_id: client.id,
      basis: 'defect_act',
      description: '40 кодов с нечитаемым DataMatrix',
      event_at: '2026-12-14T12:00:00+05:00',
      amount_claimed: 124_35,
      pay_to: 'account',
    })
    .returning('*');
  const handle = await startCompensation(client.id, defect);
  // 15, 17, 18, 21, 22 December → due at the end of the 22nd.
  await until(async () => (await handle.query(compensationStateQuery)).dueAt === iso('2026-12-23T00:00:00+05:00'));
  await expect(
    handle.executeUpdate(payCompensationUpdate, { args: [{ amountTiyn: 100_00, staffId: accountant.id }] }),
  ).rejects.toMatchObject({ cause: { message: expect.stringContaining('the amount it states (7.2)') } });

  await sleepUntil('2026-12-22T23:59:00+05:00');
  expect((await handle.query(compensationStateQuery)).status).toBe('pending');
  expect((await clientBalance(db, client.id)).available).toBe(0);
  // The result is awaited (time skips to the deadline) rather than slept past: see above.
  expect(await handle.result()).toMatchObject({ status: 'paid', amountPaidTiyn: 124_35, paidBy: 'system' });
  const decidedAt = new Date((await db('compensations').where({ id: defect.id }).first()).decided_at).getTime();
  expect(decidedAt - Date.parse('2026-12-23T00:00:00+05:00')).toBeGreaterThanOrEqual(0);
  expect(decidedAt - Date.parse('2026-12-23T00:00:00+05:00')).toBeLessThan(60_000);
  expect((await clientBalance(db, client.id)).available).toBe(124_35);
  const booked = await db('ledger_transactions')
    .where({ id: (await db('compensations').where({ id: defect.id }).first()).ledger_transaction_id })
    .first();
  expect(booked).toMatchObject({ clause: '7.2' });
  await smtp.waitFor((m) => m.subject === 'Компенсация 124,35\u00a0₸');
}, 180_000);

test('a late-service demand received Monday 14 December is due by the end of 29 December (10 working days); unpaid it is overdue, then paid to the bank, at most what was demanded', async () => {
  const db = database.db;
  const client = await clientWithMoney(0);
  await sleepUntil('2026-12-14T12:00:00+05:00');
  const [late] = await db('compensations')
    .insert({
      client_id: client.id,
      basis: 'late_service',
      description: 'Простой из-за просрочки эмиссии',
      event_at: '2026-12-14T12:00:00+05:00',
      amount_claimed: 10_000_00,
      pay_to: 'bank',
    })
    .returning('*');
  const handle = await startCompensation(client.id, late);
  await until(async () => (await handle.query(compensationStateQuery)).dueAt === iso('2026-12-30T00:00:00+05:00'));

  await sleepUntil('2026-12-29T23:59:00+05:00');
  expect((await handle.query(compensationStateQuery)).overdue).toBe(false);
  await sleepUntil('2026-12-30T00:01:00+05:00');
  await until(async () => (await handle.query(compensationStateQuery)).overdue);
  expect((await db('compensations').where({ id: late.id }).first()).overdue_at).not.toBeNull();
  await expect(
    handle.executeUpdate(payCompensationUpdate, { args: [{ amountTiyn: 10_000_01, staffId: accountant.id }] }),
  ).rejects.toThrow();
  const paid = await handle.executeUpdate(payCompensationUpdate, {
    args: [{ amountTiyn: 7_500_00, staffId: accountant.id }],
  });
  expect(paid).toMatchObject({ status: 'paid', amountPaidTiyn: 7_500_00, paidBy: 'accountant' });
  const booked = await db('ledger_transactions')
    .where({ id: (await db('compensations').where({ id: late.id }).first()).ledger_transaction_id })
    .first();
  expect(booked).toMatchObject({ kind: 'compensation_payout', clause: '7.3' });
  // Paid to the bank: the personal account does not change.
  expect((await clientBalance(db, client.id)).available).toBe(0);
  expect(await handle.result()).toMatchObject({ status: 'paid', overdue: true });
}, 180_000);

test('a refund asked for on 1 December is due by the end of 17 December (the 16th is a holiday); a refusal without grounds is refused by the system; past the deadline it is overdue, then paid', async () => {
  const db = database.db;
  const client = await clientWithMoney(3_000_00);
  await sleepUntil('2026-12-01T10:00:00+05:00');
  const [row] = await db('refund_requests')
    .insert({
      client_id: client.id,
      kind: 'request',
      requested_at: '2026-12-01T10:00:00+05:00',
      iik: 'KZ86125KZT5004100100',
    })
    .returning('*');
  const handle = await server.env.client.workflow.start(refundRequest, {
    taskQueue: TASK_QUEUE,
    workflowId: refundWorkflowId(row.id),
    args: [{ refundId: row.id, clientId: client.id, requestedAt: iso('2026-12-01T10:00:00+05:00'), kind: 'request' }],
  });
  await until(async () => (await handle.query(refundStateQuery)).dueAt === iso('2026-12-18T00:00:00+05:00'));

  await expect(
    handle.executeUpdate(refuseRefundUpdate, { args: [{ staffId: accountant.id, reason: 'Не хотим возвращать' }] }),
  ).rejects.toMatchObject({
    cause: { cause: { type: 'REFUSAL_NOT_ALLOWED' } },
  });
  expect((await handle.query(refundStateQuery)).status).toBe('pending');

  await sleepUntil('2026-12-17T23:59:00+05:00');
  expect((await handle.query(refundStateQuery)).overdue).toBe(false);
  await sleepUntil('2026-12-18T00:01:00+05:00');
  await until(async () => (await handle.query(refundStateQuery)).overdue);
  expect((await db('refund_requests').where({ id: row.id }).first()).overdue_at).not.toBeNull();

  const paid = await handle.executeUpdate(approveRefundUpdate, { args: [{ staffId: accountant.id, bankFeeTiyn: 0 }] });
  expect(paid).toMatchObject({ status: 'paid', paidTiyn: 3_000_00, feeTiyn: 0 });
  expect(await handle.result()).toMatchObject({ status: 'paid', overdue: true });
  expect((await clientBalance(db, client.id)).available).toBe(0);
}, 180_000);
