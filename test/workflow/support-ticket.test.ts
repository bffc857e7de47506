import { registerTicket } from '../../db/tickets';
import type { Priority } from '../../lib/support';
import {
  classifyUpdate,
  clientMessageSignal,
  escalateUpdate,
  replyUpdate,
  resolveUpdate,
  supportTicket,
  TicketState,
  ticketStateQuery,
  waitForClientUpdate,
} from '../../workflows/support-ticket';
import { calendarChangedSignal } from '../../workflows/shared/deadline';
import { createTestDatabase, TestDatabase } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { insertStaff } from '../helpers/fixtures';
import { startSmtpReceiver, SmtpReceiver } from '../helpers/smtp';
import { workerPerTest } from '../helpers/time-skipping';
import { searchAttributeUpserts, stepsTaken, upsertedValues } from '../helpers/workflow-history';

// Support tickets (Прил. 3) on the time-skipping server with the real calendar of 2026-2027:
// reaction per line and resolution per priority in working hours, across nights, weekends and
// holidays; waiting for the client; escalation; warnings and breaches.
let database: TestDatabase;
let smtp: SmtpReceiver;
const TASK_QUEUE = 'ticket-tests';
const agent = { agentId: '00000000-0000-0000-0000-000000000001' };

beforeAll(async () => {
  [database, smtp] = await Promise.all([createTestDatabase(), startSmtpReceiver()]);
  await insertStaff(database.db, ['support'], 'agent-on-duty@ismet.local');
});
afterAll(async () => {
  await Promise.all([database?.drop(), smtp?.close()]);
});
// A server of its own per test, its clock started where the test's scenario starts.
const server = workerPerTest(TASK_QUEUE, () => ({ db: database.db, smtpUrl: smtp.url }));
const { sleepUntil } = server;

const at = (local: string) => new Date(local).getTime();
/** Within a second: actions happen a few milliseconds after the instant the clock was moved to. */
const near = (iso: string | undefined, local: string) => !!iso && Math.abs(new Date(iso).getTime() - at(local)) < 1000;

async function openTicketAt(local: string, subject: string, priority?: Priority) {
  await sleepUntil(local);
  const email = `client-${Math.random().toString(36).slice(2)}@example.kz`;
  const { ticket } = await database.db.transaction((trx) =>
    registerTicket(trx, {
      clientId: null,
      contactEmail: email,
      channel: 'api',
      subject,
      body: 'Не работает',
      receivedAt: new Date(local),
      author: 'client',
      priority,
    }),
  );
  const handle = await server.env.client.workflow.start(supportTicket, {
    taskQueue: TASK_QUEUE,
    workflowId: `ticket-${ticket.id}`,
    args: [
      {
        ticketId: ticket.id,
        number: ticket.number,
        clientId: null,
        subject,
        receivedAt: new Date(local).toISOString(),
        priority,
      },
    ],
  });
  await smtp.waitFor((m) => m.subject === `[${ticket.number}] ${subject}`);
  return { ticket, handle, email };
}

const iso = (d: Date | null) => d && new Date(d).toISOString();
const resolutionDueInDb = async (ticketId: string): Promise<Date | null> =>
  (await database.db('tickets').where({ id: ticketId }).first('resolution_due_at')).resolution_due_at;

async function state(
  handle: { query: (q: typeof ticketStateQuery) => Promise<TicketState> },
  check: (s: TicketState) => boolean,
) {
  let last!: TicketState;
  for (let i = 0; i < 200; i++) {
    last = await handle.query(ticketStateQuery);
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`state not reached: ${JSON.stringify(last)}`);
}

test('line 1 reacts within 5 working minutes: a ticket at 17:58 on Friday is due Monday 09:03; its breach is recorded and told to the client; high priority resolves within 4 working hours', async () => {
  const { ticket, handle, email } = await openTicketAt('2026-11-27T17:58:00+05:00', 'Не работает авторизация');
  const s = await state(handle, (x) => !!x.reactionDueAt);
  expect(s.reactionDueAt).toBe(new Date('2026-11-30T09:03:00+05:00').toISOString());
  // Agents are warned at 80% of the time: Monday 09:02.
  await sleepUntil('2026-11-30T09:02:30+05:00');
  await smtp.waitFor((m) => m.subject?.startsWith(`Срок реакции по обращению ${ticket.number}`) ?? false);
  expect((await handle.query(ticketStateQuery)).breaches.reaction).toBeUndefined();
  await sleepUntil('2026-11-30T09:03:30+05:00');
  const breached = await state(handle, (x) => !!x.breaches.reaction);
  expect(new Date(breached.breaches.reaction!).getTime()).toBeGreaterThanOrEqual(at('2026-11-30T09:03:00+05:00'));
  const breachMail = await smtp.waitFor(
    (m) => (m.to as { text: string }).text === email && (m.text?.includes('время реакции') ?? false),
  );
  expect(breachMail.text).toContain('Прил. 3');
  expect((await database.db('tickets').where({ id: ticket.id }).first()).reaction_breached_at).not.toBeNull();

  // High priority: 4 working hours from registration — 2 minutes on Friday, then Monday 09:00 → 12:58.
  await handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'high' }] });
  // Until then it ran as Low (Прил. 3); classified, the High clock replaces it.
  const classified = await state(
    handle,
    (x) => x.priority === 'high' && x.resolutionDueAt === new Date('2026-11-30T12:58:00+05:00').toISOString(),
  );
  expect(classified.status).toBe('in_progress');
  // The workflow shows its new deadline before the activity has written it: the row is awaited.
  const highDue = new Date('2026-11-30T12:58:00+05:00').getTime();
  const row = await eventually(async () => {
    const r = await database.db('tickets').where({ id: ticket.id }).first();
    return r.resolution_due_at && new Date(r.resolution_due_at).getTime() === highDue && r;
  });
  expect(row).toMatchObject({ status: 'in_progress', priority: 'high' });
  await handle.executeUpdate(resolveUpdate, { args: [{ ...agent, kind: 'solution', text: 'Сброшен пароль' }] });
  expect((await handle.query(ticketStateQuery)).breaches.resolution).toBeUndefined();
  // No answer from the client: closed after 5 working days (Tuesday 1 … Monday 7 December, 24:00).
  await sleepUntil('2026-12-07T23:59:00+05:00');
  expect((await handle.query(ticketStateQuery)).status).toBe('resolved');
  await sleepUntil('2026-12-08T00:01:00+05:00');
  expect((await handle.result()).status).toBe('closed');
  expect((await database.db('tickets').where({ id: ticket.id }).first()).status).toBe('closed');
  // Closed, it waits on nothing: DeadlineAt, kept shown from wait to wait (ticket-deadline-kept), cleared at last.
  expect((await upsertedValues(handle, 'DeadlineAt')).at(-1)).toBeNull();
}, 120_000);

test('a deadline costs one workflow task: the warning and the breach recorded inside it, the calendar kept across waits — loaded again when older than an hour or a change is told; the attributes upserted on a change (#20)', async () => {
  const { ticket, handle } = await openTicketAt('2026-11-27T17:58:00+05:00', 'Долго грузится кабинет');
  await state(handle, (x) => !!x.reactionDueAt);
  const loads = async () => (await stepsTaken(handle)).local.filter((type) => type === 'loadCalendar').length;
  expect(await loads()).toBe(1);
  await sleepUntil('2026-11-30T09:02:30+05:00'); // the warning, Monday 09:02: the calendar of Friday is 3 days old
  await smtp.waitFor((m) => m.subject?.startsWith(`Срок реакции по обращению ${ticket.number}`) ?? false);
  await sleepUntil('2026-11-30T09:03:30+05:00'); // the breach, a minute on: the calendar kept
  await state(handle, (x) => !!x.breaches.reaction);
  const steps = await stepsTaken(handle);
  expect(steps.activities).toEqual(['sendTicketRegistration']);
  expect(steps.local).toEqual([
    'loadCalendar',
    'recordTicketDeadlines',
    'warnSupportAgents',
    'loadCalendar',
    'recordTicketBreach',
  ]);
  // Patch ticket-shown-on-change: the ticket's attributes upserted when they change — opened, its deadlines set, the
  // breach — not again at each wake that changed none of them (the warning, each wait's start): 3, not 5.
  const shown = (await searchAttributeUpserts(handle)).filter((keys) => keys.includes('BusinessStatus'));
  expect(shown).toHaveLength(3);
  // Patch ticket-deadline-kept: DeadlineAt goes from one wait's deadline to the next, not through null between them.
  expect(await upsertedValues(handle, 'DeadlineAt')).toEqual([
    '2026-11-30T04:02:00.000Z', // the warning, Monday 09:02 (+05:00)
    '2026-11-30T04:03:00.000Z', // the breach
    expect.any(String), // the next: the unclassified ticket's resolution warning (Low)
  ]);
  await handle.signal(calendarChangedSignal);
  await eventually(async () => (await loads()) === 3);
}, 120_000);

test('escalation: each line its own reaction time — line 2 (30 min) over Independence Day, line 3 (60 min) over a night', async () => {
  const { handle } = await openTicketAt('2026-12-15T17:40:00+05:00', 'Не проходит эмиссия', 'high');
  await handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'high' }] });
  await sleepUntil('2026-12-15T17:45:00+05:00');
  const escalated = await handle.executeUpdate(escalateUpdate, { args: [{ ...agent, note: 'Нужен доступ к СУЗ' }] });
  expect(escalated).toMatchObject({ line: 2, status: 'new' });
  // 15 minutes on Tuesday, Wednesday 16 December is a holiday, 15 more on Thursday.
  await state(handle, (x) => x.line === 2 && near(x.reactionDueAt, '2026-12-17T09:15:00+05:00'));
  await expect(handle.executeUpdate(escalateUpdate, { args: [{ ...agent, note: 'ещё' }] })).rejects.toThrow();
  await sleepUntil('2026-12-17T17:30:00+05:00');
  // Line 2 classified late: its breach is recorded.
  expect((await state(handle, (x) => x.reactionBreachedLines.includes(2))).line).toBe(2);
  await handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'high' }] });
  await handle.executeUpdate(escalateUpdate, { args: [{ ...agent, note: 'Ошибка в ядре' }] });
  const line3 = await state(handle, (x) => x.line === 3 && near(x.reactionDueAt, '2026-12-18T09:30:00+05:00'));
  expect(line3.status).toBe('new');
  await expect(handle.executeUpdate(escalateUpdate, { args: [{ ...agent, note: 'дальше некуда' }] })).rejects.toThrow();
}, 120_000);

test('resolution per priority with time waiting for the client left out: medium 8 h across a pause; low 24 h across the New Year holidays', async () => {
  const medium = await openTicketAt('2026-12-21T10:00:00+05:00', 'Задержка эмиссии');
  const lowDue = new Date('2026-12-23T16:00:00+05:00').toISOString();
  await eventually(async () => iso(await resolutionDueInDb(medium.ticket.id)) === lowDue);
  await medium.handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'medium' }] });
  // Low (24 h) until classified — never shown as the deadline once it is Medium: 8 working hours from registration.
  const mediumDue = new Date('2026-12-21T18:00:00+05:00').toISOString();
  expect([null, mediumDue]).toContain(iso(await resolutionDueInDb(medium.ticket.id)));
  await eventually(async () => iso(await resolutionDueInDb(medium.ticket.id)) === mediumDue);
  await state(
    medium.handle,
    (x) => x.priority === 'medium' && x.resolutionDueAt === new Date('2026-12-21T18:00:00+05:00').toISOString(),
  );
  await sleepUntil('2026-12-21T11:00:00+05:00');
  await medium.handle.executeUpdate(waitForClientUpdate, { args: [{ ...agent, question: 'Укажите номер заказа' }] });
  await smtp.waitFor((m) => m.text?.includes('Укажите номер заказа') ?? false);
  await sleepUntil('2026-12-22T12:00:00+05:00');
  await medium.handle.signal(clientMessageSignal, { messageId: 1 });
  // 1 hour before the pause, then 7 from Tuesday 12:00: 6 on Tuesday and 1 on Wednesday.
  const resumed = await state(
    medium.handle,
    (x) => x.status === 'in_progress' && near(x.resolutionDueAt, '2026-12-23T10:00:00+05:00'),
  );
  expect(resumed.pauses).toHaveLength(1);

  const low = await openTicketAt('2026-12-31T16:00:00+05:00', 'Вопрос по вспомогательному приложению');
  await low.handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'low' }] });
  // 2 h on 31 December; 1, 2 (holidays), 3 (Sunday), 4 January (moved holiday) do not count; 9 + 9 on the 5th and 6th; the 7th is Christmas; 4 h on the 8th.
  await state(
    low.handle,
    (x) => x.priority === 'low' && x.resolutionDueAt === new Date('2027-01-08T13:00:00+05:00').toISOString(),
  );
  await sleepUntil('2027-01-08T13:05:00+05:00');
  const breached = await state(low.handle, (x) => !!x.breaches.resolution);
  expect(new Date(breached.breaches.resolution!).getTime()).toBeGreaterThanOrEqual(at('2027-01-08T13:00:00+05:00'));
  await smtp.waitFor(
    (m) => (m.to as { text: string }).text === low.email && (m.text?.includes('время решения') ?? false),
  );
  // The medium one was still open too: breached on 23 December at 10:00.
  expect((await medium.handle.query(ticketStateQuery)).breaches.resolution).toBeDefined();
}, 180_000);

test('Прил. 3: a ticket nobody classifies is Low — its 24-working-hour resolution clock runs from registration', async () => {
  // Registered Monday 09:00; never classified: 24 working hours (9 a day) end Wednesday 15:00.
  const { ticket, handle, email } = await openTicketAt('2027-02-01T09:00:00+05:00', 'Вопрос без приоритета');
  const s = await state(handle, (x) => !!x.resolutionDueAt);
  expect(s.priority).toBeUndefined();
  expect(s.resolutionDueAt).toBe(new Date('2027-02-03T15:00:00+05:00').toISOString());
  await eventually(async () => {
    const { resolution_due_at } = await database.db('tickets').where({ id: ticket.id }).first();
    return !!resolution_due_at && new Date(resolution_due_at).toISOString() === s.resolutionDueAt;
  });
  await sleepUntil('2027-02-03T15:05:00+05:00');
  const breached = await state(handle, (x) => !!x.breaches.resolution);
  expect(new Date(breached.breaches.resolution!).getTime()).toBeGreaterThanOrEqual(at('2027-02-03T15:00:00+05:00'));
  await smtp.waitFor((m) => (m.to as { text: string }).text === email && (m.text?.includes('время решения') ?? false));
  // Classified later as High: its own 4 hours from registration apply from then on.
  await handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'high' }] });
  expect(
    (await state(handle, (x) => x.priority === 'high' && near(x.resolutionDueAt, '2027-02-01T13:00:00+05:00'))).status,
  ).toBe('in_progress');
}, 120_000);

test('force majeure (8.3-8.5): the deadlines of the processes it affects stand still while it lasts', async () => {
  const { handle } = await openTicketAt('2027-01-12T10:00:00+05:00', 'Сбой при передаче прав');
  await handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'medium' }] });
  await state(handle, (x) => near(x.resolutionDueAt, '2027-01-12T18:00:00+05:00'));
  // An event for the acts only changes nothing here (were it counted, the deadline would pass 20 January);
  // one for tickets moves the deadline by itself. Both are in the database when the ticket recomputes.
  await database.db('force_majeure_events').insert({
    started_at: '2027-01-12T10:30:00+05:00',
    ended_at: '2027-01-20T00:00:00+05:00',
    notified_at: '2027-01-12T10:40:00+05:00',
    processes: ['acts'],
    description: 'Сбой ЭДО',
  });
  await handle.signal(calendarChangedSignal);
  await database.db('force_majeure_events').insert({
    started_at: '2027-01-12T11:00:00+05:00',
    ended_at: '2027-01-13T13:00:00+05:00',
    notified_at: '2027-01-12T11:10:00+05:00',
    processes: ['tickets'],
    description: 'Авария в ЦОД',
  });
  await handle.signal(calendarChangedSignal);
  // 1 h before the event, then 7 from Wednesday 13:00: 5 on Wednesday and 2 on Thursday.
  await state(handle, (x) => near(x.resolutionDueAt, '2027-01-14T11:00:00+05:00'));
  await sleepUntil('2027-01-14T10:59:00+05:00');
  expect((await handle.query(ticketStateQuery)).breaches.resolution).toBeUndefined();
  await database.db('force_majeure_events').del();
}, 120_000);

test('Прил. 3 п.2a: the registration number must reach the client within 5 minutes — a mailbox that refuses it longer is a recorded breach; the e-mail still goes out', async () => {
  await sleepUntil('2026-12-07T10:00:00+05:00');
  const email = `busy-${Math.random().toString(36).slice(2)}@example.kz`;
  smtp.setRefusal(email, { code: 451, message: 'mailbox busy, try again later' });
  const { ticket } = await database.db.transaction((trx) =>
    registerTicket(trx, {
      clientId: null,
      contactEmail: email,
      channel: 'api',
      subject: 'Нет доступа',
      body: 'Не работает',
      receivedAt: new Date('2026-12-07T10:00:00+05:00'),
      author: 'client',
    }),
  );
  const handle = await server.env.client.workflow.start(supportTicket, {
    taskQueue: TASK_QUEUE,
    workflowId: `ticket-${ticket.id}`,
    args: [
      {
        ticketId: ticket.id,
        number: ticket.number,
        clientId: null,
        subject: 'Нет доступа',
        receivedAt: new Date('2026-12-07T10:00:00+05:00').toISOString(),
      },
    ],
  });
  await sleepUntil('2026-12-07T10:04:30+05:00');
  expect((await handle.query(ticketStateQuery)).breaches.registration).toBeUndefined();
  await sleepUntil('2026-12-07T10:05:30+05:00');
  const breached = await state(handle, (x) => !!x.breaches.registration);
  expect(new Date(breached.breaches.registration!).getTime()).toBeGreaterThanOrEqual(at('2026-12-07T10:05:00+05:00'));
  // The workflow shows the breach before the activity has recorded it: the row is awaited.
  await eventually(
    async () => (await database.db('tickets').where({ id: ticket.id }).first()).registration_breached_at,
  );
  expect(
    await database.db('ticket_events').where({ ticket_id: ticket.id, kind: 'registration_breached' }),
  ).toHaveLength(1);

  smtp.setRefusal(email, null);
  await smtp.waitFor((m) => m.subject === `[${ticket.number}] Нет доступа`, 60_000);
  await state(handle, (x) => !!x.reactionDueAt);
}, 180_000);

test('Прил. 3 п.2a: an e-mail sent in time records no breach', async () => {
  const { ticket, handle } = await openTicketAt('2026-12-07T11:00:00+05:00', 'Вопрос по счёту');
  await sleepUntil('2026-12-07T11:10:00+05:00');
  expect((await handle.query(ticketStateQuery)).breaches.registration).toBeUndefined();
  expect((await database.db('tickets').where({ id: ticket.id }).first()).registration_breached_at).toBeNull();
}, 180_000);

test('a classification recorded only on its retry still leaves the resolution deadline shown: the wait records it again after the action', async () => {
  // The soak (#19) found a ticket classified during a fault «in_progress, no resolution_due_at»: the classification's
  // record (which clears the deadline it moves) failed and was retried; meanwhile another agent's reply woke the
  // ticket's wait, which recorded the new deadline — and the retried record cleared it after.
  const { ticket, handle } = await openTicketAt('2027-03-03T10:00:00+05:00', 'Классификация во время сбоя');
  await state(handle, (x) => !!x.reactionDueAt);
  const fault = `classified_fails_once_${ticket.number.replace(/\W/g, '_').toLowerCase()}`;
  // A sequence, not a row: its step survives the failed transaction, so the record fails exactly once.
  await database.db.raw(`CREATE SEQUENCE ${fault}`);
  await database.db.raw(`
    CREATE FUNCTION ${fault}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.kind = 'classified' AND NEW.ticket_id = '${ticket.id}' AND nextval('${fault}') = 1 THEN
        RAISE EXCEPTION 'the database went away';
      END IF;
      RETURN NEW;
    END $$`);
  await database.db.raw(
    `CREATE TRIGGER ${fault} BEFORE INSERT ON ticket_events FOR EACH ROW EXECUTE FUNCTION ${fault}()`,
  );
  try {
    const classified = handle.executeUpdate(classifyUpdate, { args: [{ ...agent, priority: 'high' }] });
    await eventually(async () => (await database.db.raw(`SELECT is_called FROM ${fault}`)).rows[0].is_called, 20_000);
    await handle.executeUpdate(replyUpdate, { args: [{ ...agent, text: 'Смотрим' }] });
    // High: 4 working hours from registration.
    await eventually(async () => iso(await resolutionDueInDb(ticket.id)) === '2027-03-03T09:00:00.000Z', 20_000);
    await sleepUntil('2027-03-03T10:00:30+05:00'); // the classification's retry, 2 s on
    await classified;
    const events = () => database.db('ticket_events').where({ ticket_id: ticket.id, kind: 'classified' });
    expect(await events()).toHaveLength(1);
    await eventually(async () => iso(await resolutionDueInDb(ticket.id)) === '2027-03-03T09:00:00.000Z', 20_000);
    expect((await handle.query(ticketStateQuery)).resolutionDueAt).toBe('2027-03-03T09:00:00.000Z');
  } finally {
    await database.db.raw(`DROP TRIGGER ${fault} ON ticket_events`);
    await database.db.raw(`DROP FUNCTION ${fault}()`);
    await database.db.raw(`DROP SEQUENCE ${fault}`);
  }
});
